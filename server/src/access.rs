//! Who may do what: the one place that answers it.
//!
//! Every operation starts here. Server functions are public HTTP endpoints,
//! so hiding a button is not a check: each operation asks one of these
//! rules, with the acting account the session established, before it reads
//! or changes anything. [`endpoints`] answers the coarse question before a
//! request's body is even read (may this role call this endpoint at all?);
//! the rules below answer the fine ones (this course, this program, this
//! organization, this person's own record):
//!
//! | who | may |
//! | --- | --- |
//! | anyone signed in | their own records: enrolments, attempts, certificates, memberships |
//! | a trainer | the courses they created or an admin added them to ([`editable_course`]); the learners, practicals and exam attempts of the programs an admin assigned them ([`staffs_program`], [`may_grant_attempt`]); never their own record ([`not_own_record`]) |
//! | an organization admin | their one organization ([`org_admin`]) and the members who joined it |
//! | a site admin | every course and program, organizations, staff assignments |
//! | the command line | what a site admin may |

pub mod endpoints;

use crate::db::DbConnection;
use crate::db::schema::{
    certificates, course_editors, courses, organization_admins, organizations, program_staff, users,
};
use crate::error::ServerResult;
use diesel::prelude::*;
use holdspace_app::dto::{CertificateId, CourseId, CourseVersionId, OrganizationId, ProgramId, Role, UserId};
use holdspace_app::error::AppError;

/// Whoever is acting: a signed-in person, or the command line.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(crate::db::MultiBackend))]
pub struct Actor {
    #[diesel(select_expression = users::id.nullable())]
    pub id: Option<UserId>,
    #[diesel(select_expression = users::display_name)]
    pub name: String,
    pub role: Role,
}

impl Actor {
    /// The command line runs with the server's own authority.
    pub fn command_line() -> Self {
        Actor {
            id: None,
            name: "command line".into(),
            role: Role::Admin,
        }
    }

    /// Any account, as it acts.
    pub fn load(conn: &mut DbConnection, user: UserId) -> ServerResult<Actor> {
        Ok(users::table.find(user).select(Actor::as_select()).first(conn)?)
    }

    pub fn is(&self, user: UserId) -> bool {
        self.id == Some(user)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

fn refuse<T>() -> ServerResult<T> {
    Err(AppError::Forbidden.into())
}

/// A trainer or a site admin; anyone else is refused.
pub fn staff(conn: &mut DbConnection, user: UserId) -> ServerResult<Actor> {
    let actor = Actor::load(conn, user)?;
    if matches!(actor.role, Role::Trainer | Role::Admin) {
        Ok(actor)
    } else {
        refuse()
    }
}

/// A site admin; anyone else is refused.
pub fn site_admin(conn: &mut DbConnection, user: UserId) -> ServerResult<Actor> {
    let actor = Actor::load(conn, user)?;
    if actor.is_admin() { Ok(actor) } else { refuse() }
}

/// Staff never act on their own record: a trainer signing off their own
/// practical, or revoking their own certificate, would be their own judge.
pub fn not_own_record(actor: &Actor, person: UserId) -> ServerResult<()> {
    if actor.is(person) { refuse() } else { Ok(()) }
}

/// Logged practice is decided by the supervisor the learner named, and
/// nobody decides on their own: not even an admin stands in, since the
/// confirmation says "I saw this".
pub fn require_named_supervisor(actor: &Actor, supervisor: Option<UserId>, learner: UserId) -> ServerResult<()> {
    match (actor.id, supervisor) {
        (Some(me), Some(named)) if me == named && !actor.is(learner) => Ok(()),
        _ => refuse(),
    }
}

// ---- courses -------------------------------------------------------------------

/// A course an actor may edit, with its published version if it has one.
#[derive(Clone, Copy, Debug, Queryable, Selectable)]
#[diesel(table_name = courses, check_for_backend(crate::db::MultiBackend))]
pub struct EditableCourse {
    pub id: CourseId,
    #[diesel(column_name = current_version_id)]
    pub current_version: Option<CourseVersionId>,
}

/// The course `slug` if `actor` may edit it: admins edit every course,
/// trainers the ones they created or were added to.
pub fn editable_course(conn: &mut DbConnection, actor: &Actor, slug: &str) -> ServerResult<EditableCourse> {
    let course = courses::table
        .filter(courses::slug.eq(slug))
        .select(EditableCourse::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if actor.is_admin() || edits(conn, course.id, actor)? {
        Ok(course)
    } else {
        refuse()
    }
}

/// Whether `actor` is one of the course's editors (admins edit all courses without being listed).
pub fn edits(conn: &mut DbConnection, course: CourseId, actor: &Actor) -> ServerResult<bool> {
    let Some(user) = actor.id else { return Ok(false) };
    let listed = course_editors::table
        .filter(course_editors::course_id.eq(course))
        .filter(course_editors::user_id.eq(user));
    Ok(diesel::select(diesel::dsl::exists(listed)).get_result(conn)?)
}

/// The courses a trainer edits (for whom they may follow).
pub fn courses_edited_by(conn: &mut DbConnection, user: UserId) -> ServerResult<Vec<CourseId>> {
    Ok(course_editors::table
        .filter(course_editors::user_id.eq(user))
        .select(course_editors::course_id)
        .load(conn)?)
}

// ---- programs ------------------------------------------------------------------

/// Whether `actor` may act on the learners of a program: admins on every
/// program, trainers on those an admin assigned them to.
pub fn staffs_program(conn: &mut DbConnection, actor: &Actor, program: ProgramId) -> ServerResult<bool> {
    if actor.is_admin() {
        return Ok(true);
    }
    let Some(user) = actor.id.filter(|_| actor.role == Role::Trainer) else {
        return Ok(false);
    };
    let assigned = program_staff::table
        .filter(program_staff::program_id.eq(program))
        .filter(program_staff::user_id.eq(user));
    Ok(diesel::select(diesel::dsl::exists(assigned)).get_result(conn)?)
}

/// Refuses unless `actor` staffs the program.
pub fn require_program_staff(conn: &mut DbConnection, actor: &Actor, program: ProgramId) -> ServerResult<()> {
    if staffs_program(conn, actor, program)? {
        Ok(())
    } else {
        refuse()
    }
}

/// The programs a trainer is assigned to.
pub fn programs_staffed_by(conn: &mut DbConnection, user: UserId) -> ServerResult<Vec<ProgramId>> {
    Ok(program_staff::table
        .filter(program_staff::user_id.eq(user))
        .select(program_staff::program_id)
        .load(conn)?)
}

// ---- attempts -----------------------------------------------------------------

/// Who may open one more attempt for a learner beyond a policy: for a
/// module quiz, the course's editors; for a program's exam, its staff;
/// admins for both; never for themselves.
pub fn may_grant_attempt(conn: &mut DbConnection, actor: &Actor, learner: UserId, on: GrantOn) -> ServerResult<()> {
    not_own_record(actor, learner)?;
    let allowed = match on {
        GrantOn::Course(course) => actor.is_admin() || edits(conn, course, actor)?,
        GrantOn::Program(program) => staffs_program(conn, actor, program)?,
    };
    if allowed { Ok(()) } else { refuse() }
}

/// What an extra attempt is for, as [`may_grant_attempt`] judges it.
#[derive(Clone, Copy, Debug)]
pub enum GrantOn {
    Course(CourseId),
    Program(ProgramId),
}

// ---- certificates --------------------------------------------------------------

/// Whether `actor` may revoke a certificate: staff of its program, and never its holder.
pub fn may_revoke(conn: &mut DbConnection, actor: &Actor, certificate: CertificateId) -> ServerResult<bool> {
    let (program, holder): (ProgramId, Option<UserId>) = certificates::table
        .find(certificate)
        .select((certificates::program_id, certificates::user_id))
        .first(conn)?;
    Ok(holder.is_none_or(|holder| !actor.is(holder)) && staffs_program(conn, actor, program)?)
}

// ---- organizations -------------------------------------------------------------

/// The organization an organization admin runs.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = organizations, check_for_backend(crate::db::MultiBackend))]
pub struct OrganizationRef {
    pub id: OrganizationId,
    pub slug: String,
    pub name: String,
}

/// The admin of an organization, and that organization; anyone else is
/// refused. No organization id ever comes from a request: the organization
/// is found from the acting account, so another organization's rows are
/// out of reach by construction.
pub fn org_admin(conn: &mut DbConnection, user: UserId) -> ServerResult<(Actor, OrganizationRef)> {
    let actor = Actor::load(conn, user)?;
    let organization = organization_admins::table
        .inner_join(organizations::table)
        .filter(organization_admins::user_id.eq(user))
        .select(OrganizationRef::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::Forbidden)?;
    Ok((actor, organization))
}

/// Who may check codes in bulk: organization admins and staff.
pub fn bulk_verifier(conn: &mut DbConnection, user: UserId) -> ServerResult<Actor> {
    let actor = Actor::load(conn, user)?;
    match actor.role {
        Role::Admin | Role::Trainer => Ok(actor),
        _ => org_admin(conn, user).map(|(actor, _)| actor),
    }
}

/// Whose outcomes an account may see.
#[derive(Clone, Debug)]
pub enum OutcomeView {
    /// An organization admin: the members who joined.
    Organization(OrganizationRef),
    /// A trainer: the learners of the courses they edit.
    CoursesEdited(Vec<CourseId>),
    /// A site admin: everyone.
    Everyone,
}

pub fn outcome_view(conn: &mut DbConnection, user: UserId) -> ServerResult<OutcomeView> {
    let actor = Actor::load(conn, user)?;
    match actor.role {
        Role::OrgAdmin => Ok(OutcomeView::Organization(org_admin(conn, user)?.1)),
        Role::Trainer => Ok(OutcomeView::CoursesEdited(courses_edited_by(conn, user)?)),
        Role::Admin => Ok(OutcomeView::Everyone),
        Role::Learner => refuse(),
    }
}
