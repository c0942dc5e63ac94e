//! Reading modules (`NN-name.md` with TOML front matter) and their quizzes
//! (`NN-name.quiz.toml`).

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Spanned<String>,
    minutes: Spanned<i64>,
    content_note: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    pass_mark: Option<Spanned<i64>>,
    draw: Option<Spanned<i64>>,
    review: Option<Spanned<String>>,
    wait_days: Option<Spanned<i64>>,
    wait_hours: Option<Spanned<i64>>,
    max_attempts: Option<Spanned<i64>>,
    attempts_period_days: Option<Spanned<i64>>,
    #[serde(default)]
    group: Vec<RawGroup>,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: Spanned<String>,
    draw: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    kind: Spanned<String>,
    scenario: Option<Spanned<String>>,
    prompt: Spanned<String>,
    group: Option<Spanned<String>>,
    #[serde(default)]
    option: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    text: Spanned<String>,
    correct: bool,
    why: Spanned<String>,
}

fn module_file_name(name: &str) -> Option<(u32, &str, bool)> {
    let (stem, is_quiz) = if let Some(stem) = name.strip_suffix(".quiz.toml") {
        (stem, true)
    } else {
        (name.strip_suffix(".md")?, false)
    };
    let (number, slug) = stem.split_once('-')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) || !course_rules::is_slug(slug) {
        return None;
    }
    Some((number.parse().ok()?, slug, is_quiz))
}

pub(super) fn load_modules(
    folder: &Path,
    problems: &mut Vec<Problem>,
    locations: &mut Locations,
) -> Vec<ModuleContent> {
    let mut names: Vec<String> = match std::fs::read_dir(folder) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut markdown: BTreeMap<u32, (String, PathBuf)> = BTreeMap::new();
    let mut quizzes: BTreeMap<(u32, String), PathBuf> = BTreeMap::new();
    let mut seen_slugs = HashSet::new();
    for name in names {
        let path = folder.join(&name);
        let beside_modules = ["course.toml", "reflections.toml", printables::TRAINER_GUIDE];
        if beside_modules.contains(&name.as_str()) || !(name.ends_with(".md") || name.ends_with(".toml")) {
            continue;
        }
        match module_file_name(&name) {
            Some((number, slug, false)) => {
                if let Some((_, other)) = markdown.get(&number) {
                    let other = other.file_name().unwrap_or_default().to_string_lossy().into_owned();
                    problems.push(Problem::at(
                        path,
                        1,
                        format!("module number {number:02} is also used by {other}"),
                    ));
                } else if !seen_slugs.insert(slug.to_owned()) {
                    problems.push(Problem::at(path, 1, format!("another module is also named \"{slug}\"")));
                } else {
                    markdown.insert(number, (slug.to_owned(), path));
                }
            }
            Some((number, slug, true)) => {
                quizzes.insert((number, slug.to_owned()), path);
            }
            None => problems.push(Problem::at(
                path,
                1,
                "file name should look like 01-module-name.md or 01-module-name.quiz.toml",
            )),
        }
    }
    let mut modules = Vec::new();
    for (number, (slug, path)) in &markdown {
        let quiz_path = quizzes.remove(&(*number, slug.clone()));
        if let Some(module) = load_module(modules.len(), slug, path, quiz_path.as_deref(), problems, locations) {
            modules.push(module);
        }
    }
    for path in quizzes.into_values() {
        problems.push(Problem::at(
            path,
            1,
            "this quiz has no module file with the same number and name",
        ));
    }
    modules
}

fn load_module(
    index: usize,
    slug: &str,
    path: &Path,
    quiz_path: Option<&Path>,
    problems: &mut Vec<Problem>,
    locations: &mut Locations,
) -> Option<ModuleContent> {
    let text = read(path, problems)?;
    let Some((front, body, body_line)) = split_front_matter(&text) else {
        problems.push(Problem::at(
            path.to_owned(),
            1,
            "a module starts with front matter between two +++ lines (title, minutes, optional content_note)",
        ));
        return None;
    };
    let place = Place::Module { module: index };
    locations.files.insert(place, path.to_owned());
    locations.fields.insert((place, "body"), (path.to_owned(), body_line));
    let mut report = FileReport {
        file: path.to_owned(),
        text: front,
        first_line: 2,
        problems,
    };
    let raw: RawFrontMatter = report.parse()?;
    report.locate(locations, place, "title", &raw.title);
    report.locate(locations, place, "minutes", &raw.minutes);
    if let Some(note) = &raw.content_note {
        report.locate(locations, place, "content_note", note);
    }
    let quiz = quiz_path.and_then(|quiz_path| load_quiz(index, quiz_path, report.problems, locations));
    Some(ModuleContent {
        slug: slug.to_owned(),
        title: raw.title.get_ref().trim().to_owned(),
        minutes: whole(&raw.minutes),
        content_note: raw.content_note.map(|note| note.into_inner().trim().to_owned()),
        body_markdown: body.trim().to_owned(),
        quiz,
    })
}

/// Returns the front matter, the body and the body's first line number.
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 3 + front.matches('\n').count();
            return Some((front, body, body_line));
        }
        offset += line.len();
    }
    None
}

fn load_quiz(
    module: usize,
    path: &Path,
    problems: &mut Vec<Problem>,
    locations: &mut Locations,
) -> Option<QuizContent> {
    let text = read(path, problems)?;
    let mut report = FileReport {
        file: path.to_owned(),
        text: &text,
        first_line: 1,
        problems,
    };
    let raw: RawQuiz = report.parse()?;
    let place = Place::Quiz { module };
    locations.files.insert(place, path.to_owned());
    if let Some(pass_mark) = &raw.pass_mark {
        report.locate(locations, place, "pass_mark", pass_mark);
    }
    if let Some(draw) = &raw.draw {
        report.locate(locations, place, "draw", draw);
    }
    if let Some(group) = raw.group.first() {
        report.locate(locations, place, "group", &group.id);
    }
    let review = raw.review.as_ref().map(|r| {
        report.locate(locations, place, "review", r);
        review_policy(r, &mut report)
    });
    let attempts = RawAttempts {
        wait_days: &raw.wait_days,
        wait_hours: &raw.wait_hours,
        max_attempts: &raw.max_attempts,
        attempts_period_days: &raw.attempts_period_days,
    }
    .read(place, &mut report, locations);
    let questions = raw
        .question
        .iter()
        .enumerate()
        .map(|(index, q)| read_question(module, index, q, &mut report, locations))
        .collect();
    Some(QuizContent {
        pass_mark: raw.pass_mark.as_ref().map(whole),
        draw: raw.draw.as_ref().map(whole),
        groups: raw
            .group
            .iter()
            .map(|g| QuestionGroup {
                id: g.id.get_ref().clone(),
                draw: whole(&g.draw),
            })
            .collect(),
        review,
        attempts,
        questions,
    })
}

fn read_question(
    module: usize,
    index: usize,
    raw: &RawQuestion,
    report: &mut FileReport<'_>,
    locations: &mut Locations,
) -> QuestionContent {
    let place = Place::Question {
        module,
        question: index,
    };
    locations.files.insert(place, report.file.clone());
    report.locate(locations, place, "id", &raw.id);
    // A question's options are judged as a whole: point at the question's start.
    report.locate(locations, place, "options", &raw.id);
    report.locate(locations, place, "prompt", &raw.prompt);
    if let Some(scenario) = &raw.scenario {
        report.locate(locations, place, "scenario", scenario);
    }
    if let Some(group) = &raw.group {
        report.locate(locations, place, "group", group);
    }
    let kind = QuestionKind::parse(raw.kind.get_ref()).unwrap_or_else(|| {
        report.at_span(
            &raw.kind,
            format!(
                "kind must be \"single\", \"multiple\" or \"true_false\", not \"{}\"",
                raw.kind.get_ref()
            ),
        );
        QuestionKind::Single
    });
    let options = raw
        .option
        .iter()
        .enumerate()
        .map(|(option, raw)| {
            let place = Place::Option {
                module,
                question: index,
                option,
            };
            locations.files.insert(place, report.file.clone());
            report.locate(locations, place, "text", &raw.text);
            report.locate(locations, place, "why", &raw.why);
            OptionContent {
                text: raw.text.get_ref().trim().to_owned(),
                correct: raw.correct,
                why: raw.why.get_ref().trim().to_owned(),
            }
        })
        .collect();
    QuestionContent {
        id: raw.id.get_ref().clone(),
        kind,
        scenario: raw.scenario.as_ref().map(|s| s.get_ref().trim().to_owned()),
        prompt: raw.prompt.get_ref().trim().to_owned(),
        group: raw.group.as_ref().map(|g| g.get_ref().clone()),
        options,
    }
}
