//! The hours a program may ask in `programs.toml`: training hours by
//! category (from its courses' estimates, live sessions and approved
//! external trainings) and continuing-education hours for renewal.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTraining {
    hours: Spanned<f64>,
    self_paced_cap: Option<Spanned<f64>>,
    #[serde(default)]
    category: Vec<RawCategory>,
    #[serde(default)]
    courses: BTreeMap<String, Spanned<RawCourseHours>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    min_hours: Option<Spanned<f64>>,
    #[serde(default)]
    ce_min_hours: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCourseHours {
    category: String,
    hours: f64,
}

/// What a program's training asks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainingFile {
    pub minutes: u32,
    /// At most this many minutes count from courses (self-paced reading).
    pub self_paced_cap_minutes: Option<u32>,
    pub categories: Vec<HourCategoryFile>,
    /// (course slug, category id, minutes) each course counts for.
    pub courses: Vec<(String, String, u32)>,
}

/// A category of hours and the least a first certificate and a renewal ask in it.
#[derive(Clone, Debug, PartialEq)]
pub struct HourCategoryFile {
    pub key: String,
    pub title: String,
    pub minimum_minutes: u32,
    pub ce_minimum_minutes: u32,
}

/// More than this is a typing slip.
const MAX_HOURS: f64 = 500.0;

/// Hours on the quarter hour, as minutes.
pub(super) fn quarter_hours(hours: f64) -> Option<u32> {
    let minutes = hours * 60.0;
    (hours.is_finite() && (0.0..=MAX_HOURS).contains(&hours) && minutes % 15.0 == 0.0).then_some(minutes as u32)
}

fn hours_field(value: &Spanned<f64>, name: &str, report: &mut FileReport<'_>) -> u32 {
    quarter_hours(*value.get_ref()).unwrap_or_else(|| {
        report.at_span(
            value,
            format!("{name} must be a number of hours from 0 to {MAX_HOURS}, on the quarter hour (like 6 or 1.5)"),
        );
        0
    })
}

pub(super) fn training(
    raw: Option<&RawTraining>,
    program_courses: &[Spanned<String>],
    course_contents: &[CourseContent],
    renews_by_ce: bool,
    report: &mut FileReport<'_>,
) -> Option<TrainingFile> {
    let raw = raw?;
    let minutes = hours_field(&raw.hours, "training.hours", report);
    if minutes == 0 {
        report.at_span(&raw.hours, "training.hours must be more than 0");
    }
    let self_paced_cap_minutes = raw.self_paced_cap.as_ref().map(|cap| {
        let capped = hours_field(cap, "training.self_paced_cap", report);
        if capped > minutes {
            report.at_span(cap, "training.self_paced_cap can't be more than training.hours");
        }
        capped
    });
    let mut categories: Vec<HourCategoryFile> = Vec::with_capacity(raw.category.len());
    for category in &raw.category {
        let key = category.id.get_ref().clone();
        if !course_rules::is_slug(&key) {
            report.at_span(
                &category.id,
                "a category's id must be lowercase letters, digits and dashes",
            );
        } else if categories.iter().any(|c| c.key == key) {
            report.at_span(&category.id, format!("category \"{key}\" is listed twice"));
        }
        let mut least = |value: &Option<Spanned<f64>>, name: &str| {
            value
                .as_ref()
                .map_or(0, |v| hours_field(v, &format!("category {name}"), report))
        };
        let minimum_minutes = least(&category.min_hours, "min_hours");
        let ce_minimum_minutes = least(&category.ce_min_hours, "ce_min_hours");
        if let Some(ce) = category.ce_min_hours.as_ref().filter(|_| !renews_by_ce) {
            report.at_span(ce, "ce_min_hours counts towards renewal.ce_hours, which isn't set");
        }
        categories.push(HourCategoryFile {
            key,
            title: report.text_field(&category.title, "category title"),
            minimum_minutes,
            ce_minimum_minutes,
        });
    }
    if categories.is_empty() {
        report.at_span(&raw.hours, "training lists at least one [[program.training.category]]");
    }
    if categories.iter().map(|c| c.minimum_minutes).sum::<u32>() > minutes {
        report.at_span(
            &raw.hours,
            "the categories' min_hours add up to more than training.hours",
        );
    }
    let mut courses = Vec::with_capacity(raw.courses.len());
    for (slug, spanned) in &raw.courses {
        let hours = spanned.get_ref();
        if !program_courses.iter().any(|c| c.get_ref() == slug) {
            report.at_span(
                spanned,
                format!("training counts hours for \"{slug}\", which is not one of the program's courses"),
            );
        } else if !categories.iter().any(|c| c.key == hours.category) {
            report.at_span(
                spanned,
                format!(
                    "\"{slug}\" counts towards category \"{}\", which training doesn't list",
                    hours.category
                ),
            );
        }
        match quarter_hours(hours.hours).filter(|m| *m > 0) {
            Some(counted) => {
                // On the quarter hour, rounded up: a course of 50 minutes may count for 1 hour.
                let estimated = course_contents
                    .iter()
                    .find(|c| &c.slug == slug)
                    .map(estimates::course_minutes);
                if let Some(estimated) = estimated.filter(|m| counted > m.div_ceil(15) * 15) {
                    report.at_span(
                        spanned,
                        format!(
                            "\"{slug}\" counts for {} hours, but its modules' minutes add up to {estimated}: \
                             a course counts for no more than its modules take",
                            hours.hours
                        ),
                    );
                }
                courses.push((slug.clone(), hours.category.clone(), counted));
            }
            None => report.at_span(
                spanned,
                format!("the hours of \"{slug}\" must be more than 0, on the quarter hour"),
            ),
        }
    }
    Some(TrainingFile {
        minutes,
        self_paced_cap_minutes,
        categories,
        courses,
    })
}

/// Continuing-education hours a renewal asks, checked against the
/// categories' CE minimums.
pub(super) fn ce_minutes(
    value: Option<&Spanned<f64>>,
    training: Option<&TrainingFile>,
    report: &mut FileReport<'_>,
) -> u32 {
    let Some(value) = value else { return 0 };
    let minutes = hours_field(value, "renewal.ce_hours", report);
    match training {
        None if minutes > 0 => report.at_span(
            value,
            "renewal.ce_hours needs [program.training] and its categories, which continuing education is counted in",
        ),
        Some(training) if training.categories.iter().map(|c| c.ce_minimum_minutes).sum::<u32>() > minutes => report
            .at_span(
                value,
                "the categories' ce_min_hours add up to more than renewal.ce_hours",
            ),
        _ => {}
    }
    minutes
}

#[cfg(test)]
mod tests {
    use super::quarter_hours;

    #[test]
    fn hours_are_on_the_quarter_hour() {
        assert_eq!(quarter_hours(6.0), Some(360));
        assert_eq!(quarter_hours(1.25), Some(75));
        assert_eq!(quarter_hours(0.0), Some(0));
        for wrong in [1.1, -1.0, 501.0, f64::NAN, f64::INFINITY] {
            assert_eq!(quarter_hours(wrong), None, "{wrong}");
        }
    }
}
