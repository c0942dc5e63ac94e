//! Deleting one's own account, and every trace of the person with it.

use crate::accounts::password::{self, Passwords};
use crate::accounts::throttle::{self, Subject};
use crate::db::schema::{
    api_tokens, attempt_grants, audit_log, course_drafts, course_versions, invitations, outbox, practical_signoffs,
    throttle_events, users,
};
use crate::db::{Database, DbConnection, write_transaction};
use crate::error::{ServerResult, invalid};
use diesel::prelude::*;
use holdspace_app::dto::UserId;

const WRONG_PASSWORD: &str = "That isn't the password of this account, so nothing was deleted. Please try again.";

/// What stands in for a deleted person's name where a record of what they
/// did must stay (the audit log, a published course version).
pub const DELETED_ACCOUNT: &str = "A deleted account";

/// Deletes the account after checking its password once more (off the
/// connection, and throttled like a sign-in, since it is one).
pub async fn delete_own_account(
    db: &Database,
    passwords: &Passwords,
    person: UserId,
    password_input: String,
) -> ServerResult<()> {
    if password_input.len() > password::MAX_LENGTH {
        return invalid(WRONG_PASSWORD);
    }
    let hash: String = db
        .run(move |conn, now| {
            throttle::check(conn, &Subject::AccountDeletion(person), throttle::DELETIONS_FREE, now)?;
            Ok(users::table.find(person).select(users::password_hash).first(conn)?)
        })
        .await?;
    if !passwords.verify(password_input, Some(hash)).await? {
        db.write(move |conn, now| throttle::record(conn, &[Subject::AccountDeletion(person)], now))
            .await?;
        return invalid(WRONG_PASSWORD);
    }
    db.run(move |conn, _| write_transaction(conn, |conn| delete_account(conn, person)))
        .await?;
    tracing::info!(%person, "account deleted at its owner's request");
    Ok(())
}

/// `text` as a literal inside a LIKE pattern (escape character `\`).
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Deletes an account and every trace of the person: the rows that hang off
/// it go with the foreign keys; copies of their name elsewhere are replaced,
/// free text written about them in the audit log is cleared, invitations
/// sent to their address and throttle counters naming them are deleted.
fn delete_account(conn: &mut DbConnection, person: UserId) -> ServerResult<()> {
    let email: String = users::table.find(person).select(users::email).first(conn)?;
    diesel::update(audit_log::table.filter(audit_log::actor_user_id.eq(person)))
        .set((
            audit_log::actor_user_id.eq(None::<UserId>),
            audit_log::actor_name.eq(DELETED_ACCOUNT),
        ))
        .execute(conn)?;
    diesel::update(audit_log::table.filter(audit_log::subject.like(format!("user:{person}/%"))))
        .set(audit_log::reason.eq(None::<String>))
        .execute(conn)?;
    diesel::update(course_versions::table.filter(course_versions::published_by_user_id.eq(person)))
        .set(course_versions::published_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(course_drafts::table.filter(course_drafts::updated_by_user_id.eq(person)))
        .set(course_drafts::updated_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(api_tokens::table.filter(api_tokens::created_by_user_id.eq(person)))
        .set(api_tokens::created_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(practical_signoffs::table.filter(practical_signoffs::signed_by_user_id.eq(person)))
        .set(practical_signoffs::signed_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::update(attempt_grants::table.filter(attempt_grants::granted_by_user_id.eq(person)))
        .set(attempt_grants::granted_by_name.eq(DELETED_ACCOUNT))
        .execute(conn)?;
    diesel::delete(invitations::table.filter(invitations::email.eq(&email))).execute(conn)?;
    // Mail to the account goes with it (by cascade); mail to its address
    // sent before it existed (an invitation) goes too.
    diesel::delete(outbox::table.filter(outbox::to_address.eq(&email))).execute(conn)?;
    for key in Subject::keys_naming(&email, person) {
        diesel::delete(
            throttle_events::table.filter(
                throttle_events::subject
                    .like(format!("{}%", escape_like(&key)))
                    .escape('\\'),
            ),
        )
        .execute(conn)?;
    }
    diesel::delete(users::table.find(person)).execute(conn)?;
    Ok(())
}
