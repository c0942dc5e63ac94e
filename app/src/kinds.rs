//! Kinds and states that are stored as text: each is a Rust enum, and its
//! stored name is written once, in its [`stored_names!`] list.

/// Declares an enum stored as text: `as_str`, `parse`, `ALL`, and (when
/// this crate is built with `ssr`, as the server uses it) Diesel's mapping
/// to a `Text` column, which refuses an unknown name instead of guessing.
#[macro_export]
macro_rules! stored_names {
    ($(#[$doc:meta])* $vis:vis enum $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $crate::__stored_names_item! {
            $(#[$doc])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            $vis enum $name {
                $($(#[$vdoc])* #[serde(rename = $text)] $variant,)*
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored name (also the one typed on the command line and sent in JSON).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The enum item, with Diesel's derives and `Text` mapping (the server's build).
#[cfg(feature = "ssr")]
#[doc(hidden)]
#[macro_export]
macro_rules! __stored_names_item {
    ($(#[$attr:meta])* $vis:vis enum $name:ident { $($body:tt)* }) => {
        $(#[$attr])*
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name { $($body)* }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                $name::parse(&text).ok_or_else(|| format!("unknown {} {text:?}", stringify!($name)).into())
            }
        }
    };
}

/// The enum item alone (the browser's build).
#[cfg(not(feature = "ssr"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __stored_names_item {
    ($($item:tt)*) => { $($item)* };
}

stored_names! {
    /// What an account may do.
    pub enum Role {
        Learner = "learner",
        Trainer = "trainer",
        OrgAdmin = "org_admin",
        Admin = "admin",
    }
}

stored_names! {
    /// Which mail a person accepts. A survivor's mailbox may be read by
    /// someone who harms them, so they may turn mail down to nothing but
    /// the password resets they ask for themselves.
    pub enum MailPreference {
        /// Everything: account mail and news such as a certificate being ready.
        All = "all",
        /// Account mail only (confirming an address, resets).
        Essential = "essential",
        /// Only a password reset the person asked for.
        ResetsOnly = "resets_only",
    }
}

stored_names! {
    /// The kinds of question in the course format.
    pub enum QuestionKind {
        Single = "single",
        Multiple = "multiple",
        TrueFalse = "true_false",
    }
}

stored_names! {
    /// What a learner did in a session of supervised practice.
    pub enum PracticeRole {
        /// Ran the session beside an experienced facilitator.
        CoFacilitator = "co_facilitator",
        /// Led the session, with a supervisor present or debriefing after.
        LeadFacilitator = "lead_facilitator",
    }
}

stored_names! {
    /// Where a logged session of practice stands: only confirmed hours count.
    pub enum PracticeStatus {
        /// Waiting for the supervisor the learner named.
        Pending = "pending",
        Confirmed = "confirmed",
        Declined = "declined",
    }
}

stored_names! {
    /// Whether a learner came to a live session they signed up for, as the
    /// trainer recorded it: only attended hours count.
    pub enum Attendance {
        Attended = "attended",
        Absent = "absent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(*role));
        }
        assert_eq!(Role::parse("superuser"), None);
        assert_eq!(
            serde_json::to_string(&QuestionKind::TrueFalse).unwrap(),
            "\"true_false\""
        );
    }
}
