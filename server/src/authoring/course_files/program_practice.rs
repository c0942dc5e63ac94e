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

/// A window or grace longer than a year is a typing slip.
const MAX_RENEWAL_DAYS: i64 = 365;

/// `[program.renewal]`: (window_days, grace_days), both 0 without it.
pub(super) fn renewal(raw: Option<&RawRenewal>, report: &mut FileReport<'_>) -> (u32, u32) {
    let Some(raw) = raw else { return (0, 0) };
    let mut days = |value: &Option<Spanned<i64>>, name: &str| -> u32 {
        let Some(value) = value else { return 0 };
        match u32::try_from(*value.get_ref()) {
            Ok(days) if i64::from(days) <= MAX_RENEWAL_DAYS => days,
            _ => {
                report.at_span(
                    value,
                    format!("renewal.{name} must be a whole number of days from 0 to {MAX_RENEWAL_DAYS}"),
                );
                0
            }
        }
    };
    (
        days(&raw.window_days, "window_days"),
        days(&raw.grace_days, "grace_days"),
    )
}
