//! Honest time estimates. A module's `minutes` is shown to learners and,
//! through its course, counts towards a program's training hours, so it has
//! to cover what the module asks (reading, the quiz, the reflection
//! prompts) without being padded. The rates are deliberately those of a
//! quick learner: an estimate below them is not believable, and one more
//! than twice them claims hours nobody spends.

use super::*;

/// A quick reader's pace for plain text at this reading level.
const WORDS_PER_MINUTE: usize = 150;
/// Reading a question, choosing, and reading why.
const MINUTES_PER_QUESTION: usize = 1;
/// A few sentences of private writing.
const MINUTES_PER_PROMPT: usize = 5;

/// The parts of a module's time, each in minutes.
struct Least {
    reading: usize,
    quiz: usize,
    reflection: usize,
}

impl Least {
    fn of(module: &ModuleContent, prompts: usize) -> Self {
        // The sources are a list to look up, not to read through.
        let body = module.body_markdown.split("## Sources").next().unwrap_or_default();
        Self {
            reading: body.split_whitespace().count().div_ceil(WORDS_PER_MINUTE),
            quiz: module
                .quiz
                .as_ref()
                .map_or(0, |q| q.questions_per_sitting() * MINUTES_PER_QUESTION),
            reflection: prompts * MINUTES_PER_PROMPT,
        }
    }

    fn total(&self) -> usize {
        self.reading + self.quiz + self.reflection
    }

    fn explained(&self) -> String {
        format!(
            "about {} to read at {WORDS_PER_MINUTE} words a minute, {} for the quiz and {} for the reflection prompts",
            self.reading, self.quiz, self.reflection
        )
    }
}

/// Advice on each module whose `minutes` is below what it asks or more
/// than twice that. `reflections` are the course's prompts, if it has any.
pub(super) fn check(course: &CourseContent, reflections: Option<&ReflectionsFile>) -> Vec<ContentProblem> {
    let mut problems = Vec::new();
    for (index, module) in course.modules.iter().enumerate() {
        let prompts = reflections.map_or(0, |r| r.prompts.iter().filter(|(_, m, _)| *m == module.slug).count());
        let least = Least::of(module, prompts);
        let minutes = module.minutes as usize;
        let message = if minutes < least.total() {
            format!(
                "minutes = {minutes} is less than this module takes ({}): say at least {}",
                least.explained(),
                least.total()
            )
        } else if minutes > 2 * least.total() {
            format!(
                "minutes = {minutes} is more than twice what this module takes ({}); its minutes count \
                 towards training hours, so say at most {}",
                least.explained(),
                2 * least.total()
            )
        } else {
            continue;
        };
        problems.push(ContentProblem {
            place: Place::Module { module: index },
            field: "minutes".into(),
            message,
            warning: true,
        });
    }
    problems
}

/// What a course's modules take together, in minutes: the most a program
/// may count the course for.
pub(super) fn course_minutes(course: &CourseContent) -> u32 {
    course.modules.iter().map(|m| m.minutes).sum()
}
