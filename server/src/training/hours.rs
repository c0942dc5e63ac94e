//! Counting hours by category, with the cap on self-paced hours.

use crate::db::DbConnection;
use crate::db::schema::{
    external_trainings, live_sessions, program_course_hours, program_hour_categories, session_seats,
};
use crate::error::ServerResult;
use crate::programs::{self, Program, Route};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::{Attendance, CategoryHours, HoursTally, PracticeStatus, ProgramId, UserId};
use std::collections::BTreeMap;

/// A program's hour category as stored.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = program_hour_categories, check_for_backend(crate::db::MultiBackend))]
pub struct Category {
    pub category_key: String,
    pub title: String,
    pub training_minimum_minutes: i32,
    pub ce_minimum_minutes: i32,
}

/// The program's hour categories, in order.
pub fn categories(conn: &mut DbConnection, program: ProgramId) -> ServerResult<Vec<Category>> {
    Ok(program_hour_categories::table
        .filter(program_hour_categories::program_id.eq(program))
        .order(program_hour_categories::position)
        .select(Category::as_select())
        .load(conn)?)
}

/// Minutes from one source in one category.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Credit {
    category: String,
    minutes: i32,
    /// From a course, read at the learner's own pace: the cap applies.
    self_paced: bool,
    /// Counted, or still waiting (a session not yet marked, a training not yet approved).
    counted: bool,
}

/// What the hours are measured against.
struct HoursRule {
    continuing: bool,
    required: i32,
    self_paced_cap: Option<i32>,
    /// (key, title, minimum)
    categories: Vec<(String, String, i32)>,
}

/// Adds up the credits by category; course hours count in program order
/// until the cap is reached, so which hours count is always the same.
fn tally(rule: &HoursRule, credits: &[Credit]) -> HoursTally {
    let mut room = rule.self_paced_cap.unwrap_or(i32::MAX);
    let (mut counted, mut waiting, mut over_cap) = (0, 0, 0);
    let mut by_category: BTreeMap<&str, i32> = BTreeMap::new();
    for credit in credits {
        if !credit.counted {
            waiting += credit.minutes;
            continue;
        }
        let minutes = if credit.self_paced {
            let within = credit.minutes.min(room);
            room -= within;
            over_cap += credit.minutes - within;
            within
        } else {
            credit.minutes
        };
        counted += minutes;
        *by_category.entry(&credit.category).or_default() += minutes;
    }
    HoursTally {
        continuing: rule.continuing,
        required_minutes: rule.required,
        counted_minutes: counted,
        waiting_minutes: waiting,
        over_cap_minutes: over_cap,
        categories: rule
            .categories
            .iter()
            .map(|(key, title, minimum)| CategoryHours {
                key: key.clone(),
                title: title.clone(),
                minimum_minutes: *minimum,
                counted_minutes: by_category.get(key.as_str()).copied().unwrap_or(0),
            })
            .collect(),
    }
}

/// The learner's hours towards the program by `route`: training for a
/// first certificate (or completing it again), continuing education for a
/// renewal. `None` when the route counts no hours.
pub fn hours_of(
    conn: &mut DbConnection,
    learner: UserId,
    program: &Program,
    route: Route,
) -> ServerResult<Option<HoursTally>> {
    let (continuing, required, since) = match route {
        Route::Complete { since } => (false, program.training_minutes, since),
        Route::Continuing { ce_from, .. } => (true, program.ce_minutes, Some(ce_from)),
    };
    if required == 0 {
        return Ok(None);
    }
    let categories = categories(conn, program.id)?;
    let rule = HoursRule {
        continuing,
        required,
        self_paced_cap: program.self_paced_cap_minutes.filter(|_| !continuing),
        categories: categories
            .into_iter()
            .map(|c| {
                let minimum = if continuing {
                    c.ce_minimum_minutes
                } else {
                    c.training_minimum_minutes
                };
                (c.category_key, c.title, minimum)
            })
            .collect(),
    };
    let mut credits = if continuing {
        Vec::new()
    } else {
        course_credits(conn, learner, program.id, since)?
    };
    credits.extend(session_credits(conn, learner, program.id, since)?);
    credits.extend(training_credits(conn, learner, program.id, since)?);
    Ok(Some(tally(&rule, &credits)))
}

/// The estimated hours of each course the learner completed, in program order.
fn course_credits(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    since: Option<NaiveDateTime>,
) -> ServerResult<Vec<Credit>> {
    let estimates: BTreeMap<String, (String, i32)> = program_course_hours::table
        .filter(program_course_hours::program_id.eq(program))
        .select((
            program_course_hours::course_slug,
            program_course_hours::category_key,
            program_course_hours::minutes,
        ))
        .load::<(String, String, i32)>(conn)?
        .into_iter()
        .map(|(slug, category, minutes)| (slug, (category, minutes)))
        .collect();
    Ok(programs::course_states(conn, learner, program, since)?
        .into_iter()
        .filter_map(|(course, done)| course.filter(|_| done))
        .filter_map(|course| estimates.get(&course.slug))
        .map(|(category, minutes)| Credit {
            category: category.clone(),
            minutes: *minutes,
            self_paced: true,
            counted: true,
        })
        .collect())
}

/// Sessions the learner attended (counted) or is signed up for and not yet marked (waiting).
fn session_credits(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    since: Option<NaiveDateTime>,
) -> ServerResult<Vec<Credit>> {
    let mut query = session_seats::table
        .inner_join(live_sessions::table)
        .filter(session_seats::user_id.eq(learner))
        .filter(live_sessions::program_id.eq(program))
        .select((
            live_sessions::category_key,
            live_sessions::minutes,
            session_seats::attendance.nullable(),
        ))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(live_sessions::starts_at.ge(since));
    }
    Ok(query
        .load::<(String, i32, Option<Attendance>)>(conn)?
        .into_iter()
        .filter(|(_, _, marked)| *marked != Some(Attendance::Absent))
        .map(|(category, minutes, marked)| Credit {
            category,
            minutes,
            self_paced: false,
            counted: marked == Some(Attendance::Attended),
        })
        .collect())
}

/// Trainings taken elsewhere: approved (counted) or waiting for a trainer.
fn training_credits(
    conn: &mut DbConnection,
    learner: UserId,
    program: ProgramId,
    since: Option<NaiveDateTime>,
) -> ServerResult<Vec<Credit>> {
    let mut query = external_trainings::table
        .filter(external_trainings::user_id.eq(learner))
        .filter(external_trainings::program_id.eq(program))
        .filter(external_trainings::status.ne(PracticeStatus::Declined))
        .select((
            external_trainings::category_key,
            external_trainings::minutes,
            external_trainings::status,
        ))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(external_trainings::taken_on.ge(since));
    }
    Ok(query
        .load::<(String, i32, PracticeStatus)>(conn)?
        .into_iter()
        .map(|(category, minutes, status)| Credit {
            category,
            minutes,
            self_paced: false,
            counted: status == PracticeStatus::Confirmed,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(category: &str, hours: i32, self_paced: bool, counted: bool) -> Credit {
        Credit {
            category: category.to_owned(),
            minutes: hours * 60,
            self_paced,
            counted,
        }
    }

    #[test]
    fn hours_add_up_by_category_and_the_cap_applies_to_courses_only() {
        let rule = HoursRule {
            continuing: false,
            required: 40 * 60,
            self_paced_cap: Some(10 * 60),
            categories: vec![
                ("safety".into(), "Safety".into(), 8 * 60),
                ("ethics".into(), "Ethics".into(), 6 * 60),
            ],
        };
        let credits = [
            credit("safety", 6, true, true),
            credit("ethics", 6, true, true),
            credit("safety", 3, false, true),
            credit("ethics", 2, false, false),
        ];
        let tally = tally(&rule, &credits);
        assert_eq!(
            tally.counted_minutes,
            13 * 60,
            "6 + 4 of the course hours, and the session"
        );
        assert_eq!(tally.over_cap_minutes, 2 * 60);
        assert_eq!(tally.waiting_minutes, 2 * 60);
        let by: Vec<i32> = tally.categories.iter().map(|c| c.counted_minutes / 60).collect();
        assert_eq!(by, [9, 4]);
        assert!(tally.categories[0].met() && !tally.categories[1].met());
        assert!(!tally.met());
    }
}
