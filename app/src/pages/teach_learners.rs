use crate::api::following::{GrantAttempt, load_course_following};
use crate::components::day::Day;
use crate::components::loaded::Loaded;
use crate::components::notice::FormError;
use crate::components::route_param::route_param;
use crate::components::score_chart::ScoreChart;
use crate::components::scroll_table::ScrollTable;
use crate::dto::{CourseFollowing, QuizScores};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/teach/{course}/learners`: who is taking the course and how its questions perform.
#[component]
pub fn TeachLearnersPage() -> impl IntoView {
    let course = route_param("course");
    let grant = ServerAction::<GrantAttempt>::new();
    let following = Resource::new(course, load_course_following);
    view! {
        <FormError result=grant.value().into() />
        <Loaded resource=following error_title="Learners" let:following>
            <Following following grant />
        </Loaded>
    }
}

fn scores(scores: &QuizScores) -> String {
    match (scores.best, scores.last) {
        (Some(best), Some(last)) => {
            let tries = if scores.attempts == 1 { "try" } else { "tries" };
            format!("{best} / {last} ({} {tries})", scores.attempts)
        }
        _ => "—".to_owned(),
    }
}

/// A learner's scores at one quiz, and a way to open another attempt
/// when the quiz's policy holds the next one back.
#[component]
fn QuizCell(
    scores: QuizScores,
    learner: String,
    course: String,
    module: String,
    title: String,
    grant: ServerAction<GrantAttempt>,
) -> impl IntoView {
    let open_another = scores.held_back.then(|| {
        view! {
            <ActionForm action=grant attr:class="inline-form">
                <input type="hidden" name="learner_id" value=learner />
                <input type="hidden" name="course" value=course />
                <input type="hidden" name="module" value=module />
                <button type="submit">{format!("Open another attempt at {title}")}</button>
            </ActionForm>
        }
    });
    view! { <td>{self::scores(&scores)} {open_another}</td> }
}

fn two_places(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

#[component]
fn Following(following: CourseFollowing, grant: ServerAction<GrantAttempt>) -> impl IntoView {
    let slug = following.slug.clone();
    let quizzes = following.quizzes.clone();
    let module_count = following.module_count;
    let quiz_count = quizzes.len();
    let roster = if following.learners.is_empty() {
        view! { <p>"Nobody has enrolled yet."</p> }.into_any()
    } else {
        let slug = slug.clone();
        view! {
            <ScrollTable label="Learners">
                <thead>
                    <tr>
                        <th scope="col">"Learner"</th>
                        <th scope="col">"Enrolled"</th>
                        <th scope="col" class="number">
                            "Modules read"
                        </th>
                        <th scope="col" class="number">
                            "Quizzes passed"
                        </th>
                        {quizzes
                            .iter()
                            .map(|(_, title)| view! { <th scope="col">{format!("{title}: best / last")}</th> })
                            .collect_view()}
                        <th scope="col">"Completed"</th>
                    </tr>
                </thead>
                <tbody>
                    {following
                        .learners
                        .into_iter()
                        .map(|learner| {
                            let learner_id = learner.user_id.to_string();
                            let slug = slug.clone();
                            view! {
                                <tr>
                                    <th scope="row">{learner.name}<br /><span class="meta">{learner.email}</span></th>
                                    <td>
                                        <Day date=learner.enrolled_on />
                                    </td>
                                    <td class="number">{format!("{} of {module_count}", learner.modules_read)}</td>
                                    <td class="number">{format!("{} of {quiz_count}", learner.quizzes_passed)}</td>
                                    {learner
                                        .quiz_scores
                                        .into_iter()
                                        .zip(quizzes.clone())
                                        .map(|(scores, (module, title))| {
                                            let (learner, course) = (learner_id.clone(), slug.clone());
                                            view! { <QuizCell scores learner course module title grant /> }
                                        })
                                        .collect_view()}
                                    <td>
                                        {match learner.completed_on {
                                            Some(on) => view! { <Day date=on /> }.into_any(),
                                            None => "—".into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </ScrollTable>
        }
        .into_any()
    };
    let questions = following.questions.clone();
    view! {
        <Title text=format!("Learners: {}", following.title) />
        <p class="breadcrumb">
            <a href="/teach">"Teach"</a>
            " › "
            <a href=format!("/teach/{slug}")>{following.title.clone()}</a>
        </p>
        <h1>"Learners and statistics"</h1>
        <h2>"Learners"</h2>
        {roster}
        <p>
            <a href=format!("/teach/{slug}/learners.csv") download="">
                "Download the roster (CSV)"
            </a>
        </p>
        <h2>"Questions"</h2>
        <p>
            "From each learner's first attempt at each quiz. " <strong>"Facility"</strong>
            " is the average share of marks. " <strong>"Discrimination"</strong>
            " compares a question with the rest of the quiz: near 1, learners who do well overall also get it right; "
            "near 0 or below, it may be ambiguous or keyed wrongly. Questions that may need a look are marked."
        </p>
        <ScoreChart questions=questions />
        <ScrollTable label="Question statistics">
            <thead>
                <tr>
                    <th scope="col">"Question"</th>
                    <th scope="col" class="number">
                        "Answered"
                    </th>
                    <th scope="col" class="number">
                        "Facility"
                    </th>
                    <th scope="col" class="number">
                        "Discrimination"
                    </th>
                    <th scope="col">"Worth a look?"</th>
                </tr>
            </thead>
            <tbody>
                {following
                    .questions
                    .into_iter()
                    .map(|q| {
                        view! {
                            <tr>
                                <th scope="row">
                                    {q.question_id}<br />
                                    <span class="meta">{format!("{}: {}", q.module_title, q.prompt)}</span>
                                </th>
                                <td class="number">{q.answered}</td>
                                <td class="number">
                                    {if q.answered == 0 {
                                        "—".to_owned()
                                    } else {
                                        format!("{:.0}%", q.facility * 100.0)
                                    }}
                                </td>
                                <td class="number">{two_places(q.discrimination)}</td>
                                <td>{q.review.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </ScrollTable>
        <p>
            <a href=format!("/teach/{slug}/questions.csv") download="">
                "Download the question statistics (CSV)"
            </a>
        </p>
    }
}
