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
        } => {
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
    module.quiz.get_or_insert_with(|| QuizContent {
        pass_mark: None,
        questions: Vec::new(),
    })
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
mod tests {
    use super::*;
    use crate::authoring::course_rules::check;

    fn empty_course() -> CourseContent {
        CourseContent {
            slug: "new-course".into(),
            title: "New course".into(),
            version: "1.0.0".into(),
            summary: "A summary.".into(),
            outcomes: vec!["An outcome".into()],
            pass_mark: 80,
            modules: Vec::new(),
        }
    }

    fn edit(course: &mut CourseContent, edit: DraftEdit) {
        apply(course, edit).expect("the edit applies");
    }

    #[test]
    fn a_course_written_edit_by_edit_passes_the_rules() {
        let mut course = empty_course();
        assert_eq!(check(&course).len(), 1, "a course without modules is not ready");
        edit(
            &mut course,
            DraftEdit::AddModule {
                slug: "first".into(),
                title: "First".into(),
            },
        );
        edit(
            &mut course,
            DraftEdit::SaveModule {
                module: "first".into(),
                title: "First steps".into(),
                minutes: 12,
                content_note: Some("  ".into()),
                body_markdown: "Hello\r\nthere".into(),
                quiz_pass_mark: None,
            },
        );
        edit(
            &mut course,
            DraftEdit::AddQuestion {
                module: "first".into(),
                kind: QuestionKind::TrueFalse,
            },
        );
        let problems: Vec<String> = check(&course).into_iter().map(|p| p.field).collect();
        assert_eq!(
            problems,
            vec!["prompt", "why", "why", "options"],
            "a blank true/false question names what is missing"
        );
        let question = QuestionContent {
            id: "first-question".into(),
            kind: QuestionKind::TrueFalse,
            scenario: Some(String::new()),
            prompt: "True or false: listening comes first.".into(),
            options: vec![
                OptionContent {
                    text: "True".into(),
                    correct: true,
                    why: "It does.".into(),
                },
                OptionContent {
                    text: "False".into(),
                    correct: false,
                    why: "It does come first.".into(),
                },
                OptionContent {
                    text: " ".into(),
                    correct: false,
                    why: String::new(),
                },
            ],
        };
        edit(
            &mut course,
            DraftEdit::SaveQuestion {
                module: "first".into(),
                index: 0,
                question,
            },
        );
        assert_eq!(check(&course), vec![]);
        let module = &course.modules[0];
        assert_eq!(
            (module.content_note.as_deref(), module.body_markdown.as_str()),
            (None, "Hello\nthere")
        );
        assert_eq!(
            module.quiz.as_ref().unwrap().questions[0].options.len(),
            2,
            "the blank option row is dropped"
        );
    }

    #[test]
    fn modules_and_questions_move_and_go() {
        let mut course = empty_course();
        for slug in ["a", "b", "c"] {
            edit(
                &mut course,
                DraftEdit::AddModule {
                    slug: slug.into(),
                    title: slug.to_uppercase(),
                },
            );
        }
        edit(
            &mut course,
            DraftEdit::MoveModule {
                module: "c".into(),
                up: true,
            },
        );
        edit(
            &mut course,
            DraftEdit::MoveModule {
                module: "a".into(),
                up: true,
            },
        );
        let order: Vec<&str> = course.modules.iter().map(|m| m.slug.as_str()).collect();
        assert_eq!(order, vec!["a", "c", "b"], "moving the first module up leaves it first");
        edit(&mut course, DraftEdit::RemoveModule { module: "c".into() });
        assert_eq!(course.modules.len(), 2);
        edit(
            &mut course,
            DraftEdit::AddQuestion {
                module: "a".into(),
                kind: QuestionKind::Single,
            },
        );
        edit(
            &mut course,
            DraftEdit::AddQuestion {
                module: "a".into(),
                kind: QuestionKind::Multiple,
            },
        );
        let ids: Vec<String> = course.modules[0]
            .quiz
            .as_ref()
            .unwrap()
            .questions
            .iter()
            .map(|q| q.id.clone())
            .collect();
        assert_eq!(ids, vec!["a-question", "a-question-2"]);
        edit(
            &mut course,
            DraftEdit::MoveQuestion {
                module: "a".into(),
                index: 1,
                up: true,
            },
        );
        assert_eq!(
            course.modules[0].quiz.as_ref().unwrap().questions[0].kind,
            QuestionKind::Multiple
        );
        edit(
            &mut course,
            DraftEdit::DeleteQuestion {
                module: "a".into(),
                index: 0,
            },
        );
        edit(
            &mut course,
            DraftEdit::DeleteQuestion {
                module: "a".into(),
                index: 0,
            },
        );
        assert_eq!(
            course.modules[0].quiz, None,
            "a module whose last question goes has no quiz"
        );
    }

    #[test]
    fn edits_that_cannot_apply_say_why() {
        let mut course = empty_course();
        assert_eq!(
            apply(
                &mut course,
                DraftEdit::AddModule {
                    slug: "Bad Slug".into(),
                    title: "T".into()
                }
            ),
            Err(EditError::BadSlug)
        );
        edit(
            &mut course,
            DraftEdit::AddModule {
                slug: "a".into(),
                title: "A".into(),
            },
        );
        assert_eq!(
            apply(
                &mut course,
                DraftEdit::AddModule {
                    slug: "a".into(),
                    title: "A".into()
                }
            ),
            Err(EditError::DuplicateModule("a".into()))
        );
        assert_eq!(
            apply(&mut course, DraftEdit::RemoveModule { module: "zz".into() }),
            Err(EditError::NoModule("zz".into()))
        );
        assert_eq!(
            apply(
                &mut course,
                DraftEdit::DeleteQuestion {
                    module: "a".into(),
                    index: 3
                }
            ),
            Err(EditError::NoQuestion(4))
        );
        assert!(matches!(
            apply(
                &mut course,
                DraftEdit::ImportGift {
                    module: "a".into(),
                    gift: "Write an essay {}".into()
                }
            ),
            Err(EditError::NothingImported(_))
        ));
    }

    #[test]
    fn gift_questions_join_the_quiz_with_ids_of_their_own() {
        let mut course = empty_course();
        edit(
            &mut course,
            DraftEdit::AddModule {
                slug: "a".into(),
                title: "A".into(),
            },
        );
        let gift = "::Q1:: Pick one {=Right#Yes. ~Wrong#No.}\n\n::Q1:: Pick another {=Right#Yes. ~Wrong#No.}\n\nWrite an essay {}\n";
        let report = apply(
            &mut course,
            DraftEdit::ImportGift {
                module: "a".into(),
                gift: gift.into(),
            },
        )
        .unwrap();
        let quiz = course.modules[0].quiz.as_ref().unwrap();
        assert_eq!(quiz.questions.len(), 2);
        assert_ne!(quiz.questions[0].id, quiz.questions[1].id);
        assert_eq!(report.notes[0], "Imported 2 questions.");
        assert!(
            report.notes.iter().any(|n| n.starts_with("Line 5: left out")),
            "{report:?}"
        );
    }
}
