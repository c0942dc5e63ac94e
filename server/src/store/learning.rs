//! The learning loop: catalog, outlines, enrolment, reading, quizzes and
//! progress. Every function takes the acting user's id and touches only
//! that user's records.

use super::certificates::{self, Issuing};
use super::{StoreError, day};
use crate::db::schema::{
    attempt_answers, attempts, course_versions, courses, enrollments, module_reads, modules, program_courses,
    question_options, questions, quiz_sittings,
};
use crate::db::{DbConnection, is_unique_violation, write_transaction};
use crate::grading::{self, GradedQuestion};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::dto::*;
use holdspace_app::error::AppError;
use holdspace_app::port::Answers;
use rand::seq::SliceRandom;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Basis points to a whole percent, rounded down.
fn percent(basis_points: i32) -> u32 {
    (basis_points.max(0) / 100) as u32
}

/// A course with its current (published) version.
struct CurrentCourse {
    course_id: i64,
    slug: String,
    version_id: i64,
    version_label: String,
    title: String,
    summary: String,
    outcomes: String,
    pass_mark: i32,
}

type CurrentCourseColumns = (
    courses::id,
    courses::slug,
    course_versions::id,
    course_versions::version_label,
    course_versions::title,
    course_versions::summary,
    course_versions::outcomes,
    course_versions::pass_mark,
);

const CURRENT_COURSE_COLUMNS: CurrentCourseColumns = (
    courses::id,
    courses::slug,
    course_versions::id,
    course_versions::version_label,
    course_versions::title,
    course_versions::summary,
    course_versions::outcomes,
    course_versions::pass_mark,
);

type CurrentCourseRow = (i64, String, i64, String, String, String, String, i32);

impl From<CurrentCourseRow> for CurrentCourse {
    fn from(
        (course_id, slug, version_id, version_label, title, summary, outcomes, pass_mark): CurrentCourseRow,
    ) -> Self {
        Self {
            course_id,
            slug,
            version_id,
            version_label,
            title,
            summary,
            outcomes,
            pass_mark,
        }
    }
}

fn current_course(conn: &mut DbConnection, slug: &str) -> Result<CurrentCourse, StoreError> {
    current_courses!()
        .filter(courses::slug.eq(slug))
        .select(CURRENT_COURSE_COLUMNS)
        .first::<CurrentCourseRow>(conn)
        .optional()?
        .map(CurrentCourse::from)
        .ok_or(AppError::NotFound.into())
}

/// A module as listed in an outline.
struct ModuleRow {
    id: i64,
    slug: String,
    title: String,
    minutes: i32,
    has_quiz: bool,
    has_content_note: bool,
}

fn version_modules(conn: &mut DbConnection, version_id: i64) -> Result<Vec<ModuleRow>, StoreError> {
    let rows: Vec<(i64, String, String, i32, bool, Option<String>)> = modules::table
        .filter(modules::course_version_id.eq(version_id))
        .order(modules::position)
        .select((
            modules::id,
            modules::slug,
            modules::title,
            modules::minutes,
            modules::has_quiz,
            modules::content_note,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, title, minutes, has_quiz, note)| ModuleRow {
            id,
            slug,
            title,
            minutes,
            has_quiz,
            has_content_note: note.is_some(),
        })
        .collect())
}

struct Enrollment {
    id: i64,
    last_module_slug: Option<String>,
    completed_at: Option<NaiveDateTime>,
}

fn enrollment(conn: &mut DbConnection, user_id: i64, course_id: i64) -> Result<Option<Enrollment>, StoreError> {
    let row: Option<(i64, Option<String>, Option<NaiveDateTime>)> = enrollments::table
        .filter(enrollments::user_id.eq(user_id))
        .filter(enrollments::course_id.eq(course_id))
        .select((
            enrollments::id,
            enrollments::last_module_slug,
            enrollments::completed_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, last_module_slug, completed_at)| Enrollment {
        id,
        last_module_slug,
        completed_at,
    }))
}

/// Slugs of modules the learner has read, and of modules whose quiz they passed (in any version).
fn reads_and_passes(
    conn: &mut DbConnection,
    user_id: i64,
    course_id: i64,
    enrollment_id: i64,
) -> Result<(HashSet<String>, HashSet<String>), StoreError> {
    let read: Vec<String> = module_reads::table
        .filter(module_reads::enrollment_id.eq(enrollment_id))
        .select(module_reads::module_slug)
        .load(conn)?;
    let passed: Vec<String> = attempts::table
        .filter(attempts::user_id.eq(user_id))
        .filter(attempts::course_id.eq(course_id))
        .filter(attempts::passed.eq(true))
        .select(attempts::module_slug)
        .distinct()
        .load(conn)?;
    Ok((read.into_iter().collect(), passed.into_iter().collect()))
}

fn progress_of(
    modules: &[ModuleRow],
    enrollment: &Enrollment,
    read: &HashSet<String>,
    passed: &HashSet<String>,
) -> Progress {
    let quiz_modules = modules.iter().filter(|m| m.has_quiz);
    Progress {
        modules_read: modules.iter().filter(|m| read.contains(&m.slug)).count() as u32,
        modules_total: modules.len() as u32,
        quizzes_passed: quiz_modules.clone().filter(|m| passed.contains(&m.slug)).count() as u32,
        quizzes_total: quiz_modules.count() as u32,
        completed_on: enrollment.completed_at.map(day),
        resume: enrollment
            .last_module_slug
            .as_ref()
            .and_then(|slug| modules.iter().find(|m| &m.slug == slug))
            .map(|m| ModuleLink {
                slug: m.slug.clone(),
                title: m.title.clone(),
            }),
    }
}

fn progress_for(
    conn: &mut DbConnection,
    user_id: Option<i64>,
    course: &CurrentCourse,
    modules: &[ModuleRow],
) -> Result<Option<Progress>, StoreError> {
    let Some(user_id) = user_id else { return Ok(None) };
    let Some(enrollment) = enrollment(conn, user_id, course.course_id)? else {
        return Ok(None);
    };
    let (read, passed) = reads_and_passes(conn, user_id, course.course_id, enrollment.id)?;
    Ok(Some(progress_of(modules, &enrollment, &read, &passed)))
}

/// Courses in the order their programs list them, then by title.
pub(super) fn catalog(conn: &mut DbConnection, viewer: Option<i64>) -> Result<Vec<CourseCard>, StoreError> {
    let mut courses: Vec<CurrentCourse> = current_courses!()
        .select(CURRENT_COURSE_COLUMNS)
        .load::<CurrentCourseRow>(conn)?
        .into_iter()
        .map(Into::into)
        .collect();
    let order: Vec<(String, i32)> = program_courses::table
        .select((program_courses::course_slug, program_courses::position))
        .load(conn)?;
    let mut rank: HashMap<String, i32> = HashMap::new();
    for (slug, position) in order {
        let entry = rank.entry(slug).or_insert(position);
        *entry = (*entry).min(position);
    }
    courses.sort_by(|a, b| {
        let key = |c: &CurrentCourse| (rank.get(&c.slug).copied().unwrap_or(i32::MAX), c.title.to_lowercase());
        key(a).cmp(&key(b))
    });
    courses
        .into_iter()
        .map(|course| {
            let modules = version_modules(conn, course.version_id)?;
            let progress = progress_for(conn, viewer, &course, &modules)?;
            Ok(CourseCard {
                module_count: modules.len() as u32,
                minutes: modules.iter().map(|m| m.minutes.max(0) as u32).sum(),
                slug: course.slug,
                title: course.title,
                summary: course.summary,
                progress,
            })
        })
        .collect()
}

pub(super) fn course_outline(
    conn: &mut DbConnection,
    slug: &str,
    viewer: Option<i64>,
) -> Result<CourseOutline, StoreError> {
    let course = current_course(conn, slug)?;
    let modules = version_modules(conn, course.version_id)?;
    let progress = progress_for(conn, viewer, &course, &modules)?;
    let (read, passed) = match (viewer, &progress) {
        (Some(user_id), Some(_)) => {
            let enrollment = enrollment(conn, user_id, course.course_id)?
                .ok_or(StoreError::Corrupt("enrollment vanished".into()))?;
            reads_and_passes(conn, user_id, course.course_id, enrollment.id)?
        }
        _ => Default::default(),
    };
    Ok(CourseOutline {
        outcomes: serde_json::from_str(&course.outcomes)?,
        pass_mark: course.pass_mark as u32,
        modules: modules
            .iter()
            .map(|m| ModuleSummary {
                slug: m.slug.clone(),
                title: m.title.clone(),
                minutes: m.minutes as u32,
                has_quiz: m.has_quiz,
                has_content_note: m.has_content_note,
                read: read.contains(&m.slug),
                quiz_passed: passed.contains(&m.slug),
            })
            .collect(),
        slug: course.slug,
        title: course.title,
        version: course.version_label,
        summary: course.summary,
        progress,
    })
}

pub(super) fn enroll(
    conn: &mut DbConnection,
    user_id: i64,
    slug: &str,
    now: NaiveDateTime,
) -> Result<ModuleLink, StoreError> {
    let course = current_course(conn, slug)?;
    let modules = version_modules(conn, course.version_id)?;
    let existing = enrollment(conn, user_id, course.course_id)?;
    if existing.is_none() {
        let inserted = diesel::insert_into(enrollments::table)
            .values((
                enrollments::user_id.eq(user_id),
                enrollments::course_id.eq(course.course_id),
                enrollments::enrolled_at.eq(now),
            ))
            .execute(conn);
        match inserted {
            // A concurrent enrolment of the same learner got there first: same result.
            Err(error) if is_unique_violation(&error) => {}
            other => {
                other?;
            }
        }
    }
    let resume = existing
        .and_then(|e| e.last_module_slug)
        .and_then(|slug| modules.iter().find(|m| m.slug == slug));
    resume
        .or(modules.first())
        .map(|m| ModuleLink {
            slug: m.slug.clone(),
            title: m.title.clone(),
        })
        .ok_or(StoreError::Corrupt(format!("course {slug} has no modules")))
}

pub(super) fn module(
    conn: &mut DbConnection,
    user_id: i64,
    course_slug: &str,
    module_slug: &str,
    past_note: bool,
    now: NaiveDateTime,
) -> Result<ModuleAccess, StoreError> {
    let course = current_course(conn, course_slug)?;
    let Some(enrollment) = enrollment(conn, user_id, course.course_id)? else {
        return Ok(ModuleAccess::NotEnrolled {
            course_slug: course.slug,
            course_title: course.title,
        });
    };
    let modules = version_modules(conn, course.version_id)?;
    let index = modules
        .iter()
        .position(|m| m.slug == module_slug)
        .ok_or(AppError::NotFound)?;
    let (content_note, body_html): (Option<String>, String) = modules::table
        .find(modules[index].id)
        .select((modules::content_note, modules::body_html))
        .first(conn)?;
    let body_html = (content_note.is_none() || past_note).then_some(body_html);

    // Progress is saved as the learner goes: this module is now where they
    // are, and once its text was shown, it counts as read.
    let counts_as_read = body_html.is_some()
        && !diesel::select(diesel::dsl::exists(
            module_reads::table
                .filter(module_reads::enrollment_id.eq(enrollment.id))
                .filter(module_reads::module_slug.eq(module_slug)),
        ))
        .get_result::<bool>(conn)?;
    if counts_as_read {
        let inserted = diesel::insert_into(module_reads::table)
            .values((
                module_reads::enrollment_id.eq(enrollment.id),
                module_reads::module_slug.eq(module_slug),
                module_reads::first_read_at.eq(now),
            ))
            .execute(conn);
        match inserted {
            Err(error) if is_unique_violation(&error) => {}
            other => {
                other?;
            }
        }
    }
    if enrollment.last_module_slug.as_deref() != Some(module_slug) {
        diesel::update(enrollments::table.find(enrollment.id))
            .set(enrollments::last_module_slug.eq(module_slug))
            .execute(conn)?;
    }
    let quiz_passed = modules[index].has_quiz
        && diesel::select(diesel::dsl::exists(
            attempts::table
                .filter(attempts::user_id.eq(user_id))
                .filter(attempts::course_id.eq(course.course_id))
                .filter(attempts::module_slug.eq(module_slug))
                .filter(attempts::passed.eq(true)),
        ))
        .get_result::<bool>(conn)?;
    let link = |m: &ModuleRow| ModuleLink {
        slug: m.slug.clone(),
        title: m.title.clone(),
    };
    let this = &modules[index];
    Ok(ModuleAccess::Readable(Box::new(ModulePage {
        course_slug: course.slug,
        course_title: course.title,
        slug: this.slug.clone(),
        title: this.title.clone(),
        minutes: this.minutes as u32,
        position: index as u32 + 1,
        module_count: modules.len() as u32,
        content_note,
        body_html,
        has_quiz: this.has_quiz,
        quiz_passed,
        previous: index.checked_sub(1).map(|i| link(&modules[i])),
        next: modules.get(index + 1).map(link),
    })))
}

/// A question with its options in file order.
struct QuestionRow {
    id: i64,
    key: String,
    kind: QuestionKind,
    scenario: Option<String>,
    prompt: String,
    options: Vec<OptionRow>,
}

struct OptionRow {
    text: String,
    correct: bool,
    why: String,
}

fn module_questions(conn: &mut DbConnection, module_id: i64) -> Result<Vec<QuestionRow>, StoreError> {
    let question_rows: Vec<(i64, String, String, Option<String>, String)> = questions::table
        .filter(questions::module_id.eq(module_id))
        .order(questions::position)
        .select((
            questions::id,
            questions::question_key,
            questions::kind,
            questions::scenario,
            questions::prompt,
        ))
        .load(conn)?;
    let option_rows: Vec<(i64, String, bool, String)> = question_options::table
        .inner_join(questions::table)
        .filter(questions::module_id.eq(module_id))
        .order((question_options::question_id, question_options::position))
        .select((
            question_options::question_id,
            question_options::text,
            question_options::correct,
            question_options::why,
        ))
        .load(conn)?;
    let mut options: HashMap<i64, Vec<OptionRow>> = HashMap::new();
    for (question_id, text, correct, why) in option_rows {
        options
            .entry(question_id)
            .or_default()
            .push(OptionRow { text, correct, why });
    }
    question_rows
        .into_iter()
        .map(|(id, key, kind, scenario, prompt)| {
            let kind =
                QuestionKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("question kind {kind}")))?;
            Ok(QuestionRow {
                id,
                key,
                kind,
                scenario,
                prompt,
                options: options.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Per question id: original option positions in the order shown.
type OptionOrder = BTreeMap<i64, Vec<u32>>;
/// Per question key: the shown positions saved before submission.
type Draft = BTreeMap<String, Vec<u32>>;

/// A fresh order for a sitting. True/false keeps "True" first: a shuffled
/// pair reads oddly and hides nothing.
fn shuffled_order(questions: &[QuestionRow]) -> OptionOrder {
    let mut rng = rand::thread_rng();
    questions
        .iter()
        .map(|q| {
            let mut order: Vec<u32> = (0..q.options.len() as u32).collect();
            if q.kind != QuestionKind::TrueFalse {
                order.shuffle(&mut rng);
            }
            (q.id, order)
        })
        .collect()
}

fn attempt_summaries(
    conn: &mut DbConnection,
    user_id: i64,
    course_id: i64,
    module_slug: Option<&str>,
    limit: i64,
) -> Result<Vec<(String, AttemptSummary)>, StoreError> {
    let mut query = attempts::table
        .filter(attempts::user_id.eq(user_id))
        .filter(attempts::course_id.eq(course_id))
        .order(attempts::id.desc())
        .limit(limit)
        .select((
            attempts::id,
            attempts::module_slug,
            attempts::submitted_at,
            attempts::score_basis_points,
            attempts::passed,
        ))
        .into_boxed();
    if let Some(slug) = module_slug {
        query = query.filter(attempts::module_slug.eq(slug.to_owned()));
    }
    let rows: Vec<(i64, String, NaiveDateTime, i32, bool)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(attempt_id, slug, at, score, passed)| {
            (
                slug,
                AttemptSummary {
                    attempt_id,
                    submitted_on: day(at),
                    percent: percent(score),
                    passed,
                },
            )
        })
        .collect())
}

pub(super) fn open_quiz(
    conn: &mut DbConnection,
    user_id: i64,
    course_slug: &str,
    module_slug: &str,
    now: NaiveDateTime,
) -> Result<QuizSheet, StoreError> {
    let course = current_course(conn, course_slug)?;
    let (module_id, module_title, has_quiz, pass_mark): (i64, String, bool, i32) = modules::table
        .filter(modules::course_version_id.eq(course.version_id))
        .filter(modules::slug.eq(module_slug))
        .select((modules::id, modules::title, modules::has_quiz, modules::quiz_pass_mark))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !has_quiz {
        return Err(AppError::NotFound.into());
    }
    if enrollment(conn, user_id, course.course_id)?.is_none() {
        return Err(
            AppError::invalid("Please enroll in this course first: its quizzes open once you have enrolled.").into(),
        );
    }
    let questions = module_questions(conn, module_id)?;
    let open: Option<(i64, String, Option<String>)> = quiz_sittings::table
        .left_join(attempts::table)
        .filter(quiz_sittings::user_id.eq(user_id))
        .filter(quiz_sittings::module_id.eq(module_id))
        .filter(attempts::id.nullable().is_null())
        .order(quiz_sittings::id.desc())
        .select((
            quiz_sittings::id,
            quiz_sittings::option_order,
            quiz_sittings::draft_answers,
        ))
        .first(conn)
        .optional()?;
    let (sitting_id, order, draft): (i64, OptionOrder, Draft) = match open {
        Some((id, order, draft)) => (
            id,
            serde_json::from_str(&order)?,
            draft.map(|d| serde_json::from_str(&d)).transpose()?.unwrap_or_default(),
        ),
        None => {
            let order = shuffled_order(&questions);
            let id = diesel::insert_into(quiz_sittings::table)
                .values((
                    quiz_sittings::user_id.eq(user_id),
                    quiz_sittings::module_id.eq(module_id),
                    quiz_sittings::option_order.eq(serde_json::to_string(&order)?),
                    quiz_sittings::opened_at.eq(now),
                ))
                .returning(quiz_sittings::id)
                .get_result(conn)?;
            (id, order, Draft::new())
        }
    };
    let questions = questions
        .into_iter()
        .enumerate()
        .map(|(index, q)| {
            let shown = order
                .get(&q.id)
                .ok_or_else(|| StoreError::Corrupt(format!("sitting {sitting_id} lacks question {}", q.id)))?;
            let saved = draft.get(&q.key);
            let options = shown
                .iter()
                .enumerate()
                .map(|(position, original)| {
                    let option = q
                        .options
                        .get(*original as usize)
                        .ok_or_else(|| StoreError::Corrupt("option order".into()))?;
                    Ok(QuizOption {
                        position: position as u32,
                        text: option.text.clone(),
                        saved_choice: saved.is_some_and(|s| s.contains(&(position as u32))),
                    })
                })
                .collect::<Result<_, StoreError>>()?;
            Ok(QuizQuestion {
                number: index as u32 + 1,
                id: q.key,
                kind: q.kind,
                scenario: q.scenario,
                prompt: q.prompt,
                options,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let previous_attempts = attempt_summaries(conn, user_id, course.course_id, Some(module_slug), 20)?
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    Ok(QuizSheet {
        course_slug: course.slug,
        course_title: course.title,
        module_slug: module_slug.to_owned(),
        module_title,
        sitting_id,
        pass_mark: pass_mark as u32,
        questions,
        previous_attempts,
    })
}

enum Graded {
    Attempt(i64),
    Incomplete(Vec<u32>),
}

pub(super) fn submit_quiz(
    conn: &mut DbConnection,
    user_id: i64,
    sitting_id: i64,
    answers: &Answers,
    now: NaiveDateTime,
    issuing: Option<&Issuing>,
) -> Result<i64, StoreError> {
    let outcome = write_transaction(conn, |conn| {
        grade_sitting(conn, user_id, sitting_id, answers, now, issuing)
    });
    match outcome {
        Ok(Graded::Attempt(id)) => Ok(id),
        Ok(Graded::Incomplete(missing)) => Err(AppError::QuizIncomplete { missing }.into()),
        // Two identical submissions raced on PostgreSQL; the first one won.
        Err(StoreError::Db(error)) if is_unique_violation(&error) => {
            existing_attempt(conn, sitting_id)?.ok_or(StoreError::Db(error))
        }
        Err(error) => Err(error),
    }
}

fn existing_attempt(conn: &mut DbConnection, sitting_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(attempts::table
        .filter(attempts::sitting_id.eq(sitting_id))
        .select(attempts::id)
        .first(conn)
        .optional()?)
}

fn grade_sitting(
    conn: &mut DbConnection,
    user_id: i64,
    sitting_id: i64,
    answers: &Answers,
    now: NaiveDateTime,
    issuing: Option<&Issuing>,
) -> Result<Graded, StoreError> {
    let (module_id, order): (i64, String) = quiz_sittings::table
        .filter(quiz_sittings::id.eq(sitting_id))
        .filter(quiz_sittings::user_id.eq(user_id))
        .select((quiz_sittings::module_id, quiz_sittings::option_order))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    // A resubmitted form (double click, refresh, retry) gets the first result.
    if let Some(attempt_id) = existing_attempt(conn, sitting_id)? {
        return Ok(Graded::Attempt(attempt_id));
    }
    let order: OptionOrder = serde_json::from_str(&order)?;
    let questions = module_questions(conn, module_id)?;
    if answers.keys().any(|key| !questions.iter().any(|q| &q.key == key)) {
        return Err(AppError::BadRequest.into());
    }
    let mut missing = Vec::new();
    let mut chosen_original: Vec<Vec<usize>> = Vec::with_capacity(questions.len());
    for (index, question) in questions.iter().enumerate() {
        let shown = order
            .get(&question.id)
            .ok_or_else(|| StoreError::Corrupt(format!("sitting {sitting_id} order")))?;
        let picked = answers.get(&question.key).map(Vec::as_slice).unwrap_or_default();
        if picked.is_empty() {
            missing.push(index as u32 + 1);
        }
        let original = picked
            .iter()
            .map(|p| shown.get(*p as usize).map(|o| *o as usize).ok_or(AppError::BadRequest))
            .collect::<Result<Vec<_>, _>>()?;
        chosen_original.push(original);
    }
    if !missing.is_empty() {
        let draft: Draft = answers.clone();
        diesel::update(quiz_sittings::table.find(sitting_id))
            .set(quiz_sittings::draft_answers.eq(serde_json::to_string(&draft)?))
            .execute(conn)?;
        return Ok(Graded::Incomplete(missing));
    }

    let (course_version_id, module_slug, pass_mark): (i64, String, i32) = modules::table
        .find(module_id)
        .select((modules::course_version_id, modules::slug, modules::quiz_pass_mark))
        .first(conn)?;
    let course_id: i64 = course_versions::table
        .find(course_version_id)
        .select(course_versions::course_id)
        .first(conn)?;
    let credits: Vec<grading::Credit> = questions
        .iter()
        .zip(&chosen_original)
        .map(|(q, chosen)| {
            let correct: Vec<bool> = q.options.iter().map(|o| o.correct).collect();
            grading::grade_question(
                &GradedQuestion {
                    kind: q.kind,
                    correct: &correct,
                },
                chosen,
            )
        })
        .collect();
    let score = grading::grade_quiz(credits, pass_mark as u32);
    let attempt_id: i64 = diesel::insert_into(attempts::table)
        .values((
            attempts::sitting_id.eq(sitting_id),
            attempts::user_id.eq(user_id),
            attempts::course_id.eq(course_id),
            attempts::course_version_id.eq(course_version_id),
            attempts::module_id.eq(module_id),
            attempts::module_slug.eq(&module_slug),
            attempts::submitted_at.eq(now),
            attempts::score_basis_points.eq(score.basis_points as i32),
            attempts::passed.eq(score.passed),
        ))
        .returning(attempts::id)
        .get_result(conn)?;
    for ((question, chosen), credit) in questions.iter().zip(&chosen_original).zip(&score.per_question) {
        let chosen: Vec<String> = chosen.iter().map(ToString::to_string).collect();
        diesel::insert_into(attempt_answers::table)
            .values((
                attempt_answers::attempt_id.eq(attempt_id),
                attempt_answers::question_id.eq(question.id),
                attempt_answers::chosen.eq(chosen.join(",")),
                attempt_answers::score_basis_points.eq(credit.basis_points() as i32),
            ))
            .execute(conn)?;
    }
    if score.passed {
        mark_complete_if_done(conn, user_id, course_id, now)?;
        let issuing = issuing.ok_or_else(|| StoreError::Corrupt("quizzes graded without signing keys".into()))?;
        certificates::issue_if_complete(conn, user_id, course_id, now, issuing)?;
    }
    Ok(Graded::Attempt(attempt_id))
}

/// A course is complete once every quiz of its current version is passed.
fn mark_complete_if_done(
    conn: &mut DbConnection,
    user_id: i64,
    course_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let Some(enrollment) = enrollment(conn, user_id, course_id)? else {
        return Ok(());
    };
    if enrollment.completed_at.is_some() {
        return Ok(());
    }
    let version_id: Option<i64> = courses::table
        .find(course_id)
        .select(courses::current_version_id)
        .first(conn)?;
    let Some(version_id) = version_id else { return Ok(()) };
    if passed_every_quiz(conn, user_id, course_id, version_id, None)? {
        diesel::update(enrollments::table.find(enrollment.id))
            .set(enrollments::completed_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether the learner has passed the quiz of every module of this version
/// (a pass in an earlier version counts for a module with the same slug),
/// counting only passes from `since` on when given.
pub(super) fn passed_every_quiz(
    conn: &mut DbConnection,
    user_id: i64,
    course_id: i64,
    version_id: i64,
    since: Option<NaiveDateTime>,
) -> Result<bool, StoreError> {
    let quizzes: Vec<String> = modules::table
        .filter(modules::course_version_id.eq(version_id))
        .filter(modules::has_quiz.eq(true))
        .select(modules::slug)
        .load(conn)?;
    let mut passes = attempts::table
        .filter(attempts::user_id.eq(user_id))
        .filter(attempts::course_id.eq(course_id))
        .filter(attempts::passed.eq(true))
        .select(attempts::module_slug)
        .into_boxed();
    if let Some(since) = since {
        passes = passes.filter(attempts::submitted_at.ge(since));
    }
    let passed: HashSet<String> = passes.load::<String>(conn)?.into_iter().collect();
    Ok(quizzes.iter().all(|slug| passed.contains(slug)))
}

pub(super) fn attempt_review(
    conn: &mut DbConnection,
    user_id: i64,
    attempt_id: i64,
) -> Result<AttemptReview, StoreError> {
    // Another learner's attempt is indistinguishable from a missing one.
    let (sitting_id, course_id, course_version_id, module_id, module_slug, submitted_at, score, passed): (
        i64,
        i64,
        i64,
        i64,
        String,
        NaiveDateTime,
        i32,
        bool,
    ) = attempts::table
        .filter(attempts::id.eq(attempt_id))
        .filter(attempts::user_id.eq(user_id))
        .select((
            attempts::sitting_id,
            attempts::course_id,
            attempts::course_version_id,
            attempts::module_id,
            attempts::module_slug,
            attempts::submitted_at,
            attempts::score_basis_points,
            attempts::passed,
        ))
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let (course_slug,): (String,) = courses::table.find(course_id).select((courses::slug,)).first(conn)?;
    let (version_label, course_title): (String, String) = course_versions::table
        .find(course_version_id)
        .select((course_versions::version_label, course_versions::title))
        .first(conn)?;
    let (module_title, pass_mark): (String, i32) = modules::table
        .find(module_id)
        .select((modules::title, modules::quiz_pass_mark))
        .first(conn)?;
    let order: OptionOrder = serde_json::from_str(
        &quiz_sittings::table
            .find(sitting_id)
            .select(quiz_sittings::option_order)
            .first::<String>(conn)?,
    )?;
    let answers: HashMap<i64, (String, i32)> = attempt_answers::table
        .filter(attempt_answers::attempt_id.eq(attempt_id))
        .select((
            attempt_answers::question_id,
            attempt_answers::chosen,
            attempt_answers::score_basis_points,
        ))
        .load::<(i64, String, i32)>(conn)?
        .into_iter()
        .map(|(q, chosen, score)| (q, (chosen, score)))
        .collect();
    let questions = module_questions(conn, module_id)?
        .into_iter()
        .enumerate()
        .map(|(index, q)| {
            let (chosen, score) = answers.get(&q.id).cloned().unwrap_or_default();
            let chosen: HashSet<usize> = chosen.split(',').filter_map(|c| c.parse().ok()).collect();
            let shown = order
                .get(&q.id)
                .cloned()
                .unwrap_or_else(|| (0..q.options.len() as u32).collect());
            let options = shown
                .iter()
                .filter_map(|original| q.options.get(*original as usize).map(|o| (*original as usize, o)))
                .map(|(original, o)| ReviewedOption {
                    text: o.text.clone(),
                    chosen: chosen.contains(&original),
                    correct: o.correct,
                    why: o.why.clone(),
                })
                .collect();
            ReviewedQuestion {
                number: index as u32 + 1,
                kind: q.kind,
                scenario: q.scenario,
                prompt: q.prompt,
                percent: percent(score),
                options,
            }
        })
        .collect();
    let current = current_course(conn, &course_slug)?;
    let modules = version_modules(conn, current.version_id)?;
    let next_module = modules
        .iter()
        .position(|m| m.slug == module_slug)
        .and_then(|i| modules.get(i + 1))
        .map(|m| ModuleLink {
            slug: m.slug.clone(),
            title: m.title.clone(),
        });
    let course_completed = enrollment(conn, user_id, course_id)?.is_some_and(|e| e.completed_at.is_some());
    Ok(AttemptReview {
        attempt_id,
        course_slug,
        course_title,
        module_slug,
        module_title,
        course_version: version_label,
        submitted_on: day(submitted_at),
        percent: percent(score),
        pass_mark: pass_mark as u32,
        passed,
        course_completed,
        questions,
        next_module,
    })
}

pub(super) fn dashboard(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
    issuing: Option<&Issuing>,
) -> Result<Dashboard, StoreError> {
    let display_name: String = crate::db::schema::users::table
        .find(user_id)
        .select(crate::db::schema::users::display_name)
        .first(conn)?;
    let enrolled: Vec<String> = enrollments::table
        .inner_join(courses::table)
        .filter(enrollments::user_id.eq(user_id))
        .order(enrollments::enrolled_at)
        .select(courses::slug)
        .load(conn)?;
    let mut courses_out = Vec::new();
    for slug in enrolled {
        let Ok(course) = current_course(conn, &slug) else {
            continue;
        };
        let modules = version_modules(conn, course.version_id)?;
        let Some(progress) = progress_for(conn, Some(user_id), &course, &modules)? else {
            continue;
        };
        let recent_attempts = attempt_summaries(conn, user_id, course.course_id, None, 5)?;
        courses_out.push(DashboardCourse {
            slug: course.slug,
            title: course.title,
            progress,
            recent_attempts,
        });
    }
    let certificates = certificates::held_by(conn, user_id, now, issuing.map(|i| &i.issuer))?;
    Ok(Dashboard {
        display_name,
        courses: courses_out,
        certificates,
    })
}
