//! Reading `programs.toml`: the certificate programs and what each requires.

use super::program_practice::{self, RawAttestation, RawRenewal, RawSupervised, RenewalFile};
use super::program_training::{self, RawTraining, TrainingFile};
use super::*;

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
    supervised_practice: Option<RawSupervised>,
    renewal: Option<RawRenewal>,
    training: Option<RawTraining>,
    #[serde(default)]
    attestation: Vec<RawAttestation>,
    #[serde(default)]
    roleplays: Vec<Spanned<String>>,
    exam: Option<Spanned<RawExam>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    pass_mark: Option<Spanned<i64>>,
    /// Questions per sitting from each course's quizzes, by course slug.
    draw: BTreeMap<String, Spanned<i64>>,
    review: Option<Spanned<String>>,
    wait_days: Option<Spanned<i64>>,
    wait_hours: Option<Spanned<i64>>,
    max_attempts: Option<Spanned<i64>>,
    attempts_period_days: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractical {
    id: Spanned<String>,
    title: Spanned<String>,
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
    /// Hours of supervised practice a supervisor must confirm (0: none).
    pub supervised_hours: u32,
    pub attestations: Vec<AttestationFile>,
    /// Observed role plays, each scored by a trainer against its checklist.
    pub roleplays: Vec<RoleplayFile>,
    /// Training hours by category, if the program counts them.
    pub training: Option<TrainingFile>,
    pub renewal: RenewalFile,
    /// The final exam, passed after every course and before the certificate.
    pub exam: Option<ExamFile>,
}

/// A program's final exam: questions drawn from its courses' quizzes.
#[derive(Clone, Debug, PartialEq)]
pub struct ExamFile {
    pub pass_mark: u32,
    /// How many questions each sitting draws from each course, by slug.
    pub draw: Vec<(String, u32)>,
    pub review: ReviewPolicy,
    pub attempts: AttemptPolicy,
}

/// The fewest questions a program's exam may draw: fewer cannot cover a
/// program fairly, nor tell knowing from guessing.
pub const EXAM_MINIMUM_DRAW: u32 = 40;

pub(super) fn load_programs(
    path: &Path,
    course_slugs: &HashSet<String>,
    courses: &[CourseContent],
    problems: &mut Vec<Problem>,
) -> Vec<ProgramFile> {
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
        let supervised_hours = program_practice::supervised_hours(program.supervised_practice.as_ref(), &mut report);
        let attestations = program_practice::attestations(&program.attestation, &mut report);
        let ce_hours = program.renewal.as_ref().and_then(|r| r.ce_hours.as_ref());
        let training = program_training::training(
            program.training.as_ref(),
            &program.courses,
            courses,
            ce_hours.is_some(),
            &mut report,
        );
        let ce_minutes = program_training::ce_minutes(ce_hours, training.as_ref(), &mut report);
        let renewal = program_practice::renewal(program.renewal.as_ref(), ce_minutes, &mut report);
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut roleplays = Vec::with_capacity(program.roleplays.len());
        for key in &program.roleplays {
            if roleplays.iter().any(|r: &RoleplayFile| &r.key == key.get_ref()) {
                report.at_span(key, format!("role play \"{}\" is listed twice", key.get_ref()));
            } else if let Some(roleplay) = roleplays::load_roleplay(dir, key, &mut report) {
                roleplays.push(roleplay);
            }
        }
        let exam = program
            .exam
            .as_ref()
            .map(|exam| read_exam(exam, &program, courses, &mut report));
        if !report.problems[before..].iter().any(|p| !p.warning) {
            programs.push(ProgramFile {
                slug,
                title,
                courses: program.courses.into_iter().map(Spanned::into_inner).collect(),
                valid_for_months,
                practicals,
                supervised_hours,
                attestations,
                training,
                renewal,
                roleplays,
                exam,
            });
        }
    }
    programs
}

fn read_exam(
    spanned: &Spanned<RawExam>,
    program: &RawProgram,
    courses: &[CourseContent],
    report: &mut FileReport<'_>,
) -> ExamFile {
    let exam = spanned.get_ref();
    let mut locations = Locations::default();
    let attempts = RawAttempts {
        wait_days: &exam.wait_days,
        wait_hours: &exam.wait_hours,
        max_attempts: &exam.max_attempts,
        attempts_period_days: &exam.attempts_period_days,
    }
    .read(Place::Course, report, &mut locations);
    for (field, message) in course_rules::attempt_policy_problems(&attempts) {
        let line = locations
            .fields
            .get(&(Place::Course, field))
            .map_or(0, |(_, line)| *line);
        report
            .problems
            .push(Problem::at(report.file.clone(), line, format!("exam: {message}")));
    }
    let pass_mark = exam.pass_mark.as_ref().map_or(80, whole);
    if let Some(value) = exam.pass_mark.as_ref().filter(|_| !(1..=100).contains(&pass_mark)) {
        report.at_span(value, "exam pass_mark must be a whole percent from 1 to 100");
    }
    let mut draw = Vec::new();
    for (course, count) in &exam.draw {
        if !program.courses.iter().any(|c| c.get_ref() == course) {
            report.at_span(
                count,
                format!("the exam draws from \"{course}\", which is not one of the program's courses"),
            );
            continue;
        }
        let pool = courses.iter().find(|c| &c.slug == course).map(|c| {
            c.modules
                .iter()
                .filter_map(|m| m.quiz.as_ref())
                .map(|q| q.questions.len())
                .sum::<usize>()
        });
        let wanted = whole(count);
        match pool {
            Some(pool) if wanted == 0 || wanted as usize > pool => {
                report.at_span(
                    count,
                    format!("the exam draws {wanted} from \"{course}\", whose quizzes hold {pool} questions"),
                );
            }
            Some(pool) if pool < 2 * wanted as usize => {
                let line = report.line_of(count.span().start);
                report.problems.push(Problem {
                    warning: true,
                    ..Problem::at(report.file.clone(), line, format!(
                        "the exam draws {wanted} of the {pool} questions of \"{course}\": with fewer than twice the draw, a retake shows mostly the same questions"
                    ))
                });
            }
            _ => {}
        }
        draw.push((course.clone(), wanted));
    }
    let total: u32 = draw.iter().map(|(_, n)| n).sum();
    if total < EXAM_MINIMUM_DRAW {
        report.at_span(
            spanned,
            format!("an exam draws at least {EXAM_MINIMUM_DRAW} questions; this one draws {total}"),
        );
    }
    let review = exam
        .review
        .as_ref()
        .map(|r| review_policy(r, report))
        .unwrap_or_default();
    ExamFile {
        pass_mark,
        draw,
        review,
        attempts,
    }
}
