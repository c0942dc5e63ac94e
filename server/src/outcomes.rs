//! The outcome dashboard: loads what it counts for the audience the
//! viewer's account allows (see [`crate::access::outcome_view`]); the
//! counting itself is [`figures`].

pub mod figures;

use crate::access::{self, OutcomeView};
use crate::db::DbConnection;
use crate::db::schema::{
    attempts, certificates, course_versions, courses, enrollments, external_trainings, live_sessions, memberships,
    practice_logs, program_courses, programs, session_seats,
};
use crate::error::ServerResult;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use figures::{Attempt, Certificate, Enrollment, Facts, Hours, Range, summarize};
use holdspace_app::dto::{
    Attendance, CourseId, LiveSessionId, OutcomeAudience, Outcomes, PracticeStatus, ProgramId, UserId,
};
use std::collections::BTreeMap;

/// A published course in view.
#[derive(Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
struct InView {
    id: CourseId,
    slug: String,
    #[diesel(select_expression = course_versions::title)]
    title: String,
}

/// Whom and what the dashboard covers.
struct Scope {
    audience: OutcomeAudience,
    /// `None`: everyone.
    people: Option<Vec<UserId>>,
    /// Published courses in view, by title.
    courses: Vec<InView>,
    /// `None`: every program.
    programs: Option<Vec<ProgramId>>,
}

fn scope(conn: &mut DbConnection, viewer: UserId) -> ServerResult<Scope> {
    let published = || {
        crate::current_courses!()
            .order((course_versions::title, courses::id))
            .select(InView::as_select())
            .into_boxed()
    };
    match access::outcome_view(conn, viewer)? {
        OutcomeView::Organization(organization) => {
            let people = memberships::table
                .filter(memberships::organization_id.eq(organization.id))
                .select(memberships::user_id)
                .load(conn)?;
            Ok(Scope {
                audience: OutcomeAudience::Organization(organization.name),
                people: Some(people),
                courses: published().load(conn)?,
                programs: None,
            })
        }
        OutcomeView::Everyone => Ok(Scope {
            audience: OutcomeAudience::Everyone,
            people: None,
            courses: published().load(conn)?,
            programs: None,
        }),
        OutcomeView::CoursesEdited(mine) => {
            let courses: Vec<InView> = published().filter(courses::id.eq_any(&mine)).load(conn)?;
            let ids: Vec<CourseId> = courses.iter().map(|c| c.id).collect();
            let slugs: Vec<&str> = courses.iter().map(|c| c.slug.as_str()).collect();
            let mut people: Vec<UserId> = enrollments::table
                .filter(enrollments::course_id.eq_any(&ids))
                .select(enrollments::user_id)
                .distinct()
                .load(conn)?;
            people.sort_unstable();
            let programs = programs::table
                .inner_join(program_courses::table)
                .filter(program_courses::course_slug.eq_any(&slugs))
                .select(programs::id)
                .distinct()
                .load(conn)?;
            Ok(Scope {
                audience: OutcomeAudience::TrainerCourses,
                people: Some(people),
                courses,
                programs: Some(programs),
            })
        }
    }
}

/// Runs `load` for everyone at once, or for the people in chunks that keep
/// each query's parameter list small.
fn for_people<T>(
    people: &Option<Vec<UserId>>,
    mut load: impl FnMut(Option<&[UserId]>) -> QueryResult<Vec<T>>,
) -> QueryResult<Vec<T>> {
    match people {
        None => load(None),
        Some(people) => {
            let mut all = Vec::new();
            for chunk in people.chunks(500) {
                all.extend(load(Some(chunk))?);
            }
            Ok(all)
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrollments, check_for_backend(crate::db::MultiBackend))]
struct Enrolled {
    user_id: UserId,
    enrolled_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
struct Held {
    user_id: Option<UserId>,
    program_id: ProgramId,
    issued_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attempts, check_for_backend(crate::db::MultiBackend))]
struct Tried {
    user_id: UserId,
    course_id: CourseId,
    submitted_at: NaiveDateTime,
    passed: bool,
}

/// Hours put in between `start` and `end` by the people in view, in the
/// programs in view: attended sessions and approved trainings (training),
/// confirmed practice (supervised); and the sessions they attended.
fn hours_in_view(
    conn: &mut DbConnection,
    scope: &Scope,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> ServerResult<(Vec<Hours>, Vec<NaiveDateTime>)> {
    let seats: Vec<(LiveSessionId, NaiveDateTime, i32)> = for_people(&scope.people, |chunk| {
        let mut query = session_seats::table
            .inner_join(live_sessions::table)
            .filter(session_seats::attendance.eq(Attendance::Attended))
            .filter(live_sessions::starts_at.ge(start))
            .filter(live_sessions::starts_at.lt(end))
            .select((live_sessions::id, live_sessions::starts_at, live_sessions::minutes))
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(session_seats::user_id.eq_any(chunk));
        }
        if let Some(programs) = &scope.programs {
            query = query.filter(live_sessions::program_id.eq_any(programs));
        }
        query.load(conn)
    })?;
    let trainings: Vec<(NaiveDateTime, i32)> = for_people(&scope.people, |chunk| {
        let mut query = external_trainings::table
            .filter(external_trainings::status.eq(PracticeStatus::Confirmed))
            .filter(external_trainings::taken_on.ge(start))
            .filter(external_trainings::taken_on.lt(end))
            .select((external_trainings::taken_on, external_trainings::minutes))
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(external_trainings::user_id.eq_any(chunk));
        }
        if let Some(programs) = &scope.programs {
            query = query.filter(external_trainings::program_id.eq_any(programs));
        }
        query.load(conn)
    })?;
    let practice: Vec<(NaiveDateTime, i32)> = for_people(&scope.people, |chunk| {
        let mut query = practice_logs::table
            .filter(practice_logs::status.eq(PracticeStatus::Confirmed))
            .filter(practice_logs::practiced_on.ge(start))
            .filter(practice_logs::practiced_on.lt(end))
            .select((practice_logs::practiced_on, practice_logs::minutes))
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(practice_logs::user_id.eq_any(chunk));
        }
        if let Some(programs) = &scope.programs {
            query = query.filter(practice_logs::program_id.eq_any(programs));
        }
        query.load(conn)
    })?;
    let sessions: BTreeMap<LiveSessionId, NaiveDateTime> = seats.iter().map(|(id, at, _)| (*id, *at)).collect();
    let hours = seats
        .into_iter()
        .map(|(_, at, minutes)| (at, minutes, false))
        .chain(trainings.into_iter().map(|(at, minutes)| (at, minutes, false)))
        .chain(practice.into_iter().map(|(at, minutes)| (at, minutes, true)))
        .map(|(at, minutes, supervised)| Hours {
            at,
            minutes,
            supervised,
        })
        .collect();
    Ok((hours, sessions.into_values().collect()))
}

/// The dashboard for the range (ISO dates; defaults when absent), for whom
/// the viewer may see.
pub fn outcomes(
    conn: &mut DbConnection,
    viewer: UserId,
    from: Option<String>,
    to: Option<String>,
    now: NaiveDateTime,
) -> ServerResult<Outcomes> {
    let scope = scope(conn, viewer)?;
    let (range, note) = Range::from_query(from.as_deref(), to.as_deref(), now.date());
    let course_ids: Vec<CourseId> = scope.courses.iter().map(|c| c.id).collect();
    let enrolled: Vec<Enrolled> = for_people(&scope.people, |chunk| {
        let mut query = enrollments::table
            .filter(enrollments::course_id.eq_any(&course_ids))
            .select(Enrolled::as_select())
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(enrollments::user_id.eq_any(chunk));
        }
        query.load(conn)
    })?;
    let held: Vec<Held> = for_people(&scope.people, |chunk| {
        let mut query = certificates::table
            .filter(certificates::user_id.is_not_null())
            .select(Held::as_select())
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(certificates::user_id.eq_any(chunk));
        }
        if let Some(programs) = &scope.programs {
            query = query.filter(certificates::program_id.eq_any(programs));
        }
        query.load(conn)
    })?;
    // Only the range's attempts: they are the most numerous rows by far.
    let (start, end) = (
        range.from.and_hms_opt(0, 0, 0).unwrap_or_default(),
        (range.to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default(),
    );
    let tried: Vec<Tried> = for_people(&scope.people, |chunk| {
        let mut query = attempts::table
            .filter(attempts::course_id.eq_any(&course_ids))
            .filter(attempts::submitted_at.ge(start))
            .filter(attempts::submitted_at.lt(end))
            .select(Tried::as_select())
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(attempts::user_id.eq_any(chunk));
        }
        query.load(conn)
    })?;
    let (hours, sessions) = hours_in_view(conn, &scope, start, end)?;
    let facts = Facts {
        hours,
        sessions,
        enrollments: enrolled
            .into_iter()
            .map(|e| Enrollment {
                person: e.user_id,
                at: e.enrolled_at,
            })
            .collect(),
        certificates: held
            .into_iter()
            .filter_map(|c| {
                Some(Certificate {
                    person: c.user_id?,
                    program: c.program_id,
                    issued_at: c.issued_at,
                    expires_at: c.expires_at,
                    revoked: c.revoked_at.is_some(),
                })
            })
            .collect(),
        attempts: tried
            .into_iter()
            .map(|a| Attempt {
                person: a.user_id,
                course: a.course_id,
                at: a.submitted_at,
                passed: a.passed,
            })
            .collect(),
        courses: scope.courses.into_iter().map(|c| (c.id, c.title)).collect(),
    };
    Ok(summarize(scope.audience, &facts, range, note, now))
}
