//! A quiz's settings: how many questions a sitting draws (from the whole
//! pool or per group), how much the review shows, and when another
//! attempt may start.

use super::*;
use crate::api::teaching::SaveQuizSettings;
use crate::course_content::{QuizContent, ReviewPolicy};

fn text(value: Option<u32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[component]
pub(super) fn QuizSettings(
    course: String,
    module: String,
    index: usize,
    quiz: QuizContent,
    problems: Vec<ContentProblem>,
    action: ServerAction<SaveQuizSettings>,
) -> impl IntoView {
    let at = |field: &str| problems_at(&problems, Place::Quiz { module: index }, field);
    let (draw_p, group_p, wait_p, max_p, period_p) = (
        at("draw"),
        at("group"),
        at("wait"),
        at("max_attempts"),
        at("attempts_period_days"),
    );
    let groups: Vec<String> = quiz.groups.iter().map(|g| format!("{} {}", g.id, g.draw)).collect();
    let always = quiz.review == Some(ReviewPolicy::Always);
    let open = [&draw_p, &group_p, &wait_p, &max_p, &period_p]
        .iter()
        .any(|p| !p.is_empty());
    view! {
        <details open=open>
            <summary>"Quiz settings: questions per sitting, review, retakes"</summary>
            <ActionForm action attr:class="stacked-form">
                <FormError result=action.value().into() />
                <input type="hidden" name="course" value=course />
                <input type="hidden" name="module" value=module />
                <label for="quiz-draw">"Questions per sitting (leave empty to show every question)"</label>
                <p class="hint" id="quiz-draw-hint">
                    "Each sitting draws its own questions, so a retake is a new test. Write at least twice as many questions as a sitting shows."
                </p>
                <FieldProblem id="quiz-draw".into() messages=draw_p.clone() />
                <input
                    id="quiz-draw"
                    name="settings[draw]"
                    inputmode="numeric"
                    value=text(quiz.draw)
                    aria-describedby="quiz-draw-hint"
                />
                <label for="quiz-groups">
                    "Groups (optional): one per line, its name and how many to draw, like \"listening 2\""
                </label>
                <FieldProblem id="quiz-groups".into() messages=group_p.clone() />
                <textarea
                    id="quiz-groups"
                    name="settings[groups]"
                    rows="3"
                    aria-describedby=described_by("quiz-groups", &group_p)
                >
                    {escaped_on_server(groups.join("\n"))}
                </textarea>
                <label for="quiz-review">"After a try that does not pass, the review shows"</label>
                <select id="quiz-review" name="settings[review]">
                    <option value="" selected=!always>
                        "the course's setting"
                    </option>
                    <option value="always" selected=always>
                        "every answer's reasoning (a practice quiz)"
                    </option>
                </select>
                <label for="quiz-wait">"Hours to wait between tries (optional)"</label>
                <FieldProblem id="quiz-wait".into() messages=wait_p.clone() />
                <input
                    id="quiz-wait"
                    name="settings[wait_hours]"
                    inputmode="numeric"
                    value=text(quiz.attempts.wait_hours)
                    aria-describedby=described_by("quiz-wait", &wait_p)
                />
                <label for="quiz-max">"Most tries allowed (optional)"</label>
                <FieldProblem id="quiz-max".into() messages=max_p.clone() />
                <input
                    id="quiz-max"
                    name="settings[max_attempts]"
                    inputmode="numeric"
                    value=text(quiz.attempts.max_attempts)
                    aria-describedby=described_by("quiz-max", &max_p)
                />
                <label for="quiz-period">"…in this many days (optional; without it, ever)"</label>
                <FieldProblem id="quiz-period".into() messages=period_p.clone() />
                <input
                    id="quiz-period"
                    name="settings[attempts_period_days]"
                    inputmode="numeric"
                    value=text(quiz.attempts.period_days)
                    aria-describedby=described_by("quiz-period", &period_p)
                />
                <button type="submit">"Save quiz settings"</button>
                <Saved result=action.value().into() />
            </ActionForm>
        </details>
    }
}
