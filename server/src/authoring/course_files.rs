//! Course files (`courses/`): loading and validating the format documented
//! in `courses/README.md`.
//!
//! The loader collects every problem it can find, each with its file and
//! line, instead of stopping at the first: an author fixes a course in one
//! pass. A course with any problem is left out, so the database keeps
//! serving its last good version.

use crate::authoring::course_rules;
use holdspace_app::course_content::{ContentProblem, Place};
pub use holdspace_app::course_content::{CourseContent, ModuleContent, OptionContent, QuestionContent, QuizContent};
use holdspace_app::dto::QuestionKind;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// A course's content hash: a digest of everything a learner could see, to
/// tell a changed course from an unchanged one.
pub fn content_hash(course: &CourseContent) -> String {
    let bytes = serde_json::to_vec(course).expect("course content serializes");
    hex::encode(Sha256::digest(bytes))
}

/// A certificate program from `programs.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgramFile {
    pub slug: String,
    pub title: String,
    pub courses: Vec<String>,
    pub valid_for_months: u32,
    /// Practical requirements a trainer signs off: (id, title).
    pub practicals: Vec<(String, String)>,
}

/// Everything read from a courses directory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Courses without problems.
    pub courses: Vec<CourseContent>,
    /// Programs without problems.
    pub programs: Vec<ProgramFile>,
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
}

// ---- raw TOML shapes -------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCourse {
    slug: Spanned<String>,
    title: Spanned<String>,
    version: Spanned<String>,
    summary: Spanned<String>,
    outcomes: Spanned<Vec<String>>,
    pass_mark: Option<Spanned<i64>>,
}

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
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    kind: Spanned<String>,
    scenario: Option<Spanned<String>>,
    prompt: Spanned<String>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrograms {
    #[serde(default)]
    program: Vec<RawProgram>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgram {
    slug: Spanned<String>,
    title: Spanned<String>,
    courses: Vec<Spanned<String>>,
    valid_for_months: Spanned<i64>,
    #[serde(default)]
    practical: Vec<RawPractical>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractical {
    id: Spanned<String>,
    title: Spanned<String>,
}

// ---- reporting ---------------------------------------------------------------

/// Collects problems for one file whose text starts at `first_line`.
struct FileReport<'a> {
    file: PathBuf,
    text: &'a str,
    first_line: usize,
    problems: &'a mut Vec<Problem>,
}

impl FileReport<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.first_line + self.text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count()
    }

    fn at(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.line_of(offset);
        self.problems.push(Problem {
            file: self.file.clone(),
            line,
            message: message.into(),
        });
    }

    fn at_span<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) {
        self.at(spanned.span().start, message);
    }

    fn parse<T: serde::de::DeserializeOwned>(&mut self) -> Option<T> {
        match toml::from_str::<T>(self.text) {
            Ok(value) => Some(value),
            Err(error) => {
                let offset = error.span().map_or(0, |span| span.start);
                let message = error.message().trim().to_owned();
                self.at(offset, message);
                None
            }
        }
    }

    /// A required, non-blank string (programs only: course fields go through [`course_rules`]).
    fn text_field(&mut self, value: &Spanned<String>, what: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.at_span(value, format!("{what} is empty"));
        }
        text.to_owned()
    }

    /// Remembers the line a course field was read from.
    fn locate<T>(&self, locations: &mut Locations, place: Place, field: &'static str, spanned: &Spanned<T>) {
        locations
            .fields
            .insert((place, field), (self.file.clone(), self.line_of(spanned.span().start)));
    }
}

/// Where each field of a course was read from, so that a broken rule is
/// reported on the line that breaks it.
#[derive(Default)]
struct Locations {
    fields: HashMap<(Place, &'static str), (PathBuf, usize)>,
    /// The file each place lives in, for problems without a field line.
    files: HashMap<Place, PathBuf>,
}

impl Locations {
    fn problem(&self, problem: ContentProblem) -> Problem {
        let (file, line) = self
            .fields
            .get(&(problem.place, problem.field.as_str()))
            .cloned()
            .or_else(|| self.files.get(&problem.place).map(|file| (file.clone(), 1)))
            .unwrap_or_default();
        Problem {
            file,
            line,
            message: problem.message,
        }
    }
}

/// Turns a number from a file into the content's type; out-of-range values
/// become 0, which the rules then reject with their usual message.
fn whole(value: &Spanned<i64>) -> u32 {
    u32::try_from(*value.get_ref()).unwrap_or(0)
}

// ---- loading -----------------------------------------------------------------

/// Reads and validates every course folder and `programs.toml` under `dir`.
pub fn load_dir(dir: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            loaded.problems.push(Problem {
                file: dir.to_owned(),
                line: 0,
                message: format!("cannot read the directory: {error}"),
            });
            return loaded;
        }
    };
    let mut folders: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut folder_slugs = HashSet::new();
    for folder in folders {
        if !folder.join("course.toml").exists() {
            continue;
        }
        if let Some(name) = folder.file_name().and_then(|n| n.to_str()) {
            folder_slugs.insert(name.to_owned());
        }
        let before = loaded.problems.len();
        let course = load_course(&folder, &mut loaded.problems);
        if let (Some(course), true) = (course, loaded.problems.len() == before) {
            loaded.courses.push(course);
        }
    }
    let programs_path = dir.join("programs.toml");
    if programs_path.exists() {
        loaded.programs = load_programs(&programs_path, &folder_slugs, &mut loaded.problems);
    }
    loaded
}

fn read(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            problems.push(Problem {
                file: path.to_owned(),
                line: 0,
                message: format!("cannot read the file: {error}"),
            });
            None
        }
    }
}

/// Reads one course folder. Returns `None` where nothing usable was read;
/// the caller also discards the course when any problem was recorded.
pub fn load_course(folder: &Path, problems: &mut Vec<Problem>) -> Option<CourseContent> {
    let course_path = folder.join("course.toml");
    let text = read(&course_path, problems)?;
    let mut locations = Locations::default();
    locations.files.insert(Place::Course, course_path.clone());
    let mut report = FileReport {
        file: course_path.clone(),
        text: &text,
        first_line: 1,
        problems,
    };
    let raw = report.parse::<RawCourse>();
    let folder_name = folder.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if let Some(raw) = &raw {
        let slug = raw.slug.get_ref();
        if course_rules::is_slug(slug) && slug != folder_name {
            report.at_span(
                &raw.slug,
                format!("slug \"{slug}\" does not match the folder name \"{folder_name}\""),
            );
        }
        for (field, spanned) in [
            ("slug", &raw.slug),
            ("title", &raw.title),
            ("version", &raw.version),
            ("summary", &raw.summary),
        ] {
            report.locate(&mut locations, Place::Course, field, spanned);
        }
        report.locate(&mut locations, Place::Course, "outcomes", &raw.outcomes);
        if let Some(pass_mark) = &raw.pass_mark {
            report.locate(&mut locations, Place::Course, "pass_mark", pass_mark);
        }
    }
    let before = problems.len();
    let modules = load_modules(folder, problems, &mut locations);
    let module_files_failed = problems.len() > before;
    let course = match &raw {
        Some(raw) => CourseContent {
            slug: raw.slug.get_ref().clone(),
            title: raw.title.get_ref().trim().to_owned(),
            version: raw.version.get_ref().trim().to_owned(),
            summary: raw.summary.get_ref().trim().to_owned(),
            outcomes: raw.outcomes.get_ref().iter().map(|o| o.trim().to_owned()).collect(),
            pass_mark: raw.pass_mark.as_ref().map_or(80, whole),
            modules,
        },
        // Still check the modules, so that every problem is reported in one pass.
        None => CourseContent {
            slug: folder_name.to_owned(),
            title: "-".into(),
            version: "-".into(),
            summary: "-".into(),
            outcomes: vec!["-".into()],
            pass_mark: 80,
            modules,
        },
    };
    let rule_problems = course_rules::check(&course)
        .into_iter()
        // A module file that failed to load has said so already.
        .filter(|p| !(module_files_failed && p.place == Place::Course && p.field == "modules"));
    problems.extend(rule_problems.map(|p| locations.problem(p)));
    raw.map(|_| course)
}

/// Splits `NN-name.md` / `NN-name.quiz.toml` into their order and slug.
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

fn load_modules(folder: &Path, problems: &mut Vec<Problem>, locations: &mut Locations) -> Vec<ModuleContent> {
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
        if name == "course.toml" || !(name.ends_with(".md") || name.ends_with(".toml")) {
            continue;
        }
        match module_file_name(&name) {
            Some((number, slug, false)) => {
                if let Some((_, other)) = markdown.get(&number) {
                    let other = other.file_name().unwrap_or_default().to_string_lossy().into_owned();
                    problems.push(Problem {
                        file: path,
                        line: 1,
                        message: format!("module number {number:02} is also used by {other}"),
                    });
                } else if !seen_slugs.insert(slug.to_owned()) {
                    problems.push(Problem {
                        file: path,
                        line: 1,
                        message: format!("another module is also named \"{slug}\""),
                    });
                } else {
                    markdown.insert(number, (slug.to_owned(), path));
                }
            }
            Some((number, slug, true)) => {
                quizzes.insert((number, slug.to_owned()), path);
            }
            None => problems.push(Problem {
                file: path,
                line: 1,
                message: "file name should look like 01-module-name.md or 01-module-name.quiz.toml".into(),
            }),
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
        problems.push(Problem {
            file: path,
            line: 1,
            message: "this quiz has no module file with the same number and name".into(),
        });
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
        problems.push(Problem {
            file: path.to_owned(),
            line: 1,
            message: "a module starts with front matter between two +++ lines (title, minutes, optional content_note)"
                .into(),
        });
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
    let questions = raw
        .question
        .iter()
        .enumerate()
        .map(|(index, q)| read_question(module, index, q, &mut report, locations))
        .collect();
    Some(QuizContent {
        pass_mark: raw.pass_mark.as_ref().map(whole),
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
        options,
    }
}

fn load_programs(path: &Path, course_slugs: &HashSet<String>, problems: &mut Vec<Problem>) -> Vec<ProgramFile> {
    let Some(text) = read(path, problems) else {
        return Vec::new();
    };
    let mut report = FileReport {
        file: path.to_owned(),
        text: &text,
        first_line: 1,
        problems,
    };
    let Some(raw) = report.parse::<RawPrograms>() else {
        return Vec::new();
    };
    let mut slugs = HashSet::new();
    let mut programs = Vec::new();
    for program in raw.program {
        let before = report.problems.len();
        let slug = program.slug.get_ref().clone();
        if !course_rules::is_slug(&slug) {
            report.at_span(&program.slug, "slug must be lowercase letters, digits and dashes");
        } else if !slugs.insert(slug.clone()) {
            report.at_span(&program.slug, format!("program \"{slug}\" is defined twice"));
        }
        let title = report.text_field(&program.title, "title");
        if program.courses.is_empty() {
            report.at_span(&program.slug, "a program lists at least one course");
        }
        for course in &program.courses {
            if !course_slugs.contains(course.get_ref()) {
                report.at_span(
                    course,
                    format!(
                        "program \"{slug}\" names a course \"{}\" that has no folder here",
                        course.get_ref()
                    ),
                );
            }
        }
        let valid_for_months = match u32::try_from(*program.valid_for_months.get_ref()) {
            Ok(m) if (1..=120).contains(&m) => m,
            _ => {
                report.at_span(
                    &program.valid_for_months,
                    "valid_for_months must be a whole number from 1 to 120",
                );
                0
            }
        };
        let mut practical_ids = HashSet::new();
        let mut practicals = Vec::with_capacity(program.practical.len());
        for practical in &program.practical {
            let id = practical.id.get_ref().clone();
            if !course_rules::is_slug(&id) {
                report.at_span(
                    &practical.id,
                    "a practical requirement's id must be lowercase letters, digits and dashes",
                );
            } else if !practical_ids.insert(id.clone()) {
                report.at_span(&practical.id, format!("practical requirement \"{id}\" is listed twice"));
            }
            practicals.push((id, report.text_field(&practical.title, "practical requirement title")));
        }
        if report.problems.len() == before {
            programs.push(ProgramFile {
                slug,
                title,
                courses: program.courses.into_iter().map(Spanned::into_inner).collect(),
                valid_for_months,
                practicals,
            });
        }
    }
    programs
}

mod writer;

pub use writer::{quiz_toml, write_course};

#[cfg(test)]
mod tests;
