//! A course's learners, their progress and scores, and how each question
//! did on learners' first attempts.

use super::statistics::{AttemptScores, item_analysis};
use crate::access;
use crate::dates::day;
use crate::db::DbConnection;
use crate::db::schema::{
    attempt_answers, attempts, course_versions, enrollments, module_reads, modules, questions, users,
};
use crate::error::{ServerResult, invalid};
use crate::learning::{GrantFor, QuizRules, next_attempt, unused_grant};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use holdspace_app::course_content::AttemptPolicy;
use holdspace_app::dto::{
    AttemptId, CourseFollowing, CourseId, EnrollmentId, LearnerRow, ModuleId, QuestionStats, QuizScores, Score, UserId,
};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Queryable, Selectable)]
#[diesel(table_name = modules, check_for_backend(crate::db::MultiBackend))]
struct CourseModule {
    id: ModuleId,
    slug: String,
    title: String,
    has_quiz: bool,
    quiz_rules: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrollments, check_for_backend(crate::db::MultiBackend))]
struct Enrolled {
    id: EnrollmentId,
    #[diesel(select_expression = users::id)]
    learner: UserId,
    #[diesel(select_expression = users::display_name)]
    name: String,
    #[diesel(select_expression = users::email)]
    email: String,
    enrolled_at: NaiveDateTime,
    completed_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attempts, check_for_backend(crate::db::MultiBackend))]
struct Taken {
    id: AttemptId,
    user_id: UserId,
    module_slug: String,
    submitted_at: NaiveDateTime,
    score_basis_points: i32,
    passed: bool,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The roster and question statistics of a published course, for its editors.
pub fn course_following(
    conn: &mut DbConnection,
    staff: UserId,
    slug: &str,
    now: NaiveDateTime,
) -> ServerResult<CourseFollowing> {
    let actor = access::staff(conn, staff)?;
    let course = access::editable_course(conn, &actor, slug)?;
    let Some(version) = course.current_version else {
        return invalid("This course has not been published yet, so nobody is taking it.");
    };
    let title: String = course_versions::table
        .find(version)
        .select(course_versions::title)
        .first(conn)?;
    let course_modules: Vec<CourseModule> = modules::table
        .filter(modules::course_version_id.eq(version))
        .order(modules::position)
        .select(CourseModule::as_select())
        .load(conn)?;
    let quizzes: Vec<(String, String)> = course_modules
        .iter()
        .filter(|m| m.has_quiz)
        .map(|m| (m.slug.clone(), m.title.clone()))
        .collect();
    let policies: HashMap<&str, AttemptPolicy> = course_modules
        .iter()
        .filter(|m| m.has_quiz)
        .map(|m| Ok((m.slug.as_str(), QuizRules::parse(&m.quiz_rules)?.attempts)))
        .collect::<ServerResult<_>>()?;
    let enrolled: Vec<Enrolled> = enrollments::table
        .inner_join(users::table)
        .filter(enrollments::course_id.eq(course.id))
        .order((users::display_name, users::id))
        .select(Enrolled::as_select())
        .load(conn)?;
    let module_slugs: HashSet<&str> = course_modules.iter().map(|m| m.slug.as_str()).collect();
    let reads: Vec<(EnrollmentId, String)> = module_reads::table
        .inner_join(enrollments::table)
        .filter(enrollments::course_id.eq(course.id))
        .select((module_reads::enrollment_id, module_reads::module_slug))
        .load(conn)?;
    let mut read_count: HashMap<EnrollmentId, u32> = HashMap::new();
    for (enrollment, module_slug) in &reads {
        if module_slugs.contains(module_slug.as_str()) {
            *read_count.entry(*enrollment).or_default() += 1;
        }
    }
    let taken: Vec<Taken> = attempts::table
        .filter(attempts::course_id.eq(course.id))
        .order((attempts::submitted_at, attempts::id))
        .select(Taken::as_select())
        .load(conn)?;
    let mut learners = Vec::with_capacity(enrolled.len());
    for person in enrolled {
        let mine: Vec<&Taken> = taken.iter().filter(|a| a.user_id == person.learner).collect();
        let mut quiz_scores = Vec::with_capacity(quizzes.len());
        for (module_slug, _) in &quizzes {
            let at_quiz: Vec<&&Taken> = mine.iter().filter(|a| &a.module_slug == module_slug).collect();
            let scores: Vec<Score> = at_quiz
                .iter()
                .map(|a| Score::from_basis_points(a.score_basis_points))
                .collect();
            let made: Vec<NaiveDateTime> = at_quiz.iter().map(|a| a.submitted_at).collect();
            let policy = policies.get(module_slug.as_str()).copied().unwrap_or_default();
            let held_back = !at_quiz.iter().any(|a| a.passed)
                && next_attempt(&policy, &made, now).is_err()
                && unused_grant(
                    conn,
                    person.learner,
                    &GrantFor::Quiz {
                        course: course.id,
                        module_slug: module_slug.clone(),
                    },
                )?
                .is_none();
            quiz_scores.push(QuizScores {
                attempts: count(scores.len()),
                best: scores.iter().max().copied(),
                last: scores.last().copied(),
                held_back,
            });
        }
        let quizzes_passed = count(
            quizzes
                .iter()
                .filter(|(module_slug, _)| mine.iter().any(|a| &a.module_slug == module_slug && a.passed))
                .count(),
        );
        learners.push(LearnerRow {
            user_id: person.learner,
            name: person.name,
            email: person.email,
            enrolled_on: day(person.enrolled_at),
            modules_read: read_count.get(&person.id).copied().unwrap_or(0),
            quizzes_passed,
            attempts: count(mine.len()),
            quiz_scores,
            completed_on: person.completed_at.map(day),
        });
    }
    Ok(CourseFollowing {
        slug: slug.to_owned(),
        title,
        module_count: count(course_modules.len()),
        questions: question_statistics(conn, course.id, &course_modules, &taken)?,
        quizzes,
        learners,
    })
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = attempt_answers, check_for_backend(crate::db::MultiBackend))]
struct FirstAnswer {
    attempt_id: AttemptId,
    #[diesel(select_expression = questions::question_key)]
    question_key: String,
    score_basis_points: i32,
}

/// Item analysis for the questions of the current version (matched by
/// question id across versions). Each question counts each learner once,
/// in the first sitting that drew it: later ones follow its rationale, and
/// a pooled quiz draws different questions each time.
fn question_statistics(
    conn: &mut DbConnection,
    course: CourseId,
    course_modules: &[CourseModule],
    taken: &[Taken],
) -> ServerResult<Vec<QuestionStats>> {
    let answers: Vec<FirstAnswer> = attempt_answers::table
        .inner_join(questions::table)
        .inner_join(attempts::table)
        .filter(attempts::course_id.eq(course))
        .select(FirstAnswer::as_select())
        .load(conn)?;
    let mut in_attempt: HashMap<AttemptId, Vec<FirstAnswer>> = HashMap::new();
    for answer in answers {
        in_attempt.entry(answer.attempt_id).or_default().push(answer);
    }
    // `taken` is in the order the attempts were made.
    let mut seen: HashSet<(UserId, String)> = HashSet::new();
    let mut by_attempt: BTreeMap<AttemptId, Vec<(String, f64)>> = BTreeMap::new();
    for attempt in taken {
        for answer in in_attempt.remove(&attempt.id).unwrap_or_default() {
            if seen.insert((attempt.user_id, answer.question_key.clone())) {
                by_attempt
                    .entry(answer.attempt_id)
                    .or_default()
                    .push((answer.question_key, f64::from(answer.score_basis_points) / 10_000.0));
            }
        }
    }
    let module_of_attempt: HashMap<AttemptId, &str> = taken.iter().map(|a| (a.id, a.module_slug.as_str())).collect();
    let mut stats = Vec::new();
    for module in course_modules.iter().filter(|m| m.has_quiz) {
        let sittings: Vec<AttemptScores> = by_attempt
            .iter()
            .filter(|(attempt, _)| module_of_attempt.get(attempt) == Some(&module.slug.as_str()))
            .map(|(_, items)| AttemptScores { items: items.clone() })
            .collect();
        let analysis = item_analysis(&sittings);
        let current: Vec<(String, String)> = questions::table
            .filter(questions::module_id.eq(module.id))
            .order(questions::position)
            .select((questions::question_key, questions::prompt))
            .load(conn)?;
        for (key, prompt) in current {
            let item = analysis.iter().find(|item| item.question_key == key);
            stats.push(QuestionStats {
                module_title: module.title.clone(),
                question_id: key,
                prompt,
                answered: item.map_or(0, |i| i.answered),
                facility: item.map_or(0.0, |i| i.facility),
                discrimination: item.and_then(|i| i.discrimination),
                review: item.and_then(|i| i.needs_review()).map(str::to_owned),
            });
        }
    }
    Ok(stats)
}
