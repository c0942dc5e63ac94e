//! What changed between two versions of a course, at the level a trainer
//! reviews: course fields, then modules (matched by slug), then questions
//! (matched by id). Text is compared as a whole; the history says *that* a
//! module's body changed, and the trainer opens both versions to read how.

use holdspace_app::course_content::{CourseContent, ModuleContent, QuestionContent};
use holdspace_app::dto::{Change, ModuleDiff, QuestionDiff, VersionDiff};

/// The changes that turn `from` into `to`.
pub fn diff(from: &CourseContent, to: &CourseContent) -> VersionDiff {
    let mut course_fields = Vec::new();
    let mut field = |name: &str, changed: bool| {
        if changed {
            course_fields.push(name.to_owned());
        }
    };
    field("title", from.title != to.title);
    field("summary", from.summary != to.summary);
    field("outcomes", from.outcomes != to.outcomes);
    field("pass_mark", from.pass_mark != to.pass_mark);

    let mut modules = Vec::new();
    for (position, new) in to.modules.iter().enumerate() {
        match from.modules.iter().position(|m| m.slug == new.slug) {
            None => modules.push(ModuleDiff {
                slug: new.slug.clone(),
                title: new.title.clone(),
                change: Change::Added,
                fields: Vec::new(),
                questions: questions_of(new).map(|q| whole_question(q, Change::Added)).collect(),
            }),
            Some(old_position) => {
                let old = &from.modules[old_position];
                let mut fields = module_fields(old, new);
                if relative_position(&from.modules, old_position, &to.modules, position) {
                    fields.push("position".to_owned());
                }
                let questions = question_diffs(old, new);
                if !fields.is_empty() || !questions.is_empty() {
                    modules.push(ModuleDiff {
                        slug: new.slug.clone(),
                        title: new.title.clone(),
                        change: Change::Changed,
                        fields,
                        questions,
                    });
                }
            }
        }
    }
    for old in from
        .modules
        .iter()
        .filter(|old| !to.modules.iter().any(|m| m.slug == old.slug))
    {
        modules.push(ModuleDiff {
            slug: old.slug.clone(),
            title: old.title.clone(),
            change: Change::Removed,
            fields: Vec::new(),
            questions: questions_of(old).map(|q| whole_question(q, Change::Removed)).collect(),
        });
    }
    VersionDiff {
        from_label: from.version.clone(),
        to_label: to.version.clone(),
        course_fields,
        modules,
    }
}

/// Whether an item moved among the items both sides share: adding or
/// removing a neighbour is not a move.
fn relative_position<T: Keyed>(from: &[T], old: usize, to: &[T], new: usize) -> bool {
    let shared_before = |items: &[T], index: usize, others: &[T]| {
        items[..index]
            .iter()
            .filter(|item| others.iter().any(|o| o.key() == item.key()))
            .count()
    };
    shared_before(from, old, to) != shared_before(to, new, from)
}

trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for ModuleContent {
    fn key(&self) -> &str {
        &self.slug
    }
}

impl Keyed for QuestionContent {
    fn key(&self) -> &str {
        &self.id
    }
}

fn module_fields(old: &ModuleContent, new: &ModuleContent) -> Vec<String> {
    let mut fields = Vec::new();
    for (name, changed) in [
        ("title", old.title != new.title),
        ("minutes", old.minutes != new.minutes),
        ("content_note", old.content_note != new.content_note),
        ("body", old.body_markdown != new.body_markdown),
        (
            "quiz pass_mark",
            old.quiz.as_ref().and_then(|q| q.pass_mark) != new.quiz.as_ref().and_then(|q| q.pass_mark),
        ),
    ] {
        if changed {
            fields.push(name.to_owned());
        }
    }
    fields
}

fn questions_of(module: &ModuleContent) -> impl Iterator<Item = &QuestionContent> {
    module.quiz.iter().flat_map(|quiz| &quiz.questions)
}

fn whole_question(question: &QuestionContent, change: Change) -> QuestionDiff {
    QuestionDiff {
        id: question.id.clone(),
        prompt: question.prompt.clone(),
        change,
        fields: Vec::new(),
    }
}

fn question_diffs(old: &ModuleContent, new: &ModuleContent) -> Vec<QuestionDiff> {
    let old_questions: Vec<QuestionContent> = questions_of(old).cloned().collect();
    let new_questions: Vec<QuestionContent> = questions_of(new).cloned().collect();
    let mut diffs = Vec::new();
    for (position, question) in new_questions.iter().enumerate() {
        match old_questions.iter().position(|q| q.id == question.id) {
            None => diffs.push(whole_question(question, Change::Added)),
            Some(old_position) => {
                let before = &old_questions[old_position];
                let mut fields: Vec<String> = [
                    ("kind", before.kind != question.kind),
                    ("scenario", before.scenario != question.scenario),
                    ("prompt", before.prompt != question.prompt),
                    ("options", before.options != question.options),
                ]
                .into_iter()
                .filter(|(_, changed)| *changed)
                .map(|(name, _)| name.to_owned())
                .collect();
                if relative_position(&old_questions, old_position, &new_questions, position) {
                    fields.push("position".to_owned());
                }
                if !fields.is_empty() {
                    diffs.push(QuestionDiff {
                        id: question.id.clone(),
                        prompt: question.prompt.clone(),
                        change: Change::Changed,
                        fields,
                    });
                }
            }
        }
    }
    for question in old_questions
        .iter()
        .filter(|q| !new_questions.iter().any(|n| n.id == q.id))
    {
        diffs.push(whole_question(question, Change::Removed));
    }
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authoring::course_files::load_dir;
    use std::path::Path;

    fn shipped() -> CourseContent {
        let loaded = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses"));
        loaded.courses.into_iter().next().expect("the fixture course loads")
    }

    #[test]
    fn a_course_has_no_differences_from_itself() {
        let course = shipped();
        assert!(diff(&course, &course).is_empty());
    }

    #[test]
    fn module_and_question_changes_are_named() {
        let old = shipped();
        let mut new = old.clone();
        new.version = "2.0.0".into();
        new.title.push_str(" (revised)");
        new.modules[0].body_markdown.push_str("\n\nOne more paragraph.");
        let quiz = new
            .modules
            .iter_mut()
            .find_map(|m| m.quiz.as_mut())
            .expect("the fixture has a quiz");
        quiz.questions[0].prompt.push('?');
        let removed = quiz.questions.remove(1);
        let moved = new.modules.remove(0);
        new.modules.push(moved);
        let added = ModuleContent {
            slug: "extra".into(),
            title: "Extra".into(),
            minutes: 5,
            content_note: None,
            body_markdown: "Text".into(),
            quiz: None,
        };
        new.modules.push(added);

        let changes = diff(&old, &new);
        assert_eq!(
            (changes.from_label.as_str(), changes.to_label.as_str()),
            (old.version.as_str(), "2.0.0")
        );
        assert_eq!(changes.course_fields, vec!["title"]);
        let first = changes.modules.iter().find(|m| m.slug == old.modules[0].slug).unwrap();
        assert_eq!(first.change, Change::Changed);
        assert!(
            first.fields.contains(&"body".to_owned()) && first.fields.contains(&"position".to_owned()),
            "{first:?}"
        );
        let extra = changes.modules.iter().find(|m| m.slug == "extra").unwrap();
        assert_eq!(extra.change, Change::Added);
        let questions: Vec<(&str, Change, &[String])> = changes
            .modules
            .iter()
            .flat_map(|m| &m.questions)
            .map(|q| (q.id.as_str(), q.change, q.fields.as_slice()))
            .collect();
        assert!(
            questions.contains(&(removed.id.as_str(), Change::Removed, &[][..])),
            "{questions:?}"
        );
        assert!(
            questions
                .iter()
                .any(|(_, change, fields)| *change == Change::Changed && fields.contains(&"prompt".to_owned())),
            "{questions:?}"
        );
    }
}
