//! Bulk verification: a list of codes checked a chunk at a time, its
//! progress and results kept for a day under an id for the person who sent it.

use crate::access;
use crate::db::DbConnection;
use crate::db::schema::bulk_verifications;
use crate::error::ServerResult;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{BulkCheck, BulkCheckId, BulkRow, UserId};
use holdspace_app::error::AppError;

/// Codes per step of a bulk verification; a list no longer than this is
/// checked before its page is shown.
pub const CHUNK: usize = 500;
/// How long bulk results stay to be looked at again or downloaded.
const RESULTS_KEPT: Duration = Duration::days(1);
/// A check unfinished after this long was cut off (10,000 codes take seconds).
const GIVEN_UP: Duration = Duration::minutes(10);

fn stored(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Starts a bulk verification of `total` codes by someone who may; returns its id.
pub fn start(conn: &mut DbConnection, sender: UserId, total: usize, now: NaiveDateTime) -> ServerResult<BulkCheckId> {
    access::bulk_verifier(conn, sender)?;
    sweep(conn, now)?;
    Ok(diesel::insert_into(bulk_verifications::table)
        .values((
            bulk_verifications::user_id.eq(sender),
            bulk_verifications::results.eq("[]"),
            bulk_verifications::total.eq(stored(total)),
            bulk_verifications::checked.eq(0),
            bulk_verifications::created_at.eq(now),
        ))
        .returning(bulk_verifications::id)
        .get_result(conn)?)
}

/// Records how many codes are checked so far (for the progress bar).
pub fn checked(conn: &mut DbConnection, id: BulkCheckId, checked: usize) -> ServerResult<()> {
    diesel::update(bulk_verifications::table.find(id))
        .set(bulk_verifications::checked.eq(stored(checked)))
        .execute(conn)?;
    Ok(())
}

pub fn finish(conn: &mut DbConnection, id: BulkCheckId, rows: &[BulkRow], now: NaiveDateTime) -> ServerResult<()> {
    diesel::update(bulk_verifications::table.find(id))
        .set((
            bulk_verifications::results.eq(serde_json::to_string(rows)?),
            bulk_verifications::finished_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = bulk_verifications, check_for_backend(crate::db::MultiBackend))]
struct Stored {
    results: String,
    checked: i32,
    total: i32,
    created_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
}

/// A bulk verification saved by the same person, and only them; with no
/// id, only whether they may verify in bulk at all.
pub fn results(
    conn: &mut DbConnection,
    sender: UserId,
    id: Option<BulkCheckId>,
    now: NaiveDateTime,
) -> ServerResult<Option<BulkCheck>> {
    access::bulk_verifier(conn, sender)?;
    let Some(id) = id else { return Ok(None) };
    let check = bulk_verifications::table
        .filter(bulk_verifications::id.eq(id))
        .filter(bulk_verifications::user_id.eq(sender))
        .filter(bulk_verifications::created_at.gt(now - RESULTS_KEPT))
        .select(Stored::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    Ok(Some(match check.finished_at {
        Some(_) => BulkCheck::Done(serde_json::from_str(&check.results)?),
        None if check.created_at <= now - GIVEN_UP => BulkCheck::Interrupted,
        None => BulkCheck::Checking {
            checked: u32::try_from(check.checked).unwrap_or(0),
            total: u32::try_from(check.total).unwrap_or(0),
        },
    }))
}

/// Deletes results past their day (they hold holders' names).
pub fn sweep(conn: &mut DbConnection, now: NaiveDateTime) -> ServerResult<()> {
    diesel::delete(bulk_verifications::table.filter(bulk_verifications::created_at.le(now - RESULTS_KEPT)))
        .execute(conn)?;
    Ok(())
}
