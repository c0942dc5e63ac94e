//! What a person types about themselves: a name, an email address, a
//! password. Each check gives back the clean value or a sentence saying
//! what to change; the same rules hold for the registration form, the
//! command line, invitations and roster files.

use super::password;
use unicode_normalization::UnicodeNormalization;

/// Lowercased, trimmed email, or a message saying what is wrong with it.
pub fn normalize_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err("Please enter an email address like name@example.org.".into())
    }
}

/// Characters that reorder the text around them (embeddings, overrides,
/// isolates and the directional marks). In a name they can make it print
/// as something else (an override turns "Ana" into "anA" and a code into
/// another code); names in any script read correctly without them. The
/// certificate renderer drops them too, for names stored before this rule.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A name as people will see it: composed (NFC, so the page, the PDF and
/// the credential hold the same characters), without direction controls,
/// trimmed, one line, at most 80 characters.
pub fn check_display_name(name: &str) -> Result<String, String> {
    let name: String = name.nfc().filter(|c| !is_bidi_control(*c)).collect();
    let name = name.trim();
    if name.is_empty() {
        return Err("Please enter a name. It can be any name you like to be called.".into());
    }
    if name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err("Please use a name of at most 80 characters, on one line.".into());
    }
    Ok(name.to_owned())
}

/// A password long enough to resist guessing and short enough to hash.
pub fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < password::MIN_LENGTH {
        return Err(format!(
            "Please choose a password of at least {} characters.",
            password::MIN_LENGTH
        ));
    }
    if password.len() > password::MAX_LENGTH {
        return Err(format!(
            "Please choose a password of at most {} characters.",
            password::MAX_LENGTH
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(normalize_email("  Ana@Example.ORG "), Ok("ana@example.org".into()));
        assert!(normalize_email("ana").is_err());
        assert!(normalize_email("ana@localhost").is_err());
        assert!(normalize_email("a na@example.org").is_err());
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(check_password("short").is_err());
        // Twelve characters, more bytes.
        assert!(check_password("ñññññññññññ").is_err());
        assert!(check_password("ññññññññññññ").is_ok());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            check_display_name("  Zoë Łukasiewicz-Nguyễn "),
            Ok("Zoë Łukasiewicz-Nguyễn".into())
        );
        assert!(check_display_name("   ").is_err());
        // Decomposed letters are composed; direction controls go, letters of every script stay.
        assert_eq!(check_display_name("Zoe\u{308}"), Ok("Zoë".into()));
        assert_eq!(
            check_display_name("\u{202E}Ana\u{202C} \u{2067}Lee\u{2069}\u{200F}"),
            Ok("Ana Lee".into())
        );
        assert_eq!(check_display_name("王秀英 مريم שרה"), Ok("王秀英 مريم שרה".into()));
        assert!(
            check_display_name("\u{202E}\u{200F}").is_err(),
            "nothing left is no name"
        );
        assert!(check_display_name(&"x".repeat(81)).is_err());
    }
}
