use super::*;
use std::fs;

const COURSE: &str = r#"slug = "demo"
title = "Demo course"
version = "1.0.0"
summary = "A course for tests."
outcomes = ["Pass the tests"]
"#;

const MODULE: &str = "+++\ntitle = \"First\"\nminutes = 5\n+++\n\n## Hello\n\nSome text.\n";

const QUIZ: &str = r#"[[question]]
id = "q-one"
kind = "single"
prompt = "Pick one"

[[question.option]]
text = "Right"
correct = true
why = "Because."

[[question.option]]
text = "Wrong"
correct = false
why = "Because not."
"#;

struct Fixture(tempfile::TempDir);

impl Fixture {
    fn new() -> Self {
        let fixture = Fixture(tempfile::tempdir().unwrap());
        fixture.write("demo/course.toml", COURSE);
        fixture.write("demo/01-first.md", MODULE);
        fixture.write("demo/01-first.quiz.toml", QUIZ);
        fixture
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.0.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn load(&self) -> Loaded {
        load_dir(self.0.path())
    }

    /// Problems as `file-name:line: message`, relative to the fixture.
    fn problems(&self) -> Vec<String> {
        self.load()
            .problems
            .iter()
            .map(|p| {
                format!(
                    "{}:{}: {}",
                    p.file.strip_prefix(self.0.path()).unwrap().display(),
                    p.line,
                    p.message
                )
            })
            .collect()
    }
}

#[test]
fn a_valid_course_loads_with_defaults() {
    let loaded = Fixture::new().load();
    assert_eq!(loaded.problems, vec![]);
    let course = &loaded.courses[0];
    assert_eq!(course.pass_mark, 80);
    assert_eq!(course.modules[0].slug, "first");
    assert_eq!(course.modules[0].body_markdown, "## Hello\n\nSome text.");
    let quiz = course.modules[0].quiz.as_ref().unwrap();
    assert_eq!(quiz.questions[0].options.len(), 2);
}

#[test]
fn unknown_keys_are_reported_with_their_line() {
    let fixture = Fixture::new();
    fixture.write("demo/course.toml", &format!("{COURSE}colour = \"blue\"\n"));
    let problems = fixture.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("demo/course.toml:6: unknown field `colour`"),
        "{problems:?}"
    );
    assert!(fixture.load().courses.is_empty());
}

#[test]
fn unknown_front_matter_keys_count_lines_from_the_file_start() {
    let fixture = Fixture::new();
    fixture.write(
        "demo/01-first.md",
        "+++\ntitle = \"First\"\nminutes = 5\nauthor = \"me\"\n+++\nBody\n",
    );
    let problems = fixture.problems();
    assert!(
        problems[0].starts_with("demo/01-first.md:4: unknown field `author`"),
        "{problems:?}"
    );
}

#[test]
fn duplicate_question_ids_are_reported_across_the_course() {
    let fixture = Fixture::new();
    fixture.write("demo/02-second.md", MODULE);
    fixture.write("demo/02-second.quiz.toml", QUIZ);
    assert_eq!(
        fixture.problems(),
        vec!["demo/02-second.quiz.toml:2: question id \"q-one\" is used twice in this course"]
    );
}

#[test]
fn single_and_true_false_need_exactly_one_correct_option() {
    let fixture = Fixture::new();
    fixture.write(
        "demo/01-first.quiz.toml",
        &QUIZ.replace("correct = false", "correct = true"),
    );
    assert_eq!(
        fixture.problems(),
        vec![
            "demo/01-first.quiz.toml:2: question \"q-one\": a single-choice question needs exactly one correct option, not 2"
        ]
    );
    fixture.write(
        "demo/01-first.quiz.toml",
        &QUIZ
            .replace("\"single\"", "\"true_false\"")
            .replace("correct = true", "correct = false"),
    );
    assert_eq!(
        fixture.problems(),
        vec![
            "demo/01-first.quiz.toml:2: question \"q-one\": a true_false question needs exactly one correct option, not 0"
        ]
    );
}

#[test]
fn a_multiple_choice_question_needs_a_correct_option() {
    let fixture = Fixture::new();
    fixture.write(
        "demo/01-first.quiz.toml",
        &QUIZ
            .replace("\"single\"", "\"multiple\"")
            .replace("correct = true", "correct = false"),
    );
    assert_eq!(
        fixture.problems(),
        vec![
            "demo/01-first.quiz.toml:2: question \"q-one\": a multiple-choice question needs at least one correct option"
        ]
    );
}

#[test]
fn an_unknown_kind_is_named() {
    let fixture = Fixture::new();
    fixture.write("demo/01-first.quiz.toml", &QUIZ.replace("\"single\"", "\"essay\""));
    assert_eq!(
        fixture.problems(),
        vec!["demo/01-first.quiz.toml:3: kind must be \"single\", \"multiple\" or \"true_false\", not \"essay\""]
    );
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let fixture = Fixture::new();
    fixture.write(
        "demo/01-first.quiz.toml",
        &QUIZ
            .replace("why = \"Because.\"", "why = \"\"")
            .replace("\"single\"", "\"essay\""),
    );
    fixture.write("demo/02-orphan.quiz.toml", QUIZ);
    let problems = fixture.problems();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("02-orphan.quiz.toml:1: this quiz has no module file"))
    );
}

#[test]
fn a_program_naming_a_missing_course_is_rejected() {
    let fixture = Fixture::new();
    fixture.write(
        "programs.toml",
        "[[program]]\nslug = \"p\"\ntitle = \"P\"\ncourses = [\"demo\",\n  \"missing\"]\nvalid_for_months = 24\n",
    );
    let loaded = fixture.load();
    assert!(loaded.programs.is_empty());
    assert_eq!(
        fixture.problems(),
        vec!["programs.toml:5: program \"p\" names a course \"missing\" that has no folder here"]
    );
    // The course itself is fine and still loads.
    assert_eq!(loaded.courses.len(), 1);
}

#[test]
fn a_valid_program_loads() {
    let fixture = Fixture::new();
    fixture.write(
        "programs.toml",
        "[[program]]\nslug = \"p\"\ntitle = \"P\"\ncourses = [\"demo\"]\nvalid_for_months = 24\n",
    );
    let loaded = fixture.load();
    assert_eq!(loaded.problems, vec![]);
    assert_eq!(loaded.programs[0].courses, vec!["demo"]);
    assert_eq!(loaded.programs[0].valid_for_months, 24);
}

#[test]
fn a_broken_toml_file_reports_the_syntax_error_line() {
    let fixture = Fixture::new();
    fixture.write("demo/01-first.quiz.toml", "[[question]]\nid = \"q\nkind = \"single\"\n");
    let problems = fixture.problems();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("demo/01-first.quiz.toml:2: "), "{problems:?}");
}

#[test]
fn slug_must_match_the_folder_and_modules_need_front_matter() {
    let fixture = Fixture::new();
    fixture.write("demo/course.toml", &COURSE.replace("\"demo\"", "\"other\""));
    fixture.write("demo/01-first.md", "# No front matter\n");
    assert_eq!(
        fixture.problems(),
        vec![
            "demo/course.toml:1: slug \"other\" does not match the folder name \"demo\"",
            "demo/01-first.md:1: a module starts with front matter between two +++ lines (title, minutes, optional content_note)",
        ]
    );
}

#[test]
fn the_content_hash_changes_with_the_content() {
    let fixture = Fixture::new();
    let before = content_hash(&fixture.load().courses[0]);
    assert_eq!(before, content_hash(&fixture.load().courses[0]));
    fixture.write("demo/01-first.md", &MODULE.replace("Some text.", "Other text."));
    assert_ne!(before, content_hash(&fixture.load().courses[0]));
}

#[test]
fn the_shipped_courses_load_without_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../courses");
    let loaded = load_dir(&dir);
    let problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(loaded.courses.len() >= 2);
}

#[test]
fn module_problems_are_reported_even_when_course_toml_is_broken() {
    let fixture = Fixture::new();
    fixture.write("demo/course.toml", &format!("{COURSE}extra = 1\n"));
    fixture.write("demo/01-first.md", "+++\ntitle = \"First\"\nminutes = 0\n+++\nText\n");
    let problems = fixture.problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[1].starts_with("demo/01-first.md:3: minutes must be"),
        "{problems:?}"
    );
}

mod untrusted_files {
    use super::*;
    use proptest::prelude::*;

    /// Writes a course folder from arbitrary file contents and loads it.
    fn load_from(course_toml: &str, module_md: &str, quiz_toml: &str) -> (tempfile::TempDir, Loaded) {
        let dir = tempfile::tempdir().unwrap();
        let course = dir.path().join("demo");
        fs::create_dir(&course).unwrap();
        fs::write(course.join("course.toml"), course_toml).unwrap();
        fs::write(course.join("01-first.md"), module_md).unwrap();
        fs::write(course.join("01-first.quiz.toml"), quiz_toml).unwrap();
        let loaded = load_dir(dir.path());
        (dir, loaded)
    }

    /// Every problem names a file inside the folder and a line it has (or
    /// the line after its last, for something missing at the end).
    fn problems_point_into(dir: &Path, loaded: &Loaded) -> Result<(), TestCaseError> {
        for problem in &loaded.problems {
            prop_assert!(
                problem.file.starts_with(dir),
                "{} is outside {}",
                problem.file.display(),
                dir.display()
            );
            prop_assert!(!problem.message.is_empty());
            let lines = fs::read_to_string(&problem.file)
                .map(|text| text.lines().count())
                .unwrap_or(0);
            prop_assert!(
                problem.line >= 1 && problem.line <= lines + 1,
                "{problem} (the file has {lines} lines)"
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn any_course_file_loads_or_is_reported(course in "(?s).{0,300}") {
            let (dir, loaded) = load_from(&course, MODULE, QUIZ);
            problems_point_into(dir.path(), &loaded)?;
            prop_assert!(loaded.courses.is_empty() || loaded.problems.is_empty());
        }

        #[test]
        fn any_module_file_loads_or_is_reported(module in "(?s)(\\+\\+\\+\n)?.{0,300}") {
            let (dir, loaded) = load_from(COURSE, &module, QUIZ);
            problems_point_into(dir.path(), &loaded)?;
        }

        #[test]
        fn any_quiz_file_loads_or_is_reported(quiz in "(?s)(\\[\\[question\\]\\]\n)?[a-z_=\"\\[\\]. \n0-9]{0,300}") {
            let (dir, loaded) = load_from(COURSE, MODULE, &quiz);
            problems_point_into(dir.path(), &loaded)?;
        }
    }
}

/// Warnings as `file-name:line: message`, relative to the fixture.
fn warnings(fixture: &Fixture) -> Vec<String> {
    fixture
        .load()
        .warnings
        .iter()
        .map(|p| {
            format!(
                "{}:{}: {}",
                p.file.strip_prefix(fixture.0.path()).unwrap().display(),
                p.line,
                p.message
            )
        })
        .collect()
}

#[test]
fn a_module_estimate_covers_what_it_asks_and_no_more_than_twice_that() {
    let fixture = Fixture::new();
    // Three words to read, one question, one prompt: at least 1 + 1 + 5 minutes.
    fixture.write(
        "demo/reflections.toml",
        "[[prompt]]\nid = \"p\"\nmodule = \"01-first\"\ntext = \"What did you notice?\"\n",
    );
    let least = "about 1 to read at 150 words a minute, 1 for the quiz and 5 for the reflection prompts";
    fixture.write("demo/01-first.md", &MODULE.replace("minutes = 5", "minutes = 6"));
    assert_eq!(
        warnings(&fixture),
        vec![format!(
            "demo/01-first.md:3: minutes = 6 is less than this module takes ({least}): say at least 7"
        )]
    );
    for honest in [7, 14] {
        fixture.write(
            "demo/01-first.md",
            &MODULE.replace("minutes = 5", &format!("minutes = {honest}")),
        );
        assert_eq!(warnings(&fixture), Vec::<String>::new(), "{honest} minutes");
    }
    fixture.write("demo/01-first.md", &MODULE.replace("minutes = 5", "minutes = 15"));
    assert_eq!(
        warnings(&fixture),
        vec![format!(
            "demo/01-first.md:3: minutes = 15 is more than twice what this module takes ({least}); its minutes \
             count towards training hours, so say at most 14"
        )]
    );
    // Advice, not a refusal: the course still loads.
    assert_eq!(fixture.load().courses.len(), 1);
}

#[test]
fn a_program_counts_a_course_for_no_more_than_its_modules_take() {
    let fixture = Fixture::new();
    let program = |hours: &str| {
        format!(
            "[[program]]\nslug = \"p\"\ntitle = \"P\"\ncourses = [\"demo\"]\nvalid_for_months = 24\n\n\
             [program.training]\nhours = 2\n\n[[program.training.category]]\nid = \"core\"\ntitle = \"Core\"\n\n\
             [program.training.courses]\ndemo = {{ category = \"core\", hours = {hours} }}\n"
        )
    };
    // Five minutes of module, rounded up to the quarter hour.
    fixture.write("programs.toml", &program("0.25"));
    assert_eq!(fixture.problems(), Vec::<String>::new());
    assert_eq!(fixture.load().programs.len(), 1);
    fixture.write("programs.toml", &program("0.5"));
    assert_eq!(
        fixture.problems(),
        vec![
            "programs.toml:15: \"demo\" counts for 0.5 hours, but its modules' minutes add up to 5: a course \
             counts for no more than its modules take"
        ]
    );
    assert!(fixture.load().programs.is_empty());
}
