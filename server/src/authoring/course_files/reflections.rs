//! A course's reflection prompts: `reflections.toml` in its folder, each
//! prompt tied to a module. Learners answer them privately.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReflections {
    #[serde(default)]
    prompt: Vec<RawPrompt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrompt {
    id: Spanned<String>,
    /// The module's file name without `.md`: `01-what-peer-support-is`.
    module: Spanned<String>,
    text: Spanned<String>,
}

/// A course's prompts, in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct ReflectionsFile {
    pub course_slug: String,
    /// (id, module slug, text)
    pub prompts: Vec<(String, String, String)>,
}

/// A prompt is a question or two: longer is a page, not a prompt.
const MAX_PROMPT_CHARS: usize = 400;

/// Reads `reflections.toml` in the folder of `course`, if there is one.
pub(super) fn load_reflections(
    folder: &Path,
    course: &CourseContent,
    problems: &mut Vec<Problem>,
) -> Option<ReflectionsFile> {
    let path = folder.join("reflections.toml");
    if !path.exists() {
        return None;
    }
    let text = read(&path, problems)?;
    let mut report = FileReport {
        file: path.clone(),
        text: &text,
        first_line: 1,
        problems,
    };
    let raw = report.parse::<RawReflections>()?;
    let mut prompts: Vec<(String, String, String)> = Vec::with_capacity(raw.prompt.len());
    for prompt in raw.prompt {
        let key = prompt.id.get_ref().clone();
        if !course_rules::is_slug(&key) {
            report.at_span(&prompt.id, "a prompt's id must be lowercase letters, digits and dashes");
        } else if prompts.iter().any(|(k, _, _)| *k == key) {
            report.at_span(&prompt.id, format!("prompt \"{key}\" is listed twice"));
        }
        let module = prompt
            .module
            .get_ref()
            .split_once('-')
            .map(|(_, slug)| slug.to_owned())
            .filter(|slug| course.modules.iter().any(|m| &m.slug == slug));
        let Some(module) = module else {
            report.at_span(
                &prompt.module,
                format!(
                    "\"{}\" is not a module of this course (write its file name without .md)",
                    prompt.module.get_ref()
                ),
            );
            continue;
        };
        let text = report.text_field(&prompt.text, "prompt text");
        if text.chars().count() > MAX_PROMPT_CHARS {
            report.at_span(
                &prompt.text,
                format!("a prompt is at most {MAX_PROMPT_CHARS} characters"),
            );
        }
        prompts.push((key, module, text));
    }
    Some(ReflectionsFile {
        course_slug: course.slug.clone(),
        prompts,
    })
}
