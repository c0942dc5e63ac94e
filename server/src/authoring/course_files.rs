//! Course files (`courses/`): loading and validating the format documented
//! in `courses/README.md`.
//!
//! The loader collects every problem it can find, each with its file and
//! line, instead of stopping at the first: an author fixes a course in one
//! pass. A course with any problem is left out, so the database keeps
//! serving its last good version.

use crate::authoring::course_rules;
pub use holdspace_app::course_content::{
    AttemptPolicy, CourseContent, ModuleContent, OptionContent, QuestionContent, QuestionGroup, QuizContent,
    ReviewPolicy,
};
use holdspace_app::course_content::{ContentProblem, Place};
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
    /// Advice (an item-writing rule): reported, but the course still loads.
    pub warning: bool,
}

impl Problem {
    fn at(file: PathBuf, line: usize, message: impl Into<String>) -> Problem {
        Problem {
            file,
            line,
            message: message.into(),
            warning: false,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.warning { "warning: " } else { "" };
        write!(f, "{}:{}: {kind}{}", self.file.display(), self.line, self.message)
    }
}

/// A course's content hash: a digest of everything a learner could see, to
/// tell a changed course from an unchanged one.
pub fn content_hash(course: &CourseContent) -> String {
    let bytes = serde_json::to_vec(course).expect("course content serializes");
    hex::encode(Sha256::digest(bytes))
}

/// Everything read from a courses directory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Courses without problems.
    pub courses: Vec<CourseContent>,
    /// Programs without problems.
    pub programs: Vec<ProgramFile>,
    /// Reflection prompts of the courses that loaded.
    pub reflections: Vec<ReflectionsFile>,
    /// The facilitator toolkit and the trainers' guides.
    pub printables: Vec<PrintableFile>,
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
    /// Item-writing advice about the courses that loaded (and those that did not).
    pub warnings: Vec<Problem>,
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
    review: Option<Spanned<String>>,
}

/// When another attempt may start, as written in a quiz file or a
/// program's exam: a wait in days or hours, and a limit per period. (Kept
/// as plain fields of each file's shape: serde cannot flatten into a shape
/// that refuses unknown keys.)
struct RawAttempts<'a> {
    wait_days: &'a Option<Spanned<i64>>,
    wait_hours: &'a Option<Spanned<i64>>,
    max_attempts: &'a Option<Spanned<i64>>,
    attempts_period_days: &'a Option<Spanned<i64>>,
}

impl RawAttempts<'_> {
    fn read(&self, place: Place, report: &mut FileReport<'_>, locations: &mut Locations) -> AttemptPolicy {
        for (field, value) in [
            ("wait", self.wait_days),
            ("wait", self.wait_hours),
            ("max_attempts", self.max_attempts),
            ("attempts_period_days", self.attempts_period_days),
        ] {
            if let Some(value) = value {
                report.locate(locations, place, field, value);
            }
        }
        if let (Some(_), Some(hours)) = (self.wait_days, self.wait_hours) {
            report.at_span(hours, "give the wait in days or in hours, not both");
        }
        AttemptPolicy {
            wait_hours: self
                .wait_hours
                .as_ref()
                .map(whole)
                .or_else(|| self.wait_days.as_ref().map(|d| whole(d).saturating_mul(24))),
            max_attempts: self.max_attempts.as_ref().map(whole),
            period_days: self.attempts_period_days.as_ref().map(whole),
        }
    }
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
        self.problems.push(Problem::at(self.file.clone(), line, message));
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
            warning: problem.warning,
        }
    }
}

/// A review policy's name, or a problem (and the default) for an unknown one.
fn review_policy(value: &Spanned<String>, report: &mut FileReport<'_>) -> ReviewPolicy {
    ReviewPolicy::parse(value.get_ref()).unwrap_or_else(|| {
        report.at_span(
            value,
            format!(
                "review must be \"after_pass\" or \"always\", not \"{}\"",
                value.get_ref()
            ),
        );
        ReviewPolicy::default()
    })
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
            loaded.problems.push(Problem::at(
                dir.to_owned(),
                0,
                format!("cannot read the directory: {error}"),
            ));
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
        if let (Some((course, prompts)), false) = (course, loaded.problems[before..].iter().any(|p| !p.warning)) {
            loaded.reflections.extend(prompts);
            let guide = printables::load_guide(&folder, &course.slug, &mut loaded.problems);
            loaded.printables.extend(guide);
            loaded.courses.push(course);
        }
    }
    loaded
        .printables
        .extend(printables::load_toolkit(dir, &mut loaded.problems));
    let programs_path = dir.join("programs.toml");
    if programs_path.exists() {
        loaded.programs = load_programs(&programs_path, &folder_slugs, &loaded.courses, &mut loaded.problems);
    }
    let (warnings, problems) = std::mem::take(&mut loaded.problems)
        .into_iter()
        .partition(|p| p.warning);
    loaded.warnings = warnings;
    loaded.problems = problems;
    loaded
}

fn read(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(error) => {
            problems.push(Problem::at(
                path.to_owned(),
                0,
                format!("cannot read the file: {error}"),
            ));
            None
        }
    }
}

/// Reads one course folder and its reflection prompts. Returns `None`
/// where nothing usable was read; the caller also discards the course when
/// any problem was recorded.
fn load_course(folder: &Path, problems: &mut Vec<Problem>) -> Option<(CourseContent, Option<ReflectionsFile>)> {
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
        if let Some(review) = &raw.review {
            report.locate(&mut locations, Place::Course, "review", review);
        }
    }
    let review = raw
        .as_ref()
        .and_then(|r| r.review.as_ref())
        .map(|r| review_policy(r, &mut report))
        .unwrap_or_default();
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
            review,
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
            review: ReviewPolicy::default(),
            modules,
        },
    };
    let rule_problems = course_rules::check(&course)
        .into_iter()
        // A module file that failed to load has said so already.
        .filter(|p| !(module_files_failed && p.place == Place::Course && p.field == "modules"));
    problems.extend(rule_problems.map(|p| locations.problem(p)));
    raw.as_ref()?;
    let reflections = reflections::load_reflections(folder, &course, problems);
    let estimates = estimates::check(&course, reflections.as_ref());
    problems.extend(estimates.into_iter().map(|p| locations.problem(p)));
    Some((course, reflections))
}

/// Splits `NN-name.md` / `NN-name.quiz.toml` into their order and slug.
mod estimates;
mod modules;
mod printables;
mod program_practice;
mod program_training;
mod programs;
mod reflections;
mod roleplays;
mod writer;

use modules::load_modules;
pub use printables::{Audience, PrintableFile};
pub use program_practice::{AttestationFile, RenewalFile};
pub use program_training::{HourCategoryFile, TrainingFile};
use programs::load_programs;
pub use programs::{ExamFile, ProgramFile};
pub use reflections::ReflectionsFile;
pub use roleplays::RoleplayFile;

pub use writer::{quiz_toml, write_course};

#[cfg(test)]
mod tests;
