//! Reading `programs.toml`: the certificate programs and what each requires.

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractical {
    id: Spanned<String>,
    title: Spanned<String>,
}

pub(super) fn load_programs(
    path: &Path,
    course_slugs: &HashSet<String>,
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
