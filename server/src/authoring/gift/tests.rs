use super::*;

const MOODLE_FIXTURE: &str = include_str!("../../../tests/fixtures/gift/moodle-questions.gift.txt");

fn option(text: &str, correct: bool, why: &str) -> OptionContent {
    OptionContent {
        text: text.into(),
        correct,
        why: why.into(),
    }
}

#[test]
fn moodles_own_fixture_imports_the_choice_questions_and_reports_the_rest() {
    let import = parse(MOODLE_FIXTURE);
    let ids: Vec<&str> = import.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["q2", "colours", "q1", "2-08-tsl", "2-08-tsl-2"]);

    let q2 = &import.questions[0];
    assert_eq!(
        (q2.kind, q2.prompt.as_str()),
        (QuestionKind::Single, "What's between orange and green in the spectrum?")
    );
    assert_eq!(
        q2.options,
        [
            option("yellow", true, "right; good!"),
            option("red", false, "wrong, it's yellow"),
            option("blue", false, "wrong, it's yellow")
        ]
    );

    let colours = &import.questions[1];
    assert_eq!(colours.kind, QuestionKind::Multiple);
    assert_eq!(
        colours.options,
        [
            option("yellow", true, "right; good!"),
            option("red", false, "wrong"),
            option("off-beige", true, "right; good!"),
            option("blue", false, "wrong"),
        ]
    );

    let q1 = &import.questions[2];
    assert_eq!(q1.kind, QuestionKind::TrueFalse);
    assert!(
        q1.prompt.starts_with("42 is the Absolute Answer to everything."),
        "{}",
        q1.prompt
    );
    let general = "This is, of course, a Hitchiker's Guide to the Galaxy reference.";
    assert_eq!(
        q1.options,
        [
            option("True", false, &format!("42 is the Ultimate Answer. {general}")),
            option("False", true, &format!("You gave the right answer. {general}")),
        ]
    );
    for tsl in &import.questions[3..] {
        assert_eq!(
            (tsl.kind, tsl.prompt.as_str()),
            (QuestionKind::TrueFalse, "TSL is blablabla.")
        );
        assert_eq!(tsl.options.iter().map(|o| o.correct).collect::<Vec<_>>(), [true, false]);
    }

    let skipped: Vec<(usize, &str)> = import
        .skipped
        .iter()
        .map(|(line, why)| (*line, why.split(' ').nth(1).unwrap_or_default()))
        .collect();
    assert_eq!(
        skipped,
        [(4, "is"), (7, "activities”"), (33, "is"), (36, "is")],
        "{:#?}",
        import.skipped
    );
    assert!(import.skipped[0].1.contains("essay"));
    assert!(import.skipped[1].1.contains("matching"));
    assert!(import.skipped[2].1.contains("numerical"));
    assert!(import.skipped[3].1.contains("short-answer"));
    // Weighted answers and options without feedback are flagged for a person.
    assert!(
        import
            .warnings
            .iter()
            .any(|(_, w)| w.contains("“colours”") && w.contains("partial weights")),
        "{:#?}",
        import.warnings
    );
    assert_eq!(
        import
            .warnings
            .iter()
            .filter(|(_, w)| w.contains("no feedback"))
            .count(),
        2
    );
}

#[test]
fn escapes_categories_and_comments_are_handled() {
    let import = parse(
        "$CATEGORY: $course$/Facilitation\n// a comment\n::Esc:: Is 1\\=1 \\{really\\}?{\n=yes \\# sure#Because it is.\n~no#It is.\n}\n",
    );
    assert!(import.skipped.is_empty(), "{:?}", import.skipped);
    let q = &import.questions[0];
    assert_eq!(q.prompt, "Is 1=1 {really}?");
    assert_eq!(
        q.options,
        [
            option("yes # sure", true, "Because it is."),
            option("no", false, "It is.")
        ]
    );
}

#[test]
fn imported_questions_become_a_quiz_file_the_course_loader_accepts() {
    let import = parse(MOODLE_FIXTURE);
    let complete: Vec<QuestionContent> = import
        .questions
        .into_iter()
        .filter(|q| q.options.iter().all(|o| !o.why.is_empty()))
        .collect();
    assert_eq!(complete.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("imported");
    std::fs::create_dir_all(&course).unwrap();
    std::fs::write(
        course.join("course.toml"),
        "slug = \"imported\"\ntitle = \"Imported\"\nversion = \"1\"\nsummary = \"From GIFT.\"\noutcomes = [\"Answer\"]\n",
    )
    .unwrap();
    std::fs::write(
        course.join("01-colours.md"),
        "+++\ntitle = \"Colours\"\nminutes = 5\n+++\nText.\n",
    )
    .unwrap();
    std::fs::write(
        course.join("01-colours.quiz.toml"),
        crate::authoring::course_files::quiz_toml(&crate::authoring::course_files::QuizContent {
            questions: complete.clone(),
            ..Default::default()
        }),
    )
    .unwrap();
    let loaded = crate::authoring::course_files::load_dir(dir.path());
    assert!(loaded.problems.is_empty(), "{:#?}", loaded.problems);
    assert_eq!(loaded.courses[0].modules[0].quiz.as_ref().unwrap().questions, complete);
}

proptest::proptest! {
    /// Untrusted text: never a panic, and every line reported is one of the file's.
    #[test]
    fn any_text_imports_or_is_reported_by_line(text in "(?s).{0,600}") {
        let import = parse(&text);
        let lines = text.lines().count().max(1);
        for (line, _) in import.skipped.iter().chain(&import.warnings) {
            proptest::prop_assert!(*line >= 1 && *line <= lines, "line {} of {}", line, lines);
        }
    }

    /// GIFT-shaped text with arbitrary pieces in it.
    #[test]
    fn gift_shaped_text_never_panics(prompt in "[^{}]{0,40}", answers in proptest::collection::vec("[=~#%a-z0-9 .:\\-]{0,20}", 0..6)) {
        let text = format!("::id:: {prompt} {{\n{}\n}}\n", answers.join("\n"));
        let _ = parse(&text);
    }
}
