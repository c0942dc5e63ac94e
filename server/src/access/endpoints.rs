//! Who may call which endpoint, decided before a request's body is read.
//!
//! Every server function is a public HTTP endpoint. The store decides the
//! fine questions (which course, whose roster) from the database; this
//! decides the coarse one from the session alone: whether the sender's
//! role may use the endpoint at all, and how large a body it may send. So
//! a learner's 50 MB upload to the course import is refused at the first
//! byte, and nobody makes the server read more than an endpoint needs.

use holdspace_app::dto::{Role, Viewer};
use holdspace_app::error::AppError;

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Anyone,
    SignedIn,
    /// Trainers and site admins.
    Staff,
    /// Organization admins, trainers and site admins.
    OrgAdminOrStaff,
    OrgAdmin,
    SiteAdmin,
}

impl Audience {
    /// Whether `viewer` may call it; the error says why not.
    pub fn admits(self, viewer: Option<&Viewer>) -> Result<(), AppError> {
        let Some(viewer) = viewer else {
            return if self == Audience::Anyone {
                Ok(())
            } else {
                Err(AppError::NotSignedIn)
            };
        };
        let allowed = match self {
            Audience::Anyone | Audience::SignedIn => true,
            Audience::Staff => matches!(viewer.role, Role::Trainer | Role::Admin),
            Audience::OrgAdminOrStaff => matches!(viewer.role, Role::OrgAdmin | Role::Trainer | Role::Admin),
            Audience::OrgAdmin => viewer.role == Role::OrgAdmin,
            Audience::SiteAdmin => viewer.role == Role::Admin,
        };
        if allowed { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

/// What an endpoint accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub audience: Audience,
    /// The largest body, in bytes; larger ones get 413 unread.
    pub max_body: usize,
    /// Takes `multipart/form-data` (an upload) and nothing else: the
    /// server_fn decoder panics on any other body, so others get 400 first.
    pub multipart: bool,
}

const KIB: usize = 1024;
const MIB: usize = 1024 * KIB;
/// Forms of a few fields.
const FORM: usize = 64 * KIB;
/// A module body or a question with its rationales.
const TEXT: usize = MIB;

const fn rule(audience: Audience, max_body: usize) -> Rule {
    Rule {
        audience,
        max_body,
        multipart: false,
    }
}

const fn upload(audience: Audience, max_body: usize) -> Rule {
    Rule {
        audience,
        max_body,
        multipart: true,
    }
}

/// Server functions by endpoint name (`/api/NAME`). An endpoint missing
/// here is refused to everyone (see [`rule_for`]), so a new one cannot be
/// forgotten: a unit test checks that every registered one is listed.
pub const SERVER_FUNCTIONS: &[(&str, Rule)] = &[
    // Anyone: reading public things, and getting an account.
    ("register", rule(Audience::Anyone, FORM)),
    ("log_in", rule(Audience::Anyone, FORM)),
    ("catalog", rule(Audience::Anyone, FORM)),
    ("course_outline", rule(Audience::Anyone, FORM)),
    ("verify_certificate", rule(Audience::Anyone, FORM)),
    ("load_invitation", rule(Audience::Anyone, FORM)),
    ("local_page", rule(Audience::Anyone, FORM)),
    ("confirm_email", rule(Audience::Anyone, FORM)),
    ("request_password_reset", rule(Audience::Anyone, FORM)),
    ("reset_password", rule(Audience::Anyone, FORM)),
    // A learner's own records.
    ("log_out", rule(Audience::SignedIn, FORM)),
    ("delete_account", rule(Audience::SignedIn, FORM)),
    ("account_settings", rule(Audience::SignedIn, FORM)),
    ("resend_confirmation", rule(Audience::SignedIn, FORM)),
    ("change_password", rule(Audience::SignedIn, FORM)),
    ("change_email", rule(Audience::SignedIn, FORM)),
    ("change_name", rule(Audience::SignedIn, FORM)),
    ("sign_out_everywhere", rule(Audience::SignedIn, FORM)),
    ("set_mail_preference", rule(Audience::SignedIn, FORM)),
    ("enroll", rule(Audience::SignedIn, FORM)),
    ("module", rule(Audience::SignedIn, FORM)),
    ("open_quiz", rule(Audience::SignedIn, FORM)),
    ("submit_quiz", rule(Audience::SignedIn, FORM)),
    ("attempt", rule(Audience::SignedIn, FORM)),
    ("open_exam", rule(Audience::SignedIn, FORM)),
    ("submit_exam", rule(Audience::SignedIn, FORM)),
    ("exam_attempt", rule(Audience::SignedIn, FORM)),
    ("dashboard", rule(Audience::SignedIn, FORM)),
    ("accept_invitation", rule(Audience::SignedIn, FORM)),
    ("load_memberships", rule(Audience::SignedIn, FORM)),
    ("leave_organization", rule(Audience::SignedIn, FORM)),
    // Teaching.
    ("teach_overview", rule(Audience::Staff, FORM)),
    ("create_course", rule(Audience::Staff, FORM)),
    ("course_workspace", rule(Audience::Staff, FORM)),
    ("save_course_details", rule(Audience::Staff, TEXT)),
    ("add_module", rule(Audience::Staff, FORM)),
    ("move_module", rule(Audience::Staff, FORM)),
    ("remove_module", rule(Audience::Staff, FORM)),
    ("save_module", rule(Audience::Staff, TEXT)),
    ("save_quiz_settings", rule(Audience::Staff, FORM)),
    ("preview_markdown", rule(Audience::Staff, TEXT)),
    ("add_question", rule(Audience::Staff, TEXT)),
    ("save_question", rule(Audience::Staff, TEXT)),
    ("move_question", rule(Audience::Staff, FORM)),
    ("delete_question", rule(Audience::Staff, FORM)),
    ("import_gift", rule(Audience::Staff, TEXT)),
    ("publish_course", rule(Audience::Staff, FORM)),
    ("discard_draft", rule(Audience::Staff, FORM)),
    ("delete_course", rule(Audience::Staff, FORM)),
    ("compare_versions", rule(Audience::Staff, FORM)),
    // The upload limit is 10 MiB; the form around it is a little more.
    ("import_course", upload(Audience::Staff, 11 * MIB)),
    ("course_following", rule(Audience::Staff, FORM)),
    ("program_progress", rule(Audience::Staff, FORM)),
    ("grant_attempt", rule(Audience::Staff, FORM)),
    ("sign_off_practical", rule(Audience::Staff, FORM)),
    ("learner_record", rule(Audience::SignedIn, FORM)),
    ("log_practice", rule(Audience::SignedIn, FORM)),
    ("sign_attestation", rule(Audience::SignedIn, FORM)),
    ("trainer_queue", rule(Audience::Staff, FORM)),
    ("load_reflections", rule(Audience::SignedIn, FORM)),
    // An answer of up to 5,000 characters in any script.
    ("save_reflection", rule(Audience::SignedIn, TEXT)),
    ("delete_reflections", rule(Audience::SignedIn, FORM)),
    ("log_training", rule(Audience::SignedIn, FORM)),
    ("session_seat", rule(Audience::SignedIn, FORM)),
    ("review_training", rule(Audience::Staff, FORM)),
    ("schedule_session", rule(Audience::Staff, FORM)),
    ("program_sessions", rule(Audience::Staff, FORM)),
    ("record_attendance", rule(Audience::Staff, FORM)),
    ("review_practice", rule(Audience::Staff, FORM)),
    ("score_roleplay", rule(Audience::Staff, FORM)),
    ("revoke_certificate", rule(Audience::Staff, FORM)),
    ("suspend_certificate", rule(Audience::Staff, FORM)),
    ("reinstate_certificate", rule(Audience::Staff, FORM)),
    // Site administration.
    ("load_organizations", rule(Audience::SiteAdmin, FORM)),
    ("create_organization", rule(Audience::SiteAdmin, FORM)),
    ("add_organization_admin", rule(Audience::SiteAdmin, FORM)),
    ("add_course_editor", rule(Audience::SiteAdmin, FORM)),
    ("add_program_staff", rule(Audience::SiteAdmin, FORM)),
    ("admin_accounts", rule(Audience::SiteAdmin, FORM)),
    ("change_role", rule(Audience::SiteAdmin, FORM)),
    ("set_account_disabled", rule(Audience::SiteAdmin, FORM)),
    ("send_password_reset", rule(Audience::SiteAdmin, FORM)),
    ("mail_health", rule(Audience::SiteAdmin, FORM)),
    // Organizations.
    ("load_org_roster", rule(Audience::OrgAdmin, FORM)),
    ("invite_member", rule(Audience::OrgAdmin, FORM)),
    ("import_roster", upload(Audience::OrgAdmin, 3 * MIB)),
    ("withdraw_invitation", rule(Audience::OrgAdmin, FORM)),
    ("load_api_tokens", rule(Audience::OrgAdmin, FORM)),
    ("create_api_token", rule(Audience::OrgAdmin, FORM)),
    ("revoke_api_token", rule(Audience::OrgAdmin, FORM)),
    ("bulk_verify", upload(Audience::OrgAdminOrStaff, 5 * MIB)),
    ("load_bulk_results", rule(Audience::OrgAdminOrStaff, FORM)),
    ("load_outcomes", rule(Audience::OrgAdminOrStaff, FORM)),
];

/// Bodies of the plain routes that take one.
const ROUTES: &[(&str, Rule)] = &[
    // 10,000 codes as JSON; the token is checked before it is read.
    ("/api/v1/verifications", rule(Audience::Anyone, MIB)),
];

/// The rule for a request path: a server function's, a plain route's, or
/// for everything else (pages, files) anyone with a small body.
pub fn rule_for(path: &str) -> Rule {
    if let Some(name) = path.strip_prefix("/api/").filter(|rest| !rest.starts_with("v1/")) {
        let name = name.split('/').next().unwrap_or_default();
        return SERVER_FUNCTIONS
            .iter()
            .find(|(endpoint, _)| *endpoint == name)
            .map_or(rule(Audience::SiteAdmin, 0), |(_, rule)| *rule);
    }
    ROUTES
        .iter()
        .find(|(route, _)| *route == path)
        .map_or(rule(Audience::Anyone, FORM), |(_, rule)| *rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role) -> Viewer {
        Viewer {
            user_id: holdspace_app::dto::UserId(1),
            display_name: "A".into(),
            role,
        }
    }

    #[test]
    fn roles_are_admitted_by_audience() {
        assert_eq!(Audience::Staff.admits(None), Err(AppError::NotSignedIn));
        assert_eq!(
            Audience::Staff.admits(Some(&viewer(Role::Learner))),
            Err(AppError::Forbidden)
        );
        assert_eq!(Audience::Staff.admits(Some(&viewer(Role::Trainer))), Ok(()));
        assert_eq!(
            Audience::OrgAdmin.admits(Some(&viewer(Role::Admin))),
            Err(AppError::Forbidden)
        );
        assert_eq!(Audience::OrgAdminOrStaff.admits(Some(&viewer(Role::OrgAdmin))), Ok(()));
        assert_eq!(Audience::Anyone.admits(None), Ok(()));
    }

    #[test]
    fn unknown_server_functions_are_refused_and_pages_are_open() {
        assert_eq!(rule_for("/api/no_such_thing").audience, Audience::SiteAdmin);
        assert_eq!(rule_for("/api/no_such_thing").max_body, 0);
        assert_eq!(rule_for("/api/import_course").audience, Audience::Staff);
        assert_eq!(rule_for("/api/v1/verifications").max_body, MIB);
        assert_eq!(rule_for("/courses/x").audience, Audience::Anyone);
    }

    #[test]
    fn every_server_function_has_a_rule_and_every_rule_a_server_function() {
        let registered: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.trim_start_matches("/api/"))
            .collect();
        assert!(registered.len() > 40, "{registered:?}");
        for name in &registered {
            assert!(
                SERVER_FUNCTIONS.iter().any(|(endpoint, _)| endpoint == name),
                "no access rule for /api/{name}"
            );
        }
        // And the list stays a list of what is served: a rule left behind
        // by a removed function would silently grant its name to the next.
        for (endpoint, _) in SERVER_FUNCTIONS {
            assert!(
                registered.contains(endpoint),
                "a rule for /api/{endpoint}, which no server function serves"
            );
        }
    }
}
