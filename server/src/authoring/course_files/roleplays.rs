//! Observed role plays a program asks for: `roleplays/<id>.toml` beside
//! `programs.toml`, each a script to practice with and the checklist a
//! trainer scores while watching it.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoleplay {
    title: Spanned<String>,
    minutes: Spanned<i64>,
    script: Spanned<String>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    text: Spanned<String>,
}

/// A role play and its observer's checklist.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RoleplayFile {
    pub key: String,
    pub title: String,
    pub minutes: u32,
    /// Markdown: the situation and each part's brief.
    pub script: String,
    /// The checklist: (id, what the observer looks for).
    pub items: Vec<(String, String)>,
}

/// Reads `roleplays/<key>.toml` in `dir` for the program entry `key`
/// (whose problems are reported at `report`'s line for it).
pub(super) fn load_roleplay(dir: &Path, key: &Spanned<String>, report: &mut FileReport<'_>) -> Option<RoleplayFile> {
    let name = key.get_ref();
    if !course_rules::is_slug(name) {
        report.at_span(key, "a role play's id must be lowercase letters, digits and dashes");
        return None;
    }
    let path = dir.join("roleplays").join(format!("{name}.toml"));
    if !path.exists() {
        report.at_span(key, format!("no role play file {}", path.display()));
        return None;
    }
    let text = read(&path, report.problems)?;
    let mut file = FileReport {
        file: path.clone(),
        text: &text,
        first_line: 1,
        problems: &mut *report.problems,
    };
    let raw = file.parse::<RawRoleplay>()?;
    let before = file.problems.len();
    let title = file.text_field(&raw.title, "title");
    let script = file.text_field(&raw.script, "script");
    let minutes = match u32::try_from(*raw.minutes.get_ref()) {
        Ok(m) if (1..=600).contains(&m) => m,
        _ => {
            file.at_span(&raw.minutes, "minutes must be a whole number from 1 to 600");
            0
        }
    };
    if raw.item.is_empty() {
        file.at_span(&raw.title, "a role play lists at least one [[item]] for its observer");
    }
    let mut ids = HashSet::new();
    let mut items = Vec::with_capacity(raw.item.len());
    for item in &raw.item {
        let id = item.id.get_ref().clone();
        if !course_rules::is_slug(&id) {
            file.at_span(&item.id, "an item's id must be lowercase letters, digits and dashes");
        } else if !ids.insert(id.clone()) {
            file.at_span(&item.id, format!("item \"{id}\" is listed twice"));
        }
        items.push((id, file.text_field(&item.text, "item text")));
    }
    (!file.problems[before..].iter().any(|p| !p.warning)).then(|| RoleplayFile {
        key: name.clone(),
        title,
        minutes,
        script,
        items,
    })
}
