//! Authoring courses. Every function here is for a course's editors: the
//! store refuses everyone else, whatever the page showed them.
//!
//! Form numbers arrive as text: a blank or garbled one is kept as 0 in the
//! draft, where the course rules point at it, rather than losing the rest
//! of what the trainer typed.

#[cfg(feature = "ssr")]
use crate::course_content::{AttemptPolicy, OptionContent, QuestionContent, QuestionGroup, ReviewPolicy};
use crate::dto::{CourseWorkspace, EditReport, TeachOverview, VersionDiff};
#[cfg(feature = "ssr")]
use crate::dto::{DraftEdit, QuestionKind};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
async fn edit(course: &str, edit: DraftEdit) -> Result<EditReport, AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    ports()?.teaching.edit_draft(viewer.user_id, course, edit).await
}

#[cfg(feature = "ssr")]
fn number(text: &str) -> u32 {
    text.trim().trim_end_matches('%').trim().parse().unwrap_or(0)
}

#[cfg(feature = "ssr")]
fn optional_number(text: &str) -> Option<u32> {
    (!text.trim().is_empty()).then(|| number(text))
}

#[server(endpoint = "teach_overview")]
pub async fn load_teach_overview() -> Result<TeachOverview, AppError> {
    use super::request::*;
    ports()?.teaching.teach_overview(require_viewer()?.user_id).await
}

#[server(endpoint = "create_course")]
pub async fn create_course(slug: String, title: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .teaching
        .create_course(require_viewer()?.user_id, &slug, &title)
        .await?;
    redirect_to(&format!("/teach/{}", slug.trim()));
    Ok(())
}

#[server(endpoint = "course_workspace")]
pub async fn load_course_workspace(course: String) -> Result<CourseWorkspace, AppError> {
    use super::request::*;
    ports()?
        .teaching
        .course_workspace(require_viewer()?.user_id, &course)
        .await
}

/// Outcomes come one per line.
#[server(endpoint = "save_course_details")]
pub async fn save_course_details(
    course: String,
    title: String,
    summary: String,
    outcomes: String,
    pass_mark: String,
    #[server(default)] review: String,
) -> Result<EditReport, AppError> {
    let outcomes = outcomes.lines().map(str::to_owned).collect();
    edit(
        &course,
        DraftEdit::Details {
            title,
            summary,
            outcomes,
            pass_mark: number(&pass_mark),
            review: ReviewPolicy::parse(&review).unwrap_or_default(),
        },
    )
    .await
}

/// A quiz's settings form, read as one argument so its fields arrive
/// together (`settings[draw]`, `settings[groups]`, …). `groups` is one
/// group per line: its name, then how many questions a sitting draws from
/// it ("listening 2"). Empty fields mean "not set".
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct QuizSettingsForm {
    pub draw: String,
    pub groups: String,
    pub review: String,
    pub wait_hours: String,
    pub max_attempts: String,
    pub attempts_period_days: String,
}

#[server(endpoint = "save_quiz_settings")]
pub async fn save_quiz_settings(
    course: String,
    module: String,
    settings: QuizSettingsForm,
) -> Result<EditReport, AppError> {
    let groups = settings
        .groups
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let id = words.next().unwrap_or_default().to_owned();
            let draw = words
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|_| words.next().is_none());
            draw.map(|draw| QuestionGroup { id, draw }).ok_or_else(|| {
                AppError::invalid(format!(
                    "Please write each group as its name and a number, like \"listening 2\" (not \"{}\").",
                    line.trim()
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let edit_made = DraftEdit::SaveQuizSettings {
        module,
        draw: optional_number(&settings.draw),
        groups,
        review: ReviewPolicy::parse(&settings.review),
        attempts: AttemptPolicy {
            wait_hours: optional_number(&settings.wait_hours),
            max_attempts: optional_number(&settings.max_attempts),
            period_days: optional_number(&settings.attempts_period_days),
        },
    };
    edit(&course, edit_made).await
}

#[server(endpoint = "add_module")]
pub async fn add_module(course: String, slug: String, title: String) -> Result<(), AppError> {
    use super::request::*;
    let slug = slug.trim().to_owned();
    edit(
        &course,
        DraftEdit::AddModule {
            slug: slug.clone(),
            title,
        },
    )
    .await?;
    redirect_to(&format!("/teach/{course}/modules/{slug}"));
    Ok(())
}

#[server(endpoint = "move_module")]
pub async fn move_module(course: String, module: String, direction: String) -> Result<EditReport, AppError> {
    edit(
        &course,
        DraftEdit::MoveModule {
            module,
            up: direction == "up",
        },
    )
    .await
}

#[server(endpoint = "remove_module")]
pub async fn remove_module(course: String, module: String) -> Result<(), AppError> {
    use super::request::*;
    edit(&course, DraftEdit::RemoveModule { module }).await?;
    redirect_to(&format!("/teach/{course}"));
    Ok(())
}

#[server(endpoint = "save_module")]
pub async fn save_module(
    course: String,
    module: String,
    title: String,
    minutes: String,
    #[server(default)] content_note: String,
    body: String,
    #[server(default)] quiz_pass_mark: String,
) -> Result<EditReport, AppError> {
    let edit_module = DraftEdit::SaveModule {
        module,
        title,
        minutes: number(&minutes),
        content_note: Some(content_note),
        body_markdown: body,
        quiz_pass_mark: optional_number(&quiz_pass_mark),
    };
    edit(&course, edit_module).await
}

/// The module preview while typing, rendered exactly as learners will see it.
#[server(endpoint = "preview_markdown")]
pub async fn preview_markdown(markdown: String) -> Result<String, AppError> {
    use super::request::*;
    ports()?
        .teaching
        .preview_markdown(require_viewer()?.user_id, &markdown)
        .await
}

#[cfg(feature = "ssr")]
fn kind(name: &str) -> Result<QuestionKind, AppError> {
    QuestionKind::parse(name).ok_or(AppError::BadRequest)
}

#[server(endpoint = "add_question")]
pub async fn add_question(course: String, module: String, kind: String) -> Result<EditReport, AppError> {
    edit(
        &course,
        DraftEdit::AddQuestion {
            module,
            kind: self::kind(&kind)?,
        },
    )
    .await
}

/// One option row of the question form; an unticked box sends nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub correct: Option<String>,
    #[serde(default)]
    pub why: String,
}

/// The question's own text fields, posted beside its options.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionFields {
    pub id: String,
    pub kind: String,
    #[serde(default)]
    pub scenario: String,
    #[serde(default)]
    pub prompt: String,
    /// The quiz group it is drawn from; blank for none.
    #[serde(default)]
    pub group: String,
}

#[server(endpoint = "save_question")]
pub async fn save_question(
    course: String,
    module: String,
    index: usize,
    #[server(flatten)] question: QuestionFields,
    #[server(default)] options: Vec<OptionForm>,
) -> Result<EditReport, AppError> {
    let question = QuestionContent {
        id: question.id,
        kind: kind(&question.kind)?,
        scenario: Some(question.scenario),
        prompt: question.prompt,
        group: Some(question.group.trim().to_owned()).filter(|g| !g.is_empty()),
        options: options
            .into_iter()
            .map(|o| OptionContent {
                text: o.text,
                correct: o.correct.is_some(),
                why: o.why,
            })
            .collect(),
    };
    edit(
        &course,
        DraftEdit::SaveQuestion {
            module,
            index,
            question,
        },
    )
    .await
}

#[server(endpoint = "move_question")]
pub async fn move_question(
    course: String,
    module: String,
    index: usize,
    direction: String,
) -> Result<EditReport, AppError> {
    edit(
        &course,
        DraftEdit::MoveQuestion {
            module,
            index,
            up: direction == "up",
        },
    )
    .await
}

#[server(endpoint = "delete_question")]
pub async fn delete_question(course: String, module: String, index: usize) -> Result<EditReport, AppError> {
    edit(&course, DraftEdit::DeleteQuestion { module, index }).await
}

/// Imports GIFT questions, then shows the module again with the report in
/// its address (`?imported=`), so that what was left out is read with
/// JavaScript off too.
#[server(endpoint = "import_gift")]
pub async fn import_gift(course: String, module: String, gift: String) -> Result<EditReport, AppError> {
    use super::request::*;
    let report = edit(
        &course,
        DraftEdit::ImportGift {
            module: module.clone(),
            gift,
        },
    )
    .await?;
    let query = serde_urlencoded::to_string([("imported", report.notes.join("\n"))]).map_err(|_| AppError::Internal)?;
    redirect_to(&format!("/teach/{course}/modules/{module}?{query}#gift"));
    Ok(report)
}

#[server(endpoint = "publish_course")]
pub async fn publish_course(course: String, version: String, change_summary: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .teaching
        .publish_course(require_viewer()?.user_id, &course, &version, &change_summary)
        .await?;
    redirect_to(&format!("/teach/{course}"));
    Ok(())
}

#[server(endpoint = "discard_draft")]
pub async fn discard_draft(course: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .teaching
        .discard_draft(require_viewer()?.user_id, &course)
        .await?;
    redirect_to(&format!("/teach/{course}"));
    Ok(())
}

/// Asks for the course's short name again, so that a stray click deletes nothing.
#[server(endpoint = "delete_course")]
pub async fn delete_course(course: String, #[server(default)] confirm: String) -> Result<(), AppError> {
    use super::request::*;
    let viewer = require_viewer()?;
    if confirm.trim() != course {
        return Err(AppError::invalid(format!(
            "To delete the course, type its short name, {course}, in the box."
        )));
    }
    ports()?.teaching.delete_course(viewer.user_id, &course).await?;
    redirect_to("/teach");
    Ok(())
}

#[server(endpoint = "compare_versions")]
pub async fn compare_versions(
    course: String,
    from: crate::dto::CourseVersionId,
    to: crate::dto::CourseVersionId,
) -> Result<VersionDiff, AppError> {
    use super::request::*;
    ports()?
        .teaching
        .compare_versions(require_viewer()?.user_id, &course, from, to)
        .await
}

#[server(endpoint = "add_course_editor")]
pub async fn add_course_editor(course: String, email: String) -> Result<(), AppError> {
    use super::request::*;
    ports()?
        .teaching
        .add_course_editor(require_viewer()?.user_id, &course, &email)
        .await
}

/// Uploads a course export (`.tar.gz`) and opens the imported course.
#[server(endpoint = "import_course", input = server_fn::codec::MultipartFormData)]
pub async fn import_course(data: server_fn::codec::MultipartData) -> Result<(), AppError> {
    use super::request::*;
    /// Larger than any course export: the biggest shipped course packs to a few dozen KiB.
    const MAX_UPLOAD: usize = 10 * 1024 * 1024;
    let viewer = require_viewer()?;
    let too_large = "That file is larger than 10 MiB, which is far more than a course export. Please check you chose the right file.";
    let archive = read_upload(data, &["archive"], MAX_UPLOAD, too_large)
        .await?
        .ok_or_else(|| AppError::invalid("Please choose a course export file (.tar.gz) to import."))?;
    let slug = ports()?.teaching.import_course_archive(viewer.user_id, archive).await?;
    redirect_to(&format!("/teach/{slug}"));
    Ok(())
}
