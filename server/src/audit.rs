//! The audit log: who did what to which record, when, and why.

use crate::access::Actor;
use crate::db::DbConnection;
use crate::db::schema::audit_log;
use crate::error::ServerResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

holdspace_app::stored_names! {
    /// What was done (`audit_log.action`).
    pub enum AuditAction {
        CourseCreate = "course.create",
        CoursePublish = "course.publish",
        CourseImport = "course.import",
        CourseDelete = "course.delete",
        CourseDraftDiscard = "course.draft.discard",
        CourseEditorAdd = "course.editor.add",
        ProgramStaffAdd = "program.staff.add",
        PracticalSignoff = "practical.signoff",
        PracticeLog = "practice.log",
        PracticeConfirm = "practice.confirm",
        PracticeDecline = "practice.decline",
        AttestationSign = "attestation.sign",
        RoleplayScore = "roleplay.score",
        SessionSchedule = "session.schedule",
        SessionSignUp = "session.sign_up",
        SessionLeave = "session.leave",
        SessionAttendance = "session.attendance",
        TrainingLog = "training.log",
        TrainingConfirm = "training.confirm",
        TrainingDecline = "training.decline",
        CertificateRevoke = "certificate.revoke",
        CertificateSuspend = "certificate.suspend",
        CertificateReinstate = "certificate.reinstate",
        CertificateReissue = "certificate.reissue",
        AttemptGrant = "attempt.grant",
        OrganizationCreate = "organization.create",
        OrganizationAdminAdd = "organization.admin.add",
        OrganizationInvite = "organization.invite",
        OrganizationInvitationWithdraw = "organization.invitation.withdraw",
        OrganizationJoin = "organization.join",
        OrganizationLeave = "organization.leave",
        ApiTokenCreate = "api_token.create",
        ApiTokenRevoke = "api_token.revoke",
        AccountRoleChange = "account.role",
        AccountDisable = "account.disable",
        AccountEnable = "account.enable",
        AccountResetSend = "account.reset.send",
    }
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct Entry<'a> {
    actor_user_id: Option<holdspace_app::dto::UserId>,
    actor_name: &'a str,
    action: AuditAction,
    subject: &'a str,
    reason: Option<&'a str>,
    at: NaiveDateTime,
}

/// Records that `actor` did `action` to `subject` (`course:slug`,
/// `user:12/program:slug/key`, …), with the reason they gave if any.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: AuditAction,
    subject: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let entry = Entry {
        actor_user_id: actor.id,
        actor_name: &actor.name,
        action,
        subject,
        reason,
        at: now,
    };
    diesel::insert_into(audit_log::table).values(&entry).execute(conn)?;
    Ok(())
}
