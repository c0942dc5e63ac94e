//! Site admins looking after accounts. An admin never changes or turns off
//! their own account here (they could lock the site out of its last
//! admin), and a role beyond learner needs a confirmed address.

use super::{confirmation, recovery};
use crate::access::{self, Actor};
use crate::audit::{self, AuditAction};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{memberships, organization_admins, organizations, users};
use crate::error::{ServerResult, invalid};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{AccountRow, MailHealth, Role, UserId};
use holdspace_app::error::AppError;

diesel::define_sql_function! {
    /// SQL's LOWER(), the same on both databases (emails are stored lowercased already).
    #[sql_name = "lower"]
    fn lowercase(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// How many accounts a search shows.
const SHOWN: i64 = 100;

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
struct Account {
    id: UserId,
    display_name: String,
    email: String,
    role: Role,
    email_confirmed_at: Option<NaiveDateTime>,
    disabled_at: Option<NaiveDateTime>,
    last_sign_in_at: Option<NaiveDateTime>,
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub fn find_accounts(conn: &mut DbConnection, admin: UserId, query: &str) -> ServerResult<Vec<AccountRow>> {
    access::site_admin(conn, admin)?;
    let pattern = format!("%{}%", escape_like(&query.trim().to_lowercase()));
    let accounts: Vec<Account> = users::table
        .filter(
            users::email
                .like(&pattern)
                .escape('\\')
                .or(lowercase(users::display_name).like(&pattern).escape('\\')),
        )
        .order((users::display_name, users::id))
        .limit(SHOWN)
        .select(Account::as_select())
        .load(conn)?;
    let ids: Vec<UserId> = accounts.iter().map(|a| a.id).collect();
    let member_of: Vec<(UserId, String)> = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq_any(&ids))
        .select((memberships::user_id, organizations::name))
        .load(conn)?;
    let runs: Vec<(UserId, String)> = organization_admins::table
        .inner_join(organizations::table)
        .filter(organization_admins::user_id.eq_any(&ids))
        .select((organization_admins::user_id, organizations::name))
        .load(conn)?;
    Ok(accounts
        .into_iter()
        .map(|account| AccountRow {
            organizations: runs
                .iter()
                .filter(|(user, _)| *user == account.id)
                .map(|(_, name)| format!("{name} (runs it)"))
                .chain(
                    member_of
                        .iter()
                        .filter(|(user, _)| *user == account.id)
                        .map(|(_, name)| name.clone()),
                )
                .collect(),
            user_id: account.id,
            name: account.display_name,
            email: account.email,
            role: account.role,
            email_confirmed: account.email_confirmed_at.is_some(),
            disabled: account.disabled_at.is_some(),
            last_sign_in: account.last_sign_in_at.map(day),
        })
        .collect())
}

/// The admin, refused if `account` is their own or does not exist.
fn admin_of_another(conn: &mut DbConnection, admin: UserId, account: UserId) -> ServerResult<Actor> {
    let actor = access::site_admin(conn, admin)?;
    if actor.is(account) {
        return invalid("You can't change your own account here. Another site admin can.");
    }
    let exists = diesel::select(diesel::dsl::exists(users::table.find(account))).get_result::<bool>(conn)?;
    if exists {
        Ok(actor)
    } else {
        Err(AppError::NotFound.into())
    }
}

fn subject(account: UserId) -> String {
    format!("user:{account}")
}

pub fn change_role(
    conn: &mut DbConnection,
    admin: UserId,
    account: UserId,
    role: Role,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = admin_of_another(conn, admin, account)?;
    let before: Role = users::table.find(account).select(users::role).first(conn)?;
    if before == role {
        return Ok(());
    }
    if role != Role::Learner && !confirmation::is_confirmed(conn, account)? {
        return invalid(
            "This account's email address isn't confirmed yet, so it can't be given another role. \
             Please ask them to confirm it first.",
        );
    }
    diesel::update(users::table.find(account))
        .set(users::role.eq(role))
        .execute(conn)?;
    let reason = format!("{} to {}", before.as_str(), role.as_str());
    audit::record(
        conn,
        &actor,
        AuditAction::AccountRoleChange,
        &subject(account),
        Some(&reason),
        now,
    )
}

pub fn set_disabled(
    conn: &mut DbConnection,
    admin: UserId,
    account: UserId,
    disabled: bool,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = admin_of_another(conn, admin, account)?;
    diesel::update(users::table.find(account))
        .set(users::disabled_at.eq(disabled.then_some(now)))
        .execute(conn)?;
    let action = if disabled {
        recovery::end_sessions(conn, account, None)?;
        AuditAction::AccountDisable
    } else {
        AuditAction::AccountEnable
    };
    audit::record(conn, &actor, action, &subject(account), None, now)
}

pub fn mail_health(conn: &mut DbConnection, admin: UserId) -> ServerResult<MailHealth> {
    access::site_admin(conn, admin)?;
    let status = crate::mail::status(conn)?;
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(MailHealth {
        waiting: count(status.waiting),
        failing: count(status.failing),
        last_error: status.last_error,
    })
}

pub fn send_password_reset(
    conn: &mut DbConnection,
    admin: UserId,
    account: UserId,
    now: NaiveDateTime,
) -> ServerResult<()> {
    let actor = admin_of_another(conn, admin, account)?;
    recovery::send_reset_link(conn, account, now)?;
    audit::record(
        conn,
        &actor,
        AuditAction::AccountResetSend,
        &subject(account),
        None,
        now,
    )
}
