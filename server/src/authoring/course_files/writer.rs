//! Writes courses back out in exactly the format [`super::load_dir`] reads,
//! so that a course can leave Holdspace (export) and come back unchanged.

use super::{CourseContent, ModuleContent, QuestionGroup, QuizContent, ReviewPolicy};
use serde::Serialize;
use std::path::Path;

/// The `NN-slug.quiz.toml` text of a quiz.
pub fn quiz_toml(quiz: &QuizContent) -> String {
    #[derive(Serialize)]
    struct Quiz<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        pass_mark: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        draw: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        review: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        wait_days: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        wait_hours: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_attempts: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        attempts_period_days: Option<u32>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        group: &'a [QuestionGroup],
        question: Vec<Question<'a>>,
    }
    #[derive(Serialize)]
    struct Question<'a> {
        id: &'a str,
        kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        scenario: Option<&'a str>,
        prompt: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        group: Option<&'a str>,
        option: Vec<Answer<'a>>,
    }
    #[derive(Serialize)]
    struct Answer<'a> {
        text: &'a str,
        correct: bool,
        why: &'a str,
    }
    // A whole number of days is written as days, as an author would.
    let wait = quiz.attempts.wait_hours;
    let in_days = wait.filter(|h| h % 24 == 0).map(|h| h / 24);
    let quiz = Quiz {
        pass_mark: quiz.pass_mark,
        draw: quiz.draw,
        review: quiz.review.map(ReviewPolicy::as_str),
        wait_days: in_days,
        wait_hours: wait.filter(|_| in_days.is_none()),
        max_attempts: quiz.attempts.max_attempts,
        attempts_period_days: quiz.attempts.period_days,
        group: &quiz.groups,
        question: quiz
            .questions
            .iter()
            .map(|q| Question {
                id: &q.id,
                kind: q.kind.as_str(),
                scenario: q.scenario.as_deref(),
                prompt: &q.prompt,
                group: q.group.as_deref(),
                option: q
                    .options
                    .iter()
                    .map(|o| Answer {
                        text: &o.text,
                        correct: o.correct,
                        why: &o.why,
                    })
                    .collect(),
            })
            .collect(),
    };
    toml::to_string(&quiz).expect("strings, numbers and booleans always serialize")
}

fn course_toml(course: &CourseContent) -> String {
    #[derive(Serialize)]
    struct Course<'a> {
        slug: &'a str,
        title: &'a str,
        version: &'a str,
        summary: &'a str,
        outcomes: &'a [String],
        pass_mark: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        review: Option<&'static str>,
    }
    let course = Course {
        slug: &course.slug,
        title: &course.title,
        version: &course.version,
        summary: &course.summary,
        outcomes: &course.outcomes,
        pass_mark: course.pass_mark,
        review: (!course.review.is_default()).then_some(course.review.as_str()),
    };
    toml::to_string(&course).expect("strings and numbers always serialize")
}

/// A module file: front matter between `+++` lines, then the body as it was.
fn module_md(module: &ModuleContent) -> String {
    #[derive(Serialize)]
    struct Front<'a> {
        title: &'a str,
        minutes: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        content_note: Option<&'a str>,
    }
    let front = Front {
        title: &module.title,
        minutes: module.minutes,
        content_note: module.content_note.as_deref(),
    };
    format!(
        "+++\n{}+++\n{}",
        toml::to_string(&front).expect("strings and numbers always serialize"),
        module.body_markdown
    )
}

/// Writes `course` as the folder `dir/{slug}`: `course.toml`, then
/// `NN-slug.md` and `NN-slug.quiz.toml` for each module in order.
pub fn write_course(course: &CourseContent, dir: &Path) -> std::io::Result<()> {
    let folder = dir.join(&course.slug);
    std::fs::create_dir_all(&folder)?;
    std::fs::write(folder.join("course.toml"), course_toml(course))?;
    for (index, module) in course.modules.iter().enumerate() {
        let stem = format!("{:02}-{}", index + 1, module.slug);
        std::fs::write(folder.join(format!("{stem}.md")), module_md(module))?;
        if let Some(quiz) = &module.quiz {
            std::fs::write(folder.join(format!("{stem}.quiz.toml")), quiz_toml(quiz))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_course_survives_a_write_and_a_reload_unchanged() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../courses");
        let loaded = super::super::load_dir(&shipped);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let out = tempfile::tempdir().unwrap();
        for course in &loaded.courses {
            write_course(course, out.path()).unwrap();
        }
        let reloaded = super::super::load_dir(out.path());
        assert!(reloaded.problems.is_empty(), "{:#?}", reloaded.problems);
        assert_eq!(reloaded.courses, loaded.courses);
        for course in &loaded.courses {
            assert_eq!(
                reloaded
                    .courses
                    .iter()
                    .find(|c| c.slug == course.slug)
                    .map(super::super::content_hash),
                Some(super::super::content_hash(course))
            );
        }
    }
}
