//! The shipped curriculum has the shape the program promises: six courses,
//! 4–6 modules each of 700–1,800 words, quizzes that are pools of at least
//! twice their draw, at least a third of their questions scenarios, a
//! rationale on every option, no warnings (item writing, time estimates),
//! and a role play for each course's skills. A learner who
//! answers from the files' keys completes the program and its final exam
//! and is certified. (The test-wise strategies are in `item_strategies`.)

use crate::support;
use holdspace_app::dto::QuestionKind;
use holdspace_server::authoring::course_files::load_dir;

const COURSES: [&str; 6] = [
    "foundations-of-peer-support",
    "trauma-informed-facilitation",
    "stigma-and-safe-spaces",
    "safety-planning-and-crisis-response",
    "sustaining-yourself-and-the-group",
    "abuse-risk-and-your-duties",
];

#[test]
fn the_program_and_its_courses_have_the_promised_shape() {
    let loaded = load_dir(&support::shipped_courses());
    let problems: Vec<String> = loaded
        .problems
        .iter()
        .chain(&loaded.warnings)
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");

    let program = loaded
        .programs
        .iter()
        .find(|p| p.slug == "peer-support-facilitator")
        .expect("the program");
    assert_eq!(program.title, "Peer Support Group Facilitator");
    assert_eq!(program.valid_for_months, 24);
    assert_eq!(program.supervised_hours, 10);
    assert_eq!((program.renewal.window_days, program.renewal.grace_days), (90, 30));
    assert_eq!(
        (program.renewal.ce_minutes, program.renewal.reexam_after_days),
        (12 * 60, Some(365))
    );
    let training = program.training.as_ref().expect("the program counts training hours");
    assert_eq!(
        (training.minutes, training.self_paced_cap_minutes),
        (40 * 60, Some(20 * 60))
    );
    let from_courses: u32 = training.courses.iter().map(|(_, _, minutes)| minutes).sum();
    assert_eq!(from_courses, 20 * 60, "every course counts, within the cap");
    assert_eq!(training.courses.len(), COURSES.len());
    // Each course counts for no more than its modules' estimates add up to.
    for (slug, _, counted) in &training.courses {
        let course = loaded.courses.iter().find(|c| &c.slug == slug).unwrap();
        let estimated: u32 = course.modules.iter().map(|m| m.minutes).sum();
        assert!(*counted <= estimated, "{slug}: counts {counted} of {estimated} minutes");
    }
    let roleplays: Vec<&str> = program.roleplays.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        roleplays,
        [
            "opening-a-group",
            "reflective-listening",
            "an-intake-screening-conversation",
            "responding-to-a-judgmental-remark",
            "disclosure-of-current-danger",
            "a-member-in-crisis",
            "closing-a-hard-session",
        ]
    );
    assert!(program.roleplays.iter().all(|r| r.items.len() >= 7));
    let texts: Vec<&str> = program.attestations.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(texts, ["code-of-ethics", "confidentiality-agreement"]);
    assert_eq!(program.courses, COURSES);
    let exam = program.exam.as_ref().expect("the program ends with an exam");
    assert_eq!(
        (exam.pass_mark, exam.attempts.max_attempts, exam.attempts.period_days),
        (80, Some(3), Some(90))
    );
    assert!(exam.draw.iter().map(|(_, n)| n).sum::<u32>() >= 50, "{:?}", exam.draw);
    let pool: usize = loaded
        .courses
        .iter()
        .flat_map(|c| &c.modules)
        .filter_map(|m| m.quiz.as_ref())
        .map(|q| q.questions.len())
        .sum();
    assert!(pool >= 300, "the exam's pool holds {pool} questions");
    // Every course has a trainer's guide; the toolkit has its four printables.
    let mut printables: Vec<&str> = loaded.printables.iter().map(|p| p.key.as_str()).collect();
    printables.sort_unstable();
    let mut wanted: Vec<&str> = COURSES.to_vec();
    wanted.extend([
        "debrief-form",
        "first-session-plan",
        "group-agreements",
        "personal-safety-plan-worksheet",
    ]);
    wanted.sort_unstable();
    assert_eq!(printables, wanted);
    // Every module offers at least one private reflection prompt.
    for course in &loaded.courses {
        let prompts = loaded
            .reflections
            .iter()
            .find(|r| r.course_slug == course.slug)
            .unwrap_or_else(|| panic!("{} has reflection prompts", course.slug));
        for module in &course.modules {
            assert!(
                prompts.prompts.iter().any(|(_, m, _)| *m == module.slug),
                "{}/{} has a reflection prompt",
                course.slug,
                module.slug
            );
        }
    }

    for slug in COURSES {
        let course = loaded
            .courses
            .iter()
            .find(|c| c.slug == slug)
            .unwrap_or_else(|| panic!("course {slug}"));
        assert!(
            (4..=6).contains(&course.modules.len()),
            "{slug}: {} modules",
            course.modules.len()
        );
        let mut questions = 0;
        let mut scenarios = 0;
        for module in &course.modules {
            let words = module.body_markdown.split_whitespace().count();
            assert!((700..=1800).contains(&words), "{slug}/{}: {words} words", module.slug);
            let quiz = module
                .quiz
                .as_ref()
                .unwrap_or_else(|| panic!("{slug}/{} has no quiz", module.slug));
            let draw = quiz.questions_per_sitting();
            assert!(
                draw >= 5 && quiz.questions.len() >= 2 * draw,
                "{slug}/{}: a pool of {} for a draw of {draw}",
                module.slug,
                quiz.questions.len()
            );
            for question in &quiz.questions {
                questions += 1;
                scenarios += usize::from(question.scenario.is_some());
                assert!(
                    question.options.iter().all(|o| o.why.split_whitespace().count() >= 5),
                    "{slug}/{}: a short why",
                    question.id
                );
                if question.kind == QuestionKind::TrueFalse {
                    let texts: Vec<&str> = question.options.iter().map(|o| o.text.as_str()).collect();
                    assert_eq!(texts, ["True", "False"], "{}", question.id);
                }
            }
        }
        assert!(
            scenarios * 3 >= questions,
            "{slug}: {scenarios} of {questions} questions are scenarios"
        );
        let last = course.modules.last().unwrap();
        assert!(
            last.body_markdown.contains("## Sources"),
            "{slug} ends with its sources"
        );
    }
}

#[test]
fn no_course_hard_codes_a_phone_number_or_outside_link() {
    let loaded = load_dir(&support::shipped_courses());
    let phone = regex_lite::Regex::new(r"\b\d{3}[ -]?\d{3,4}[ -]?\d{3,4}\b").unwrap();
    for course in &loaded.courses {
        for module in &course.modules {
            assert!(
                !phone.is_match(&module.body_markdown),
                "{}/{} has something like a phone number",
                course.slug,
                module.slug
            );
            // Links stay on this site (the local resources page, other courses); Sources are plain citations.
            assert!(
                !module.body_markdown.contains("](http"),
                "{}/{} links off-site",
                course.slug,
                module.slug
            );
        }
    }
    for roleplay in loaded.programs.iter().flat_map(|p| &p.roleplays) {
        let texts = std::iter::once(&roleplay.script).chain(roleplay.items.iter().map(|(_, text)| text));
        for text in texts {
            assert!(!phone.is_match(text), "role play {}: a phone number", roleplay.key);
            assert!(!text.contains("http"), "role play {}: a link", roleplay.key);
        }
    }
}

/// Phrasings that promise group members more than a facilitator can keep. No one
/// can promise that what is said "stays here": other members may repeat it, and talk
/// in a peer group is not legally protected. Some reports must go outside the
/// organization (child protection, emergency services), and telling the member first
/// is not always safe or possible. A sign-in sheet or a group chat shows who attends.
const UNKEEPABLE_PROMISES: [&str; 12] = [
    "stays here",
    "stay here",
    "stays in the group",
    "stays in this group",
    "stays in the room",
    "stays within the organization",
    "talk with you about it first",
    "i'd talk with you first",
    "i'd always try to talk with you",
    "sign-in sheet",
    "sheet by the door",
    "group chat",
];

#[test]
fn no_course_promises_what_a_facilitator_cannot_keep() {
    let loaded = load_dir(&support::shipped_courses());
    assert_eq!(loaded.courses.len(), COURSES.len(), "all the courses load");
    let mut found = Vec::new();
    // The printables and the reflection prompts speak to facilitators too.
    let mut texts: Vec<(String, &str)> = loaded
        .printables
        .iter()
        .map(|p| (format!("printable {}", p.key), p.text.as_str()))
        .collect();
    for reflections in &loaded.reflections {
        texts.extend(
            reflections
                .prompts
                .iter()
                .map(|(key, _, text)| (format!("{} (reflection {key})", reflections.course_slug), text.as_str())),
        );
    }
    for course in &loaded.courses {
        texts.push((format!("{} (summary)", course.slug), course.summary.as_str()));
        texts.extend(
            course
                .outcomes
                .iter()
                .map(|o| (format!("{} (outcomes)", course.slug), o.as_str())),
        );
        for module in &course.modules {
            let place = format!("{}/{}", course.slug, module.slug);
            texts.push((place.clone(), module.title.as_str()));
            texts.push((place.clone(), module.body_markdown.as_str()));
            texts.extend(
                module
                    .content_note
                    .iter()
                    .map(|n| (format!("{place} (content note)"), n.as_str())),
            );
            for question in module.quiz.iter().flat_map(|q| &q.questions) {
                let at = format!("{place} (quiz question {})", question.id);
                texts.push((at.clone(), question.prompt.as_str()));
                texts.extend(question.scenario.iter().map(|s| (at.clone(), s.as_str())));
                for option in &question.options {
                    texts.push((at.clone(), option.text.as_str()));
                    texts.push((at.clone(), option.why.as_str()));
                }
            }
        }
    }
    // A role play may stage a member who suggests a group chat, for the
    // facilitator to answer; it never has the facilitator promise secrecy.
    let mut staged = Vec::new();
    for roleplay in loaded.programs.iter().flat_map(|p| &p.roleplays) {
        let place = format!("role play {}", roleplay.key);
        staged.push((place.clone(), roleplay.script.as_str()));
        staged.extend(roleplay.items.iter().map(|(_, text)| (place.clone(), text.as_str())));
    }
    let confidentiality_promises = &UNKEEPABLE_PROMISES[..9];
    let texts = texts
        .into_iter()
        .map(|(place, text)| (place, text, &UNKEEPABLE_PROMISES[..]))
        .chain(
            staged
                .into_iter()
                .map(|(place, text)| (place, text, confidentiality_promises)),
        );
    for (place, text, phrases) in texts {
        // Case, curly apostrophes and line breaks don't hide a phrase.
        let text = text
            .replace(['\u{2019}', '\u{2018}'], "'")
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for phrase in phrases {
            if text.contains(phrase) {
                found.push(format!("{place}: {phrase:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "promises a facilitator cannot keep (say instead: we ask everyone to keep what others share \
         private; the limits your organization's policy and the law set; where it's safe and possible \
         I'd tell you first; contact only the way the member agreed at intake): {found:#?}"
    );
}

#[tokio::test]
async fn a_learner_answering_from_the_files_completes_the_program_and_is_certified() {
    let loaded = load_dir(&support::shipped_courses());
    let server = support::TestServer::start_with(&support::shipped_courses(), &[]);
    let browser = server.browser();
    browser.register("Ana María Muñoz", "ana@example.org").await;
    for slug in COURSES {
        let course = loaded.courses.iter().find(|c| c.slug == slug).unwrap();
        browser.enroll(slug).await;
        for module in &course.modules {
            browser
                .get(&format!("/courses/{slug}/{}?note=continue", module.slug))
                .await
                .assert_ok();
            let quiz_path = format!("/courses/{slug}/{}/quiz", module.slug);
            let shown = support::ShownQuiz::parse(&browser.get(&quiz_path).await.assert_ok().body);
            let key: Vec<(String, String)> = module
                .quiz
                .iter()
                .flat_map(|quiz| &quiz.questions)
                .flat_map(|q| {
                    q.options
                        .iter()
                        .filter(|o| o.correct)
                        .map(|o| (q.id.clone(), o.text.clone()))
                })
                .collect();
            let result = support::submit_quiz_fields(&browser, slug, &module.slug, &shown, shown.choose_in(&key)).await;
            let attempt = browser.get(&result.redirect_path()).await;
            attempt.assert_contains("You scored 100% and passed");
        }
        browser
            .get(&format!("/courses/{slug}"))
            .await
            .assert_contains("Completed on ");
    }
    // The certificate waits for the final exam.
    browser
        .get("/me")
        .await
        .assert_lacks("Your certificates")
        .assert_contains("Take the final exam");
    let exam_path = "/programs/peer-support-facilitator/exam";
    let exam = support::ShownQuiz::parse(&browser.get(exam_path).await.assert_ok().body);
    assert!(exam.questions.len() >= 50, "{} exam questions", exam.questions.len());
    let mut fields = vec![
        ("program_slug".to_owned(), "peer-support-facilitator".to_owned()),
        ("sitting_id".to_owned(), exam.sitting_id.clone()),
    ];
    fields.extend(exam.choose_in(&crate::builders::exam_key(&server).await));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let result = browser.post_form(exam_path, "/api/submit_exam", &borrowed).await;
    browser
        .get(&result.redirect_path())
        .await
        .assert_contains("You scored 100% and passed the final exam");
    // Then the supervised practice and the signed texts.
    assert!(support::codes_in(&browser.get("/me").await.body).is_empty());
    let supervisor = crate::builders::UserBuilder::trainer("sam@example.org")
        .name("Sam Supervisor")
        .create(&server)
        .await;
    let supervisor = crate::builders::signed_in(&server, supervisor).await;
    let today = chrono::Utc::now().date_naive().to_string();
    for _ in 0..5 {
        let log = format!(
            "program=peer-support-facilitator&practiced_on={today}&hours=2&role=co_facilitator&supervisor_email=sam@example.org"
        );
        browser.post_api("/api/log_practice", &log).await.assert_ok();
    }
    let queue = supervisor.get("/teach/queue").await;
    let ids = regex_lite::Regex::new(r#"name="log" value="(\d+)""#).unwrap();
    let mut confirmed = Vec::new();
    for found in ids.captures_iter(&queue.body) {
        if !confirmed.contains(&found[1].to_owned()) {
            let body = format!("log={}&decision=confirm", &found[1]);
            supervisor.post_api("/api/review_practice", &body).await.assert_ok();
            confirmed.push(found[1].to_owned());
        }
    }
    assert_eq!(confirmed.len(), 5);
    browser
        .get("/me/record")
        .await
        .assert_contains("Supervised practice: 10 hours of 10 hours confirmed");
    // And the two role plays, watched by a trainer of the program.
    let program = loaded
        .programs
        .iter()
        .find(|p| p.slug == "peer-support-facilitator")
        .unwrap();
    let trainer = crate::builders::UserBuilder::trainer("tess@example.org")
        .create(&server)
        .await;
    crate::builders::assign_to_program(&server, trainer, "peer-support-facilitator").await;
    let trainer = crate::builders::signed_in(&server, trainer).await;
    let learner_id = crate::builders::user_id(&server, "ana@example.org").await;
    for roleplay in &program.roleplays {
        let mut body = format!(
            "program=peer-support-facilitator&learner_id={learner_id}&roleplay={}&observed_on={today}",
            roleplay.key
        );
        for (item, _) in &roleplay.items {
            body.push_str(&format!("&marks[{item}]=met"));
        }
        trainer.post_api("/api/score_roleplay", &body).await.assert_ok();
    }
    // 20 hours count from the courses; 20 more from trainings a trainer approves.
    browser
        .get("/me/record")
        .await
        .assert_contains("Training hours: 20 hours of 40 hours")
        .assert_contains("…of which safety and crisis response: 3 hours 15 minutes of at least 8 hours");
    for (category, hours) in [("safety", "5"), ("ethics", "4"), ("foundations", "5"), ("trauma", "6")] {
        let body = format!(
            "program=peer-support-facilitator&title=Workshop&provider=Network&taken_on={today}&hours={hours}&category={category}"
        );
        browser.post_api("/api/log_training", &body).await.assert_ok();
        let queue = trainer.get("/teach/queue").await;
        let id = regex_lite::Regex::new(r#"name="training" value="(\d+)""#).unwrap();
        let training = id.captures(&queue.body).expect("a training to approve")[1].to_owned();
        let body = format!("training={training}&decision=confirm");
        trainer.post_api("/api/review_training", &body).await.assert_ok();
    }
    browser
        .get("/me/record")
        .await
        .assert_contains("Done: </strong>Training hours: 40 hours of 40 hours");
    for key in ["code-of-ethics", "confidentiality-agreement"] {
        let body = format!("program=peer-support-facilitator&key={key}&version=1&agree=yes");
        browser.post_api("/api/sign_attestation", &body).await.assert_ok();
    }
    let dashboard = browser.get("/me").await;
    dashboard
        .assert_contains("Your certificates")
        .assert_contains("Peer Support Group Facilitator");
    let codes = support::codes_in(&dashboard.body);
    assert_eq!(codes.len(), 1, "{codes:?}");
    let verified = browser.get(&format!("/verify/{}", codes[0])).await;
    verified.assert_ok().assert_contains("Valid");
    for slug in COURSES {
        let title = &loaded.courses.iter().find(|c| c.slug == slug).unwrap().title;
        verified.assert_contains(&support::escape_html(title));
    }
}

#[test]
fn cross_references_name_real_courses_by_title_and_spelling_is_consistent() {
    let loaded = load_dir(&support::shipped_courses());
    let link = regex_lite::Regex::new(r"\[\*([^*\]]+)\*\]\(/courses/([a-z0-9-]+)\)").unwrap();
    // One spelling (American) and one term per idea across all the courses.
    let variants = regex_lite::Regex::new(
        r"(?i)\b(counsell\w*|judgement\w*|behaviour\w*|programme\w*|organis\w*|recognis\w*|honour\w*|neighbour\w*|practis\w*|centre\w*|ground rules)\b",
    )
    .unwrap();
    let mut links = 0;
    for course in &loaded.courses {
        for module in &course.modules {
            let place = format!("{}/{}", course.slug, module.slug);
            for found in link.captures_iter(&module.body_markdown) {
                links += 1;
                let target = loaded
                    .courses
                    .iter()
                    .find(|c| c.slug == found[2])
                    .unwrap_or_else(|| panic!("{place} links to {}", &found[2]));
                assert_eq!(
                    &found[1], target.title,
                    "{place}: a link shows the course's exact title"
                );
            }
            let mut texts = vec![module.body_markdown.clone()];
            for question in module.quiz.iter().flat_map(|q| &q.questions) {
                texts.extend([question.prompt.clone()].into_iter().chain(question.scenario.clone()));
                texts.extend(question.options.iter().flat_map(|o| [o.text.clone(), o.why.clone()]));
            }
            for text in texts {
                assert!(
                    !variants.is_match(&text),
                    "{place}: {:?}",
                    variants.find(&text).map(|m| m.as_str())
                );
            }
        }
    }
    for roleplay in loaded.programs.iter().flat_map(|p| &p.roleplays) {
        let texts = std::iter::once(&roleplay.script).chain(roleplay.items.iter().map(|(_, text)| text));
        for text in texts {
            let found = variants.find(text).map(|m| m.as_str());
            assert!(found.is_none(), "role play {}: {found:?}", roleplay.key);
        }
    }
    assert!(links >= 20, "the courses point to each other ({links} links)");
}

/// Syllables by the usual vowel-group heuristic: rough per word, steady over a module.
fn syllables(word: &str) -> usize {
    let word: String = word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase();
    if word.is_empty() {
        return 0;
    }
    if word.len() <= 3 {
        return 1;
    }
    let trimmed = word
        .strip_suffix("es")
        .or_else(|| word.strip_suffix("ed"))
        .or_else(|| word.strip_suffix('e'))
        .unwrap_or(&word);
    let mut groups = 0;
    let mut in_vowels = false;
    for c in trimmed.chars() {
        let vowel = "aeiouy".contains(c);
        if vowel && !in_vowels {
            groups += 1;
        }
        in_vowels = vowel;
    }
    groups.max(1)
}

#[test]
fn every_module_and_role_play_reads_at_a_secondary_school_level() {
    let loaded = load_dir(&support::shipped_courses());
    let sentence_end = regex_lite::Regex::new(r"[.!?:;]+\s|\n\s*\n").unwrap();
    let markup = regex_lite::Regex::new(r"\]\([^)]*\)|[#*_>\[\]`|]").unwrap();
    let mut texts: Vec<(String, &str)> = Vec::new();
    for course in &loaded.courses {
        for module in &course.modules {
            let body = module.body_markdown.split("## Sources").next().unwrap_or_default();
            texts.push((format!("{}/{}", course.slug, module.slug), body));
        }
    }
    let roleplays = loaded.programs.iter().flat_map(|p| &p.roleplays);
    texts.extend(roleplays.map(|r| (format!("role play {}", r.key), r.script.as_str())));
    assert!(texts.len() > 40, "{} texts", texts.len());
    for (place, body) in texts {
        let text = markup.replace_all(body, " ");
        let sentences = sentence_end.split(&text).filter(|s| !s.trim().is_empty()).count() as f64;
        let words: Vec<&str> = text.split_whitespace().collect();
        let per_sentence = words.len() as f64 / sentences;
        let per_word = words.iter().map(|w| syllables(w)).sum::<usize>() as f64 / words.len() as f64;
        // Flesch–Kincaid grade level.
        let grade = 0.39 * per_sentence + 11.8 * per_word - 15.59;
        assert!(
            grade <= 9.0 && per_sentence <= 18.0,
            "{place}: grade {grade:.1}, {per_sentence:.1} words a sentence"
        );
    }
}
