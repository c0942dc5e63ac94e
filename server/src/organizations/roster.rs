//! An organization's roster: each member's standing in every published
//! course and their newest certificate of each program.

use super::invitations::invitation_rows;
use crate::access;
use crate::certificates::{StoredState, printed};
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{
    certificates, course_versions, courses, enrollments, memberships, module_reads, modules, programs, users,
};
use crate::error::ServerResult;
use crate::practice;
use crate::programs::{Program, route};
use crate::training;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use holdspace_app::dto::{
    CourseId, CourseStanding, CourseVersionId, EXPIRING_WITHIN_DAYS, EnrollmentId, MemberCertificate, MemberHours,
    OrgRoster, RosterCourse, RosterMember, UserId,
};
use std::collections::{BTreeMap, HashMap};

#[derive(Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
struct Published {
    id: CourseId,
    slug: String,
    #[diesel(select_expression = course_versions::title)]
    title: String,
    #[diesel(select_expression = course_versions::id)]
    version: CourseVersionId,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = memberships, check_for_backend(crate::db::MultiBackend))]
struct Member {
    #[diesel(select_expression = users::id)]
    id: UserId,
    #[diesel(select_expression = users::display_name)]
    name: String,
    #[diesel(select_expression = users::email)]
    email: String,
    joined_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrollments, check_for_backend(crate::db::MultiBackend))]
struct MemberEnrollment {
    id: EnrollmentId,
    user_id: UserId,
    course_id: CourseId,
    completed_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = certificates, check_for_backend(crate::db::MultiBackend))]
struct MemberCertificateRow {
    #[diesel(select_expression = certificates::user_id.assume_not_null())]
    holder: UserId,
    program_title: String,
    code: String,
    #[diesel(embed)]
    state: StoredState,
}

/// Each member's hours towards the programs they started (enrolled in a
/// course of) that count hours or supervised practice.
fn member_hours(
    conn: &mut DbConnection,
    people: &[Member],
    published: &[Published],
    standing: &HashMap<(UserId, CourseId), CourseStanding>,
    now: NaiveDateTime,
) -> ServerResult<HashMap<UserId, Vec<MemberHours>>> {
    let mut hours: HashMap<UserId, Vec<MemberHours>> = HashMap::new();
    for program in Program::all(conn)? {
        if program.training_minutes == 0 && program.ce_minutes == 0 && program.supervised_minutes == 0 {
            continue;
        }
        let slugs = program.course_slugs(conn)?;
        let courses: Vec<CourseId> = published
            .iter()
            .filter(|c| slugs.contains(&c.slug))
            .map(|c| c.id)
            .collect();
        for person in people {
            if !courses.iter().any(|c| standing.contains_key(&(person.id, *c))) {
                continue;
            }
            let route = route(conn, person.id, &program, now)?;
            let supervised = (program.supervised_minutes > 0)
                .then(|| practice::supervised_minutes(conn, person.id, program.id))
                .transpose()?;
            hours.entry(person.id).or_default().push(MemberHours {
                program_title: program.title.clone(),
                training: training::hours_of(conn, person.id, &program, route)?,
                supervised_minutes: supervised.map(|(confirmed, _)| confirmed),
            });
        }
    }
    Ok(hours)
}

/// The roster of the organization the admin runs.
pub fn roster(conn: &mut DbConnection, admin: UserId, base_url: &str, now: NaiveDateTime) -> ServerResult<OrgRoster> {
    let (_, organization) = access::org_admin(conn, admin)?;
    let published: Vec<Published> = crate::current_courses!()
        .order(course_versions::title)
        .select(Published::as_select())
        .load(conn)?;
    let mut module_counts: HashMap<CourseId, u32> = HashMap::new();
    for course in &published {
        let count: i64 = modules::table
            .filter(modules::course_version_id.eq(course.version))
            .count()
            .get_result(conn)?;
        module_counts.insert(course.id, u32::try_from(count).unwrap_or(0));
    }
    let people: Vec<Member> = memberships::table
        .inner_join(users::table)
        .filter(memberships::organization_id.eq(organization.id))
        .order((users::display_name, users::id))
        .select(Member::as_select())
        .load(conn)?;
    let ids: Vec<UserId> = people.iter().map(|p| p.id).collect();

    let mut standing: HashMap<(UserId, CourseId), CourseStanding> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<MemberEnrollment> = enrollments::table
            .filter(enrollments::user_id.eq_any(chunk))
            .select(MemberEnrollment::as_select())
            .load(conn)?;
        let enrollment_ids: Vec<EnrollmentId> = rows.iter().map(|r| r.id).collect();
        let reads: HashMap<EnrollmentId, i64> = module_reads::table
            .filter(module_reads::enrollment_id.eq_any(&enrollment_ids))
            .group_by(module_reads::enrollment_id)
            .select((module_reads::enrollment_id, diesel::dsl::count_star()))
            .load::<(EnrollmentId, i64)>(conn)?
            .into_iter()
            .collect();
        for row in rows {
            let modules = module_counts.get(&row.course_id).copied().unwrap_or(0);
            let entry = match row.completed_at {
                Some(on) => CourseStanding::Completed { on: day(on) },
                None => {
                    let read = u32::try_from(reads.get(&row.id).copied().unwrap_or(0)).unwrap_or(0);
                    CourseStanding::InProgress {
                        modules_read: read.min(modules),
                        modules,
                    }
                }
            };
            standing.insert((row.user_id, row.course_id), entry);
        }
    }

    let mut held: HashMap<UserId, BTreeMap<String, MemberCertificate>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<MemberCertificateRow> = certificates::table
            .inner_join(programs::table)
            .filter(certificates::user_id.eq_any(chunk))
            .order(certificates::issued_at)
            .select(MemberCertificateRow::as_select())
            .load(conn)?;
        for row in rows {
            let status = row.state.at(now);
            let certificate = MemberCertificate {
                program_title: row.program_title.clone(),
                code: printed(&row.code)?,
                status,
                expires_on: day(row.state.expires_at),
                renewal_opens_on: day(row.state.renewal().opens(row.state.expires_at)),
                expiring_soon: status.is_valid() && row.state.expires_at <= now + Duration::days(EXPIRING_WITHIN_DAYS),
            };
            // Oldest first, so the newest of each program stays.
            held.entry(row.holder)
                .or_default()
                .insert(row.program_title, certificate);
        }
    }

    let hours = member_hours(conn, &people, &published, &standing, now)?;
    let mut hours: HashMap<UserId, Vec<MemberHours>> = hours;
    let members = people
        .into_iter()
        .map(|person| RosterMember {
            hours: hours.remove(&person.id).unwrap_or_default(),
            user_id: person.id,
            joined_on: day(person.joined_at),
            courses: published
                .iter()
                .map(|course| {
                    standing
                        .remove(&(person.id, course.id))
                        .unwrap_or(CourseStanding::NotStarted)
                })
                .collect(),
            certificates: held
                .remove(&person.id)
                .map(|by_program| by_program.into_values().collect())
                .unwrap_or_default(),
            name: person.name,
            email: person.email,
        })
        .collect();
    Ok(OrgRoster {
        name: organization.name,
        courses: published
            .into_iter()
            .map(|course| RosterCourse {
                slug: course.slug,
                title: course.title,
            })
            .collect(),
        members,
        invitations: invitation_rows(conn, organization.id, base_url, now)?,
    })
}
