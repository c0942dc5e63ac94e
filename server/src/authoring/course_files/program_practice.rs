//! The practice a program may ask in `programs.toml` besides courses and
//! the exam: hours of supervised practice, and texts the learner signs.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSupervised {
    hours: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRenewal {
    window_days: Option<Spanned<i64>>,
    grace_days: Option<Spanned<i64>>,
    pub(super) ce_hours: Option<Spanned<f64>>,
    reexam_after_days: Option<Spanned<i64>>,
}

/// How a program's certificates are renewed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RenewalFile {
    /// Days before a certificate ends when its renewal opens (0: at the end).
    pub window_days: u32,
    /// Days after it ends when a renewal still starts the day it ended.
    pub grace_days: u32,
    /// Continuing-education minutes a renewal asks (0: renewing means
    /// completing the program again).
    pub ce_minutes: u32,
    /// Days after a lapse when the exam is needed again.
    pub reexam_after_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAttestation {
    id: Spanned<String>,
    title: Spanned<String>,
    version: Spanned<i64>,
    text: Spanned<String>,
}

/// A text a program asks its learners to sign.
#[derive(Clone, Debug, PartialEq)]
pub struct AttestationFile {
    pub key: String,
    pub title: String,
    /// Raise it when the text changes in substance: learners sign again.
    pub version: u32,
    /// Plain text; a blank line starts a paragraph.
    pub text: String,
}

/// More supervised hours than a year of weekly sessions is a typing slip.
const MAX_SUPERVISED_HOURS: i64 = 500;

pub(super) fn supervised_hours(raw: Option<&RawSupervised>, report: &mut FileReport<'_>) -> u32 {
    let Some(raw) = raw else { return 0 };
    match u32::try_from(*raw.hours.get_ref()) {
        Ok(hours) if (1..=MAX_SUPERVISED_HOURS).contains(&i64::from(hours)) => hours,
        _ => {
            report.at_span(
                &raw.hours,
                format!("supervised_practice.hours must be a whole number from 1 to {MAX_SUPERVISED_HOURS}"),
            );
            0
        }
    }
}

pub(super) fn attestations(raw: &[RawAttestation], report: &mut FileReport<'_>) -> Vec<AttestationFile> {
    let mut keys = HashSet::new();
    let mut read = Vec::with_capacity(raw.len());
    for attestation in raw {
        let key = attestation.id.get_ref().clone();
        if !course_rules::is_slug(&key) {
            report.at_span(
                &attestation.id,
                "an attestation's id must be lowercase letters, digits and dashes",
            );
        } else if !keys.insert(key.clone()) {
            report.at_span(&attestation.id, format!("attestation \"{key}\" is listed twice"));
        }
        let version = match u32::try_from(*attestation.version.get_ref()) {
            Ok(version) if version >= 1 => version,
            _ => {
                report.at_span(
                    &attestation.version,
                    "an attestation's version is a whole number from 1",
                );
                1
            }
        };
        read.push(AttestationFile {
            key,
            title: report.text_field(&attestation.title, "attestation title"),
            version,
            text: report.text_field(&attestation.text, "attestation text"),
        });
    }
    read
}

/// A window or grace longer than a year is a typing slip; so is a re-exam
/// rule longer than ten years.
const MAX_RENEWAL_DAYS: i64 = 365;
const MAX_REEXAM_DAYS: i64 = 3650;

/// `[program.renewal]`; everything 0 without it.
pub(super) fn renewal(raw: Option<&RawRenewal>, ce_minutes: u32, report: &mut FileReport<'_>) -> RenewalFile {
    let Some(raw) = raw else { return RenewalFile::default() };
    let mut days = |value: &Spanned<i64>, name: &str, most: i64| -> u32 {
        match u32::try_from(*value.get_ref()) {
            Ok(days) if i64::from(days) <= most => days,
            _ => {
                report.at_span(
                    value,
                    format!("renewal.{name} must be a whole number of days from 0 to {most}"),
                );
                0
            }
        }
    };
    RenewalFile {
        window_days: raw
            .window_days
            .as_ref()
            .map_or(0, |v| days(v, "window_days", MAX_RENEWAL_DAYS)),
        grace_days: raw
            .grace_days
            .as_ref()
            .map_or(0, |v| days(v, "grace_days", MAX_RENEWAL_DAYS)),
        ce_minutes,
        reexam_after_days: raw
            .reexam_after_days
            .as_ref()
            .map(|v| days(v, "reexam_after_days", MAX_REEXAM_DAYS)),
    }
}
