//! What a message says. Stored as JSON in the outbox and rendered when sent,
//! so the wording the site is configured with applies.

use serde::{Deserialize, Serialize};

/// Which mail preference a letter falls under (see [`MailPreference`]).
///
/// [`MailPreference`]: holdspace_app::dto::MailPreference
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterClass {
    /// A password reset the person asked for: always sent.
    Reset,
    /// Account mail (confirming an address): not under "resets only".
    Account,
    /// News (a certificate is ready): only under "all".
    Optional,
}

/// One message. Paths are site-relative; the sender adds the site's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Letter {
    ConfirmAddress {
        name: String,
        path: String,
    },
    ResetPassword {
        name: String,
        path: String,
    },
    /// To the new address: the link that moves the account there.
    ConfirmNewAddress {
        name: String,
        path: String,
    },
    /// To the old address: a change was asked for (no link: nothing to click).
    AddressChangeNotice {
        name: String,
    },
    CertificateReady {
        name: String,
        path: String,
    },
    Invitation {
        name: String,
        organization: String,
        path: String,
    },
    /// A certificate ends in `days` days (0: today; negative: it ended),
    /// with `grace_days` after its end when a renewal still starts without
    /// a gap (absent in messages written before grace existed: none).
    RenewalReminder {
        name: String,
        days: i64,
        #[serde(default)]
        grace_days: i64,
        path: String,
    },
    /// To an organization's admin: how many members have something to
    /// renew within 60 days.
    RenewalDigest {
        name: String,
        members: i64,
        path: String,
    },
}

impl Letter {
    pub fn class(&self) -> LetterClass {
        match self {
            Letter::ResetPassword { .. } => LetterClass::Reset,
            Letter::ConfirmAddress { .. } | Letter::ConfirmNewAddress { .. } | Letter::AddressChangeNotice { .. } => {
                LetterClass::Account
            }
            // An invitation goes to an address, not an account: nobody has
            // chosen a preference yet.
            Letter::Invitation { .. } => LetterClass::Account,
            Letter::CertificateReady { .. } | Letter::RenewalReminder { .. } | Letter::RenewalDigest { .. } => {
                LetterClass::Optional
            }
        }
    }

    /// The plain-text body. The first lines (what a mail preview shows)
    /// say only that the account has something; names were checked for
    /// control characters when they were saved, and plain text is never
    /// interpreted as markup.
    pub fn body(&self, base_url: &str) -> String {
        let (name, lines): (&str, Vec<String>) = match self {
            Letter::ConfirmAddress { name, path } => (
                name,
                vec![
                    "Please confirm that this is your email address, so that you can get back into your account if you ever forget your password.".into(),
                    format!("Open this link to confirm it:\n{base_url}{path}"),
                    "The link works for seven days. If you did not make an account, you can ignore this message.".into(),
                ],
            ),
            Letter::ResetPassword { name, path } => (
                name,
                vec![
                    "Someone asked to set a new password for your account. If it was you, open this link:".into(),
                    format!("{base_url}{path}"),
                    "The link works once, for one hour. If you did not ask, you can ignore this message: your password stays as it is.".into(),
                ],
            ),
            Letter::ConfirmNewAddress { name, path } => (
                name,
                vec![
                    "Please confirm that your account should use this email address from now on.".into(),
                    format!("Open this link to confirm it:\n{base_url}{path}"),
                    "The link works for seven days. Until then your account keeps its old address. If you did not ask for this, you can ignore this message.".into(),
                ],
            ),
            Letter::AddressChangeNotice { name } => (
                name,
                vec![
                    "Someone signed in to your account asked to move it to another email address.".into(),
                    "If it was you, there is nothing to do here. If it wasn't, please sign in, change your password, and choose \"Sign out everywhere\" on your privacy page: the address only changes once the link sent to the new one is opened.".into(),
                ],
            ),
            Letter::CertificateReady { name, path } => (
                name,
                vec![
                    "There is something new in your account.".into(),
                    format!("Sign in to see it:\n{base_url}{path}"),
                ],
            ),
            Letter::Invitation {
                name,
                organization,
                path,
            } => (
                name,
                vec![
                    "You have been invited to join a group's learning account.".into(),
                    format!("It was sent by {organization}. To accept, open this link:\n{base_url}{path}"),
                    "The link works for 30 days. If you were not expecting it, you can ignore this message.".into(),
                ],
            ),
            Letter::RenewalReminder {
                name,
                days,
                grace_days,
                path,
            } => (
                name,
                vec![
                    match (*days, *grace_days) {
                        (1, _) => "Something in your account needs renewing within a day.".to_owned(),
                        (days, _) if days > 0 => {
                            format!("Something in your account needs renewing within {days} days.")
                        }
                        (_, 0) => "Something in your account needs renewing from today.".to_owned(),
                        (days, grace) if days > -grace => format!(
                            "Something in your account has ended. You can still renew it without a gap for \
                             {} more days.",
                            grace + days
                        ),
                        _ => "Something in your account has lapsed. You can still renew it whenever you're ready."
                            .to_owned(),
                    },
                    format!("Sign in to see what, and how to renew it:\n{base_url}{path}"),
                ],
            ),
            Letter::RenewalDigest { name, members, path } => (
                name,
                vec![
                    match members {
                        1 => "One person in your group has something to renew within 60 days.".to_owned(),
                        n => format!("{n} people in your group have something to renew within 60 days."),
                    },
                    format!("Sign in to see who:\n{base_url}{path}"),
                ],
            ),
        };
        let mut text = format!("Hello {name},\n\n");
        for line in lines {
            text.push_str(&line);
            text.push_str("\n\n");
        }
        text.push_str("You can choose which messages you get on your account's privacy page.\n");
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip_as_json_and_open_neutrally() {
        let letter = Letter::CertificateReady {
            name: "Ana".into(),
            path: "/me".into(),
        };
        let json = serde_json::to_string(&letter).unwrap();
        assert_eq!(serde_json::from_str::<Letter>(&json).unwrap(), letter);
        let body = letter.body("https://learn.example.org");
        assert!(body.starts_with("Hello Ana,\n\nThere is something new in your account."));
        assert!(body.contains("https://learn.example.org/me"));
    }
}
