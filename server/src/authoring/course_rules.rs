//! The rules a course must meet before learners may see it, checked the same
//! way whether the course came from files or from the browser editor.
//!
//! Problems name a [`Place`] and a field rather than a file and line: the
//! file loader maps them to lines, the editor to the form field at fault.

use super::item_rules;
use holdspace_app::course_content::{
    AttemptPolicy, ContentProblem, CourseContent, ModuleContent, Place, QuestionContent, QuizContent,
};
use holdspace_app::dto::QuestionKind;
use std::collections::{HashMap, HashSet};

/// Whether `s` is a usable slug or question id: it appears in URLs and file names.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Every problem with `course`, in reading order: faults, then the
/// item-writing advice of [`item_rules`] (marked as warnings, except where a
/// course breaks it so widely that it is refused too).
pub fn check(course: &CourseContent) -> Vec<ContentProblem> {
    let mut problems = faults(course);
    problems.extend(item_rules::check(course));
    problems
}

/// Only what refuses a course (loading, importing, publishing).
pub fn refusals(course: &CourseContent) -> Vec<ContentProblem> {
    check(course).into_iter().filter(|p| !p.warning).collect()
}

fn faults(course: &CourseContent) -> Vec<ContentProblem> {
    let mut rules = Rules::default();
    let place = Place::Course;
    if !is_slug(&course.slug) {
        rules.fault(place, "slug", "slug must be lowercase letters, digits and dashes");
    }
    rules.text(place, "title", &course.title);
    rules.text(place, "version", &course.version);
    rules.text(place, "summary", &course.summary);
    if course.outcomes.is_empty() || course.outcomes.iter().any(|o| o.trim().is_empty()) {
        rules.fault(
            place,
            "outcomes",
            "outcomes must list at least one outcome, none of them empty",
        );
    }
    rules.percent(place, "pass_mark", course.pass_mark);
    if course.modules.is_empty() {
        rules.fault(place, "modules", "the course has no modules yet");
    }
    let mut module_slugs = HashSet::new();
    let mut question_ids = HashSet::new();
    for (index, module) in course.modules.iter().enumerate() {
        rules.module(index, module, &mut module_slugs);
        if let Some(quiz) = &module.quiz {
            rules.quiz(index, quiz, &mut question_ids);
        }
    }
    rules.problems
}

#[derive(Default)]
struct Rules {
    problems: Vec<ContentProblem>,
}

impl Rules {
    fn fault(&mut self, place: Place, field: &str, message: impl Into<String>) {
        self.problems.push(ContentProblem {
            place,
            field: field.to_owned(),
            message: message.into(),
            warning: false,
        });
    }

    fn text(&mut self, place: Place, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fault(place, field, format!("{field} is empty"));
        }
    }

    fn percent(&mut self, place: Place, field: &str, value: u32) {
        if !(1..=100).contains(&value) {
            self.fault(place, field, format!("{field} must be a whole percent from 1 to 100"));
        }
    }

    fn module(&mut self, module: usize, content: &ModuleContent, slugs: &mut HashSet<String>) {
        let place = Place::Module { module };
        if !is_slug(&content.slug) {
            self.fault(place, "slug", "slug must be lowercase letters, digits and dashes");
        } else if !slugs.insert(content.slug.clone()) {
            self.fault(
                place,
                "slug",
                format!("another module is also named \"{}\"", content.slug),
            );
        }
        self.text(place, "title", &content.title);
        if !(1..=600).contains(&content.minutes) {
            self.fault(place, "minutes", "minutes must be a whole number from 1 to 600");
        }
        if let Some(note) = &content.content_note {
            self.text(place, "content_note", note);
        }
        if content.body_markdown.trim().is_empty() {
            self.fault(place, "body", "the module has no text");
        }
    }

    fn quiz(&mut self, module: usize, quiz: &QuizContent, ids: &mut HashSet<String>) {
        let place = Place::Quiz { module };
        if let Some(pass_mark) = quiz.pass_mark {
            self.percent(place, "pass_mark", pass_mark);
        }
        if quiz.questions.is_empty() {
            self.fault(place, "questions", "the quiz has no questions");
        }
        for (question, content) in quiz.questions.iter().enumerate() {
            self.question(module, question, content, ids);
        }
        self.pool(module, quiz);
        self.attempts(place, &quiz.attempts);
    }

    /// The draw must be possible: every sitting needs as many questions as it shows.
    fn pool(&mut self, module: usize, quiz: &QuizContent) {
        let place = Place::Quiz { module };
        let pool = quiz.questions.len();
        if let Some(draw) = quiz.draw {
            if draw == 0 {
                self.fault(
                    place,
                    "draw",
                    "draw must be at least 1 (or left out, to show every question)",
                );
            } else if draw as usize > pool {
                self.fault(
                    place,
                    "draw",
                    format!("draw is {draw} but the quiz has only {pool} questions"),
                );
            }
        }
        if quiz.groups.is_empty() {
            for (index, question) in quiz.questions.iter().enumerate() {
                if let Some(group) = &question.group {
                    let place = Place::Question {
                        module,
                        question: index,
                    };
                    self.fault(
                        place,
                        "group",
                        format!("group \"{group}\" is not declared: add a [[group]] to the quiz"),
                    );
                }
            }
            return;
        }
        let mut sizes: HashMap<&str, usize> = HashMap::new();
        for group in &quiz.groups {
            if !is_slug(&group.id) {
                self.fault(
                    place,
                    "group",
                    "a group id must be lowercase letters, digits and dashes",
                );
            } else if sizes.insert(&group.id, 0).is_some() {
                self.fault(place, "group", format!("group \"{}\" is declared twice", group.id));
            }
        }
        for (index, question) in quiz.questions.iter().enumerate() {
            let place = Place::Question {
                module,
                question: index,
            };
            match question.group.as_deref().and_then(|g| sizes.get_mut(g)) {
                Some(size) => *size += 1,
                None => self.fault(
                    place,
                    "group",
                    match &question.group {
                        Some(group) => format!("group \"{group}\" is not one of the quiz's groups"),
                        None => "this quiz draws by group: the question needs a group".to_owned(),
                    },
                ),
            }
        }
        for group in &quiz.groups {
            let size = sizes.get(group.id.as_str()).copied().unwrap_or(0);
            if group.draw == 0 || group.draw as usize > size {
                self.fault(
                    place,
                    "group",
                    format!("group \"{}\" draws {} but holds {size} questions", group.id, group.draw),
                );
            }
        }
        let total: u32 = quiz.groups.iter().map(|g| g.draw).sum();
        if quiz.draw.is_some_and(|draw| draw != total) {
            self.fault(
                place,
                "draw",
                format!("draw must equal the groups' draws added up ({total}), or be left out"),
            );
        }
    }

    fn attempts(&mut self, place: Place, policy: &AttemptPolicy) {
        for (field, message) in attempt_policy_problems(policy) {
            self.fault(place, field, message);
        }
    }

    fn question(&mut self, module: usize, index: usize, question: &QuestionContent, ids: &mut HashSet<String>) {
        let place = Place::Question {
            module,
            question: index,
        };
        let id = &question.id;
        if !is_slug(id) {
            self.fault(place, "id", "question id must be lowercase letters, digits and dashes");
        } else if !ids.insert(id.clone()) {
            self.fault(
                place,
                "id",
                format!("question id \"{id}\" is used twice in this course"),
            );
        }
        if let Some(scenario) = &question.scenario {
            self.text(place, "scenario", scenario);
        }
        self.text(place, "prompt", &question.prompt);
        let mut texts = HashSet::new();
        for (option, content) in question.options.iter().enumerate() {
            let place = Place::Option {
                module,
                question: index,
                option,
            };
            if content.text.trim().is_empty() {
                self.fault(place, "text", "option text is empty");
            } else if !texts.insert(content.text.trim().to_lowercase()) {
                self.fault(place, "text", "two options of this question have the same text");
            }
            if content.why.trim().is_empty() {
                self.fault(place, "why", "why (the reasoning shown after submission) is empty");
            }
        }
        if let Some(message) = shape_problem(question) {
            self.fault(place, "options", format!("question \"{id}\": {message}"));
        }
    }
}

/// What is wrong with an attempt policy (a quiz's or an exam's), by field.
pub fn attempt_policy_problems(policy: &AttemptPolicy) -> Vec<(&'static str, &'static str)> {
    let mut problems = Vec::new();
    if policy.wait_hours.is_some_and(|h| h == 0 || h > 24 * 365) {
        problems.push(("wait", "the wait must be from 1 hour to 365 days"));
    }
    if policy.max_attempts == Some(0) {
        problems.push(("max_attempts", "max_attempts must be at least 1"));
    }
    if policy.period_days.is_some() && policy.max_attempts.is_none() {
        problems.push((
            "attempts_period_days",
            "a period needs max_attempts, the number allowed in it",
        ));
    }
    if policy.period_days.is_some_and(|d| d == 0 || d > 3650) {
        problems.push(("attempts_period_days", "the period must be from 1 to 3650 days"));
    }
    problems
}

/// Whether the options fit the question's kind.
fn shape_problem(question: &QuestionContent) -> Option<String> {
    let options = question.options.len();
    let correct = question.options.iter().filter(|o| o.correct).count();
    match question.kind {
        QuestionKind::Single if options < 2 => Some("a single-choice question needs at least two options".to_owned()),
        QuestionKind::Single if correct != 1 => Some(format!(
            "a single-choice question needs exactly one correct option, not {correct}"
        )),
        QuestionKind::TrueFalse if options != 2 => Some("a true_false question has exactly two options".to_owned()),
        QuestionKind::TrueFalse if correct != 1 => Some(format!(
            "a true_false question needs exactly one correct option, not {correct}"
        )),
        QuestionKind::Multiple if options < 2 => {
            Some("a multiple-choice question needs at least two options".to_owned())
        }
        QuestionKind::Multiple if correct == 0 => {
            Some("a multiple-choice question needs at least one correct option".to_owned())
        }
        _ => None,
    }
}
