//! Certificate programs: what `programs.toml` defines (courses, practical
//! requirements, validity), who staffs each, what a learner has completed.

mod completion;
mod practicals;
mod renewal;
mod staff;

pub use completion::{
    CoveredCourse, ProgramLearnerRow, completed_courses, course_states, learners_of, programs_started_by,
    programs_with_course,
};
pub use practicals::{practicals_signed_off, sign_off, signoffs_of};
pub use renewal::{Latest, RenewalRule, Route, Standing, latest_certificate, route, standing, standing_of};
pub use staff::{add_staff, staff_names};

use crate::db::DbConnection;
use crate::db::schema::{program_courses, program_practicals, programs};
use crate::error::ServerResult;
use diesel::prelude::*;
use holdspace_app::dto::{Practical, ProgramId};
use holdspace_app::error::AppError;

/// A program as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = programs, check_for_backend(crate::db::MultiBackend))]
pub struct Program {
    pub id: ProgramId,
    pub slug: String,
    pub title: String,
    pub valid_for_months: i32,
    /// Confirmed supervised practice the program asks for (0: none).
    pub supervised_minutes: i32,
    /// Days before a certificate ends when its renewal opens.
    pub renewal_window_days: i32,
    /// Days after it ends when a renewal still starts the day it ended.
    pub grace_days: i32,
    /// Training a first certificate asks for (0: the program counts no hours).
    pub training_minutes: i32,
    /// At most this much training counts from courses.
    pub self_paced_cap_minutes: Option<i32>,
    /// Continuing education a renewal asks (0: renewing is completing the program again).
    pub ce_minutes: i32,
    /// Days after a lapse when renewing needs the exam again.
    pub reexam_after_days: Option<i32>,
}

impl Program {
    pub fn find(conn: &mut DbConnection, slug: &str) -> ServerResult<Program> {
        programs::table
            .filter(programs::slug.eq(slug))
            .select(Program::as_select())
            .first(conn)
            .optional()?
            .ok_or(AppError::NotFound.into())
    }

    pub fn by_id(conn: &mut DbConnection, id: ProgramId) -> ServerResult<Program> {
        Ok(programs::table.find(id).select(Program::as_select()).first(conn)?)
    }

    /// Every program, by title.
    pub fn all(conn: &mut DbConnection) -> ServerResult<Vec<Program>> {
        Ok(programs::table
            .order(programs::title)
            .select(Program::as_select())
            .load(conn)?)
    }

    /// The slugs of its courses, in order.
    pub fn course_slugs(&self, conn: &mut DbConnection) -> ServerResult<Vec<String>> {
        Ok(program_courses::table
            .filter(program_courses::program_id.eq(self.id))
            .order(program_courses::position)
            .select(program_courses::course_slug)
            .load(conn)?)
    }

    /// Its practical requirements, in order.
    pub fn practicals(&self, conn: &mut DbConnection) -> ServerResult<Vec<Practical>> {
        Ok(program_practicals::table
            .filter(program_practicals::program_id.eq(self.id))
            .order(program_practicals::position)
            .select(PracticalRow::as_select())
            .load(conn)?
            .into_iter()
            .map(|row| Practical {
                key: row.practical_key,
                title: row.title,
            })
            .collect())
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = program_practicals, check_for_backend(crate::db::MultiBackend))]
struct PracticalRow {
    practical_key: String,
    title: String,
}
