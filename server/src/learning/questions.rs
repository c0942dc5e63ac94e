//! A module's questions with their options, as stored.

use crate::db::DbConnection;
use crate::db::schema::{question_options, questions};
use crate::error::ServerResult;
use diesel::prelude::*;
use holdspace_app::dto::{ModuleId, QuestionId, QuestionKind};
use std::collections::HashMap;

/// A question with its options in file order. Holds the answer key: it
/// never leaves the server as it is.
#[derive(Clone, Debug)]
pub struct Question {
    pub id: QuestionId,
    pub module_id: ModuleId,
    pub key: String,
    pub kind: QuestionKind,
    pub scenario: Option<String>,
    pub prompt: String,
    /// The quiz group it is drawn from, if the quiz draws by group.
    pub group: Option<String>,
    pub options: Vec<AnswerOption>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = questions, check_for_backend(crate::db::MultiBackend))]
struct QuestionRow {
    id: QuestionId,
    module_id: ModuleId,
    question_key: String,
    kind: QuestionKind,
    scenario: Option<String>,
    prompt: String,
    pool_group: Option<String>,
}

/// An option of a question, with whether it is right and why.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = question_options, check_for_backend(crate::db::MultiBackend))]
pub struct AnswerOption {
    pub question_id: QuestionId,
    pub text: String,
    pub correct: bool,
    pub why: String,
}

/// The questions of a module, in order, each with its options in file order.
pub fn module_questions(conn: &mut DbConnection, module: ModuleId) -> ServerResult<Vec<Question>> {
    let rows: Vec<QuestionRow> = questions::table
        .filter(questions::module_id.eq(module))
        .order(questions::position)
        .select(QuestionRow::as_select())
        .load(conn)?;
    with_options(conn, rows)
}

/// These questions (of any modules), in the order of `ids`; an id that does
/// not exist is left out.
pub fn questions_by_id(conn: &mut DbConnection, ids: &[QuestionId]) -> ServerResult<Vec<Question>> {
    let rows: Vec<QuestionRow> = questions::table
        .filter(questions::id.eq_any(ids))
        .select(QuestionRow::as_select())
        .load(conn)?;
    let mut questions: HashMap<QuestionId, Question> =
        with_options(conn, rows)?.into_iter().map(|q| (q.id, q)).collect();
    Ok(ids.iter().filter_map(|id| questions.remove(id)).collect())
}

fn with_options(conn: &mut DbConnection, rows: Vec<QuestionRow>) -> ServerResult<Vec<Question>> {
    let ids: Vec<QuestionId> = rows.iter().map(|r| r.id).collect();
    let option_rows: Vec<AnswerOption> = question_options::table
        .filter(question_options::question_id.eq_any(&ids))
        .order((question_options::question_id, question_options::position))
        .select(AnswerOption::as_select())
        .load(conn)?;
    let mut options: HashMap<QuestionId, Vec<AnswerOption>> = HashMap::new();
    for option in option_rows {
        options.entry(option.question_id).or_default().push(option);
    }
    Ok(rows
        .into_iter()
        .map(|row| Question {
            options: options.remove(&row.id).unwrap_or_default(),
            id: row.id,
            module_id: row.module_id,
            key: row.question_key,
            kind: row.kind,
            scenario: row.scenario,
            prompt: row.prompt,
            group: row.pool_group,
        })
        .collect())
}
