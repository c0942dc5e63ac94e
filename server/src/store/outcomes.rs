//! Loads what the outcome dashboard counts, for the audience the viewer's
//! account allows: an organization admin sees the organization's members,
//! a trainer the learners in the courses they edit, a site admin everyone.
//! The counting itself is [`crate::outcomes`].

use super::StoreError;
use super::organizations::org_admin;
use crate::db::DbConnection;
use crate::db::schema::{
    attempts, certificates, course_editors, course_versions, courses, enrollments, memberships, program_courses,
    programs, users,
};
use crate::outcomes::{Attempt, Certificate, Enrollment, Facts, Range, summarize};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{OutcomeAudience, Outcomes, Role};
use holdspace_app::error::AppError;

/// Holder, program, issued, expires, revoked.
type CertificateRow = (Option<i64>, i64, NaiveDateTime, NaiveDateTime, Option<NaiveDateTime>);

/// Whom and what the dashboard covers.
struct Scope {
    audience: OutcomeAudience,
    /// `None`: everyone.
    people: Option<Vec<i64>>,
    /// Published courses in view, by title: id, slug, title.
    courses: Vec<(i64, String, String)>,
    /// `None`: every program.
    programs: Option<Vec<i64>>,
}

fn scope(conn: &mut DbConnection, user_id: i64) -> Result<Scope, StoreError> {
    let role: String = users::table.find(user_id).select(users::role).first(conn)?;
    let published = || {
        current_courses!()
            .order((course_versions::title, courses::id))
            .select((courses::id, courses::slug, course_versions::title))
            .into_boxed()
    };
    match Role::parse(&role) {
        Some(Role::OrgAdmin) => {
            let (_, organization) = org_admin(conn, user_id)?;
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
        Some(Role::Admin) => Ok(Scope {
            audience: OutcomeAudience::Everyone,
            people: None,
            courses: published().load(conn)?,
            programs: None,
        }),
        Some(Role::Trainer) => {
            let mine = course_editors::table
                .filter(course_editors::user_id.eq(user_id))
                .select(course_editors::course_id);
            let courses: Vec<(i64, String, String)> = published().filter(courses::id.eq_any(mine)).load(conn)?;
            let ids: Vec<i64> = courses.iter().map(|c| c.0).collect();
            let slugs: Vec<&str> = courses.iter().map(|c| c.1.as_str()).collect();
            let mut people: Vec<i64> = enrollments::table
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
        _ => Err(AppError::Forbidden.into()),
    }
}

/// Runs `load` for everyone at once, or for the people in chunks that keep
/// each query's parameter list small.
fn for_people<T>(
    people: &Option<Vec<i64>>,
    mut load: impl FnMut(Option<&[i64]>) -> QueryResult<Vec<T>>,
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

pub(super) fn outcomes(
    conn: &mut DbConnection,
    user_id: i64,
    from: Option<String>,
    to: Option<String>,
    now: NaiveDateTime,
) -> Result<Outcomes, StoreError> {
    let scope = scope(conn, user_id)?;
    let (range, note) = Range::from_query(from.as_deref(), to.as_deref(), now.date());
    let course_ids: Vec<i64> = scope.courses.iter().map(|c| c.0).collect();

    let enrolled: Vec<(i64, NaiveDateTime)> = for_people(&scope.people, |chunk| {
        let mut query = enrollments::table
            .filter(enrollments::course_id.eq_any(&course_ids))
            .select((enrollments::user_id, enrollments::enrolled_at))
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(enrollments::user_id.eq_any(chunk));
        }
        query.load(conn)
    })?;
    let held: Vec<CertificateRow> = for_people(&scope.people, |chunk| {
        let mut query = certificates::table
            .filter(certificates::user_id.is_not_null())
            .select((
                certificates::user_id,
                certificates::program_id,
                certificates::issued_at,
                certificates::expires_at,
                certificates::revoked_at,
            ))
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
    let tried: Vec<(i64, i64, NaiveDateTime, bool)> = for_people(&scope.people, |chunk| {
        let mut query = attempts::table
            .filter(attempts::course_id.eq_any(&course_ids))
            .filter(attempts::submitted_at.ge(start))
            .filter(attempts::submitted_at.lt(end))
            .select((
                attempts::user_id,
                attempts::course_id,
                attempts::submitted_at,
                attempts::passed,
            ))
            .into_boxed();
        if let Some(chunk) = chunk {
            query = query.filter(attempts::user_id.eq_any(chunk));
        }
        query.load(conn)
    })?;

    let facts = Facts {
        enrollments: enrolled
            .into_iter()
            .map(|(person, at)| Enrollment { person, at })
            .collect(),
        certificates: held
            .into_iter()
            .filter_map(|(person, program, issued_at, expires_at, revoked_at)| {
                Some(Certificate {
                    person: person?,
                    program,
                    issued_at,
                    expires_at,
                    revoked: revoked_at.is_some(),
                })
            })
            .collect(),
        attempts: tried
            .into_iter()
            .map(|(person, course, at, passed)| Attempt {
                person,
                course,
                at,
                passed,
            })
            .collect(),
        courses: scope.courses.into_iter().map(|(id, _, title)| (id, title)).collect(),
    };
    Ok(summarize(scope.audience, &facts, range, note, now))
}
