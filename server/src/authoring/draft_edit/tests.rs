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
        review: Default::default(),
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
        group: None,
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
