//! Applying one trainer's edit to a course draft.
//!
//! Edits may leave the draft breaking the course rules (a new question has
//! no options yet): a draft is work in progress and is saved as it is; the
//! rules stop it at publishing. What an edit refuses is only what cannot be
//! represented at all, such as a module that does not exist.

use crate::authoring::course_rules::is_slug;
use crate::authoring::gift;
use holdspace_app::course_content::{CourseContent, ModuleContent, OptionContent, QuestionContent, QuizContent};
use holdspace_app::dto::{DraftEdit, EditReport, QuestionKind};

/// Why an edit could not be applied, in words for the trainer.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("There is no module \"{0}\" in this draft. It may have been removed in another tab.")]
    NoModule(String),
    #[error("This module has no question {0}. It may have been removed in another tab.")]
    NoQuestion(usize),
    #[error("A module's short name may only use lowercase letters, digits and dashes, like \"safety-planning\".")]
    BadSlug,
    #[error("This course already has a module named \"{0}\".")]
    DuplicateModule(String),
    #[error("Please give the module a title.")]
    NoTitle,
    #[error("We could not find any questions we can use in that GIFT text. {0}")]
    NothingImported(String),
}

/// Applies `edit` to `course`.
pub fn apply(course: &mut CourseContent, edit: DraftEdit) -> Result<EditReport, EditError> {
    let mut report = EditReport::default();
    match edit {
        DraftEdit::Details {
            title,
            summary,
            outcomes,
            pass_mark,
            review,
        } => {
            course.review = review;
            course.title = title.trim().to_owned();
            course.summary = summary.trim().to_owned();
            course.outcomes = outcomes
                .iter()
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect();
            course.pass_mark = pass_mark;
        }
        DraftEdit::AddModule { slug, title } => {
            let slug = slug.trim().to_owned();
            if !is_slug(&slug) {
                return Err(EditError::BadSlug);
            }
            if course.modules.iter().any(|m| m.slug == slug) {
                return Err(EditError::DuplicateModule(slug));
            }
            if title.trim().is_empty() {
                return Err(EditError::NoTitle);
            }
            course.modules.push(ModuleContent {
                slug,
                title: title.trim().to_owned(),
                minutes: 10,
                content_note: None,
                body_markdown: String::new(),
                quiz: None,
            });
        }
        DraftEdit::MoveModule { module, up } => {
            let index = module_index(course, &module)?;
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|i| *i < course.modules.len())
            };
            if let Some(other) = other {
                course.modules.swap(index, other);
            }
        }
        DraftEdit::RemoveModule { module } => {
            let index = module_index(course, &module)?;
            course.modules.remove(index);
        }
        DraftEdit::SaveModule {
            module,
            title,
            minutes,
            content_note,
            body_markdown,
            quiz_pass_mark,
        } => {
            let module = module_mut(course, &module)?;
            module.title = title.trim().to_owned();
            module.minutes = minutes;
            module.content_note = content_note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            module.body_markdown = body_markdown.trim().replace("\r\n", "\n");
            if let Some(quiz) = &mut module.quiz {
                quiz.pass_mark = quiz_pass_mark;
            }
        }
        DraftEdit::SaveQuizSettings {
            module,
            draw,
            groups,
            review,
            attempts,
        } => {
            let quiz = quiz_mut(module_mut(course, &module)?);
            quiz.draw = draw;
            quiz.groups = groups;
            quiz.review = review;
            quiz.attempts = attempts;
        }
        DraftEdit::AddQuestion { module, kind } => {
            let id = unused_id(course, &format!("{module}-question"));
            let options = match kind {
                QuestionKind::TrueFalse => ["True", "False"]
                    .iter()
                    .map(|t| OptionContent {
                        text: (*t).to_owned(),
                        correct: false,
                        why: String::new(),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let question = QuestionContent {
                id,
                kind,
                scenario: None,
                prompt: String::new(),
                group: None,
                options,
            };
            quiz_mut(module_mut(course, &module)?).questions.push(question);
        }
        DraftEdit::SaveQuestion {
            module,
            index,
            mut question,
        } => {
            question.id = question.id.trim().to_owned();
            question.prompt = question.prompt.trim().to_owned();
            question.scenario = question.scenario.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            question
                .options
                .retain(|o| !(o.text.trim().is_empty() && o.why.trim().is_empty()));
            for option in &mut question.options {
                option.text = option.text.trim().to_owned();
                option.why = option.why.trim().to_owned();
            }
            *question_mut(module_mut(course, &module)?, index)? = question;
        }
        DraftEdit::MoveQuestion { module, index, up } => {
            let quiz = quiz_mut(module_mut(course, &module)?);
            if index >= quiz.questions.len() {
                return Err(EditError::NoQuestion(index + 1));
            }
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1).filter(|i| *i < quiz.questions.len())
            };
            if let Some(other) = other {
                quiz.questions.swap(index, other);
            }
        }
        DraftEdit::DeleteQuestion { module, index } => {
            let target = module_mut(course, &module)?;
            let quiz = quiz_mut(target);
            if index >= quiz.questions.len() {
                return Err(EditError::NoQuestion(index + 1));
            }
            quiz.questions.remove(index);
            if quiz.questions.is_empty() {
                target.quiz = None;
            }
        }
        DraftEdit::ImportGift { module, gift } => {
            let imported = gift::parse(&gift);
            let skipped: Vec<String> = imported
                .skipped
                .iter()
                .map(|(line, why)| format!("Line {line}: left out, {why}"))
                .collect();
            if imported.questions.is_empty() {
                return Err(EditError::NothingImported(skipped.join(" ")));
            }
            module_index(course, &module)?;
            let mut questions = imported.questions;
            for question in &mut questions {
                question.id = unused_id(course, &question.id);
                // Reserve the id before the next question picks one.
                quiz_mut(module_mut(course, &module)?).questions.push(question.clone());
            }
            let quiz = quiz_mut(module_mut(course, &module)?);
            for group in imported.groups {
                if !quiz.groups.iter().any(|g| g.id == group.id) {
                    report.notes.push(format!(
                        "Category \"{}\" became a group drawing 1 question per sitting: change it under the quiz's settings.",
                        group.id
                    ));
                    quiz.groups.push(group);
                }
            }
            report.notes.push(format!(
                "Imported {} question{}.",
                questions.len(),
                if questions.len() == 1 { "" } else { "s" }
            ));
            report.notes.extend(skipped);
            report.notes.extend(
                imported
                    .warnings
                    .iter()
                    .map(|(line, what)| format!("Line {line}: {what}")),
            );
        }
    }
    Ok(report)
}

fn module_index(course: &CourseContent, slug: &str) -> Result<usize, EditError> {
    course
        .modules
        .iter()
        .position(|m| m.slug == slug)
        .ok_or_else(|| EditError::NoModule(slug.to_owned()))
}

fn module_mut<'a>(course: &'a mut CourseContent, slug: &str) -> Result<&'a mut ModuleContent, EditError> {
    let index = module_index(course, slug)?;
    Ok(&mut course.modules[index])
}

fn quiz_mut(module: &mut ModuleContent) -> &mut QuizContent {
    module.quiz.get_or_insert_with(QuizContent::default)
}

fn question_mut(module: &mut ModuleContent, index: usize) -> Result<&mut QuestionContent, EditError> {
    module
        .quiz
        .as_mut()
        .and_then(|quiz| quiz.questions.get_mut(index))
        .ok_or(EditError::NoQuestion(index + 1))
}

/// `base`, or `base-2`, `base-3`, ...: the first id no question of the course uses.
fn unused_id(course: &CourseContent, base: &str) -> String {
    let taken = |id: &str| {
        course
            .modules
            .iter()
            .filter_map(|m| m.quiz.as_ref())
            .flat_map(|q| &q.questions)
            .any(|q| q.id == id)
    };
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("some suffix is free")
}

#[cfg(test)]
mod tests;
