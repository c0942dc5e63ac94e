//! The quiz editor of a module: its questions, each with its options and rationales, and GIFT import.

use super::*;

#[component]
pub(super) fn Quiz(
    course: String,
    index: usize,
    module: ModuleContent,
    problems: Vec<ContentProblem>,
    actions: Actions,
) -> impl IntoView {
    let questions = module.quiz.as_ref().map(|q| q.questions.clone()).unwrap_or_default();
    let count = questions.len();
    let questions_p = problems_at(&problems, Place::Quiz { module: index }, "questions");
    let (list_course, list_module, list_problems) = (course.clone(), module.slug.clone(), problems.clone());
    let list = questions
        .into_iter()
        .enumerate()
        .map(move |(number, question)| {
            view! {
                <QuestionEditor
                    course=list_course.clone()
                    module=list_module.clone()
                    module_index=index
                    number
                    last=number + 1 == count
                    question
                    problems=list_problems.clone()
                    actions
                />
            }
        })
        .collect_view();
    let add_course = course.clone();
    let gift_module = module.slug.clone();
    let settings = module.quiz.clone().map(|quiz| {
        view! {
            <QuizSettings
                course=course.clone()
                module=module.slug.clone()
                index
                quiz
                problems=problems.clone()
                action=actions.settings
            />
        }
    });
    view! {
        <h2>"Quiz"</h2>
        {settings}
        <FieldProblem id="quiz-questions".into() messages=questions_p />
        {(count == 0).then(|| view! { <p>"This module has no quiz. Add a question to start one."</p> })}
        {list}
        <h3>"Add a question"</h3>
        <ActionForm action=actions.add attr:class="inline-form">
            <FormError result=actions.add.value().into() />
            <input type="hidden" name="course" value=add_course />
            <input type="hidden" name="module" value=module.slug.clone() />
            <label for="new-question-kind">"Kind"</label>
            <select id="new-question-kind" name="kind">
                <option value="single">"Single choice"</option>
                <option value="multiple">"Multiple choice"</option>
                <option value="true_false">"True or false"</option>
            </select>
            <button type="submit">"Add a question"</button>
        </ActionForm>
        <h3>"Import questions from GIFT"</h3>
        <ActionForm action=actions.gift attr:class="stacked-form">
            <FormError result=actions.gift.value().into() />
            <input type="hidden" name="course" value=course />
            <input type="hidden" name="module" value=gift_module />
            <label for="gift">"GIFT text (as exported from Moodle)"</label>
            <p class="hint" id="gift-hint">
                "Multiple choice, multiple answers and true/false questions are imported with their feedback; other kinds are listed as left out."
            </p>
            <textarea id="gift" name="gift" rows="8" required aria-describedby="gift-hint"></textarea>
            <button type="submit">"Import"</button>
            <GiftReport />
        </ActionForm>
    }
}

#[component]
fn QuestionEditor(
    course: String,
    module: String,
    module_index: usize,
    number: usize,
    last: bool,
    question: QuestionContent,
    problems: Vec<ContentProblem>,
    actions: Actions,
) -> impl IntoView {
    let place = Place::Question {
        module: module_index,
        question: number,
    };
    let prefix = format!("q{number}");
    let at = |field: &str| problems_at(&problems, place, field);
    let (id_p, scenario_p, prompt_p, options_p, group_p) =
        (at("id"), at("scenario"), at("prompt"), at("options"), at("group"));
    let mut rows = question.options.clone();
    rows.extend(std::iter::repeat_n(
        OptionContent {
            text: String::new(),
            correct: false,
            why: String::new(),
        },
        SPARE_OPTION_ROWS,
    ));
    let option_prefix = prefix.clone();
    let option_rows = rows
        .into_iter()
        .enumerate()
        .map(move |(option, content)| {
            let place = Place::Option {
                module: module_index,
                question: number,
                option,
            };
            let (text_p, why_p) = (
                problems_at(&problems, place, "text"),
                problems_at(&problems, place, "why"),
            );
            let id = format!("{option_prefix}-o{option}");
            view! {
                <fieldset class="option-row">
                    <legend>{format!("Option {}", option + 1)}</legend>
                    <label for=format!("{id}-text")>"Text"</label>
                    <FieldProblem id=format!("{id}-text") messages=text_p.clone() />
                    <input
                        id=format!("{id}-text")
                        name=format!("options[{option}][text]")
                        value=content.text
                        aria-describedby=described_by(&format!("{id}-text"), &text_p)
                    />
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name=format!("options[{option}][correct]")
                            value="on"
                            checked=content.correct
                        />
                        " Correct"
                    </label>
                    <label for=format!("{id}-why")>"Why (shown after the quiz, whichever option was chosen)"</label>
                    <FieldProblem id=format!("{id}-why") messages=why_p.clone() />
                    <textarea
                        id=format!("{id}-why")
                        name=format!("options[{option}][why]")
                        rows="2"
                        aria-describedby=described_by(&format!("{id}-why"), &why_p)
                    >
                        {escaped_on_server(content.why)}
                    </textarea>
                </fieldset>
            }
        })
        .collect_view();
    let current_kind = question.kind;
    let kind_option = move |kind: QuestionKind, label: &'static str| {
        view! {
            <option value=kind.as_str() selected=current_kind == kind>
                {label}
            </option>
        }
    };
    let mover = |direction: &'static str, enabled: bool| {
        let (course, module) = (course.clone(), module.clone());
        enabled.then(|| {
            view! {
                <ActionForm action=actions.reorder attr:class="inline-form">
                    <QuestionFields course module index=number />
                    <input type="hidden" name="direction" value=direction />
                    <button type="submit" class="small-button">
                        {if direction == "up" { "Move up" } else { "Move down" }}
                    </button>
                </ActionForm>
            }
        })
    };
    let up = mover("up", number > 0);
    let down = mover("down", !last);
    let heading = format!("{prefix}-heading");
    let labelled_by = heading.clone();
    let (save_course, save_module) = (course.clone(), module.clone());
    let field = |name: &str| format!("{prefix}-{name}");
    let (id_id, kind_id, scenario_id, prompt_id, options_id, group_id) = (
        field("id"),
        field("kind"),
        field("scenario"),
        field("prompt"),
        field("options"),
        field("group"),
    );
    view! {
        <section class="question-editor" aria-labelledby=labelled_by>
            <h3 id=heading>{format!("Question {}", number + 1)}</h3>
            <ActionForm action=actions.save attr:class="stacked-form">
                <QuestionFields course=save_course module=save_module index=number />
                <label for=id_id.clone()>"Question id"</label>
                <FieldProblem id=id_id.clone() messages=id_p.clone() />
                <input
                    id=id_id.clone()
                    name="id"
                    value=question.id.clone()
                    aria-describedby=described_by(&id_id, &id_p)
                />
                <label for=kind_id.clone()>"Kind"</label>
                <select id=kind_id name="kind">
                    {kind_option(QuestionKind::Single, "Single choice")}
                    {kind_option(QuestionKind::Multiple, "Multiple choice")}
                    {kind_option(QuestionKind::TrueFalse, "True or false")}
                </select>
                <label for=scenario_id.clone()>"Scenario (optional)"</label>
                <FieldProblem id=scenario_id.clone() messages=scenario_p.clone() />
                <textarea
                    id=scenario_id.clone()
                    name="scenario"
                    rows="3"
                    aria-describedby=described_by(&scenario_id, &scenario_p)
                >
                    {escaped_on_server(question.scenario.clone().unwrap_or_default())}
                </textarea>
                <label for=prompt_id.clone()>"Question"</label>
                <FieldProblem id=prompt_id.clone() messages=prompt_p.clone() />
                <textarea
                    id=prompt_id.clone()
                    name="prompt"
                    rows="2"
                    aria-describedby=described_by(&prompt_id, &prompt_p)
                >
                    {escaped_on_server(question.prompt.clone())}
                </textarea>
                <label for=group_id.clone()>"Group (only for a quiz that draws by group)"</label>
                <FieldProblem id=group_id.clone() messages=group_p.clone() />
                <input
                    id=group_id.clone()
                    name="group"
                    value=question.group.clone().unwrap_or_default()
                    aria-describedby=described_by(&group_id, &group_p)
                />
                <FieldProblem id=options_id messages=options_p />
                {option_rows}
                <button type="submit">{format!("Save question {}", number + 1)}</button>
                <FormError result=actions.save.value().into() />
            </ActionForm>
            <div class="button-row">
                {up} {down} <ActionForm action=actions.delete attr:class="inline-form">
                    <QuestionFields course module index=number />
                    <button type="submit" class="small-button">
                        {format!("Delete question {}", number + 1)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

/// Which question a form is about.
#[component]
fn QuestionFields(course: String, module: String, index: usize) -> impl IntoView {
    view! {
        <input type="hidden" name="course" value=course />
        <input type="hidden" name="module" value=module />
        <input type="hidden" name="index" value=index.to_string() />
    }
}

/// What the last GIFT import did, from the address it returned to.
#[component]
fn GiftReport() -> impl IntoView {
    let query = use_query_map();
    view! {
        <div role="status">
            {move || {
                query
                    .read()
                    .get("imported")
                    .map(|report| {
                        view! {
                            <ul class="import-report">
                                {report.lines().map(|line| view! { <li>{line.to_owned()}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
        </div>
    }
}
