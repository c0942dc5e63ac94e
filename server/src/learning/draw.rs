//! Drawing a sitting's questions from a pool: the questions (a number from
//! each group, or from the whole pool) and each one's option order. The
//! draw is stored with the sitting, so a resubmission, the review and the
//! statistics all see exactly what the learner saw.

use super::questions::Question;
use holdspace_app::dto::{QuestionId, QuestionKind};
use rand::Rng;
use rand::seq::SliceRandom;

/// One drawn question: its id and its options' file positions in the order shown.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Drawn {
    pub question: QuestionId,
    pub order: Vec<u32>,
}

/// A part of a pool and how many of its questions a sitting takes.
pub struct Quota<'a> {
    pub questions: Vec<&'a Question>,
    pub take: usize,
}

/// Draws from each quota in turn, keeping each quota's questions in pool
/// order (a quiz reads in the order it was written, only shorter). True/false
/// keeps "True" first: a shuffled pair reads oddly and hides nothing.
pub fn draw(quotas: &[Quota<'_>], rng: &mut impl Rng) -> Vec<Drawn> {
    let mut drawn = Vec::new();
    for quota in quotas {
        let mut picked: Vec<usize> =
            rand::seq::index::sample(rng, quota.questions.len(), quota.take.min(quota.questions.len())).into_vec();
        picked.sort_unstable();
        for index in picked {
            let question = quota.questions[index];
            let mut order: Vec<u32> = (0..u32::try_from(question.options.len()).unwrap_or(0)).collect();
            if question.kind != QuestionKind::TrueFalse {
                order.shuffle(rng);
            }
            drawn.push(Drawn {
                question: question.id,
                order,
            });
        }
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::questions::AnswerOption;
    use holdspace_app::dto::ModuleId;
    use rand::SeedableRng;
    use std::collections::HashSet;

    fn question(id: i64, group: &str) -> Question {
        Question {
            id: QuestionId(id),
            module_id: ModuleId(1),
            key: format!("q{id}"),
            kind: QuestionKind::Single,
            scenario: None,
            prompt: "?".into(),
            group: Some(group.into()),
            options: (0..4)
                .map(|i| AnswerOption {
                    question_id: QuestionId(id),
                    text: i.to_string(),
                    correct: i == 0,
                    why: "w".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn each_group_gives_its_share_in_pool_order_and_draws_differ() {
        let pool: Vec<Question> = (1..=12).map(|i| question(i, if i <= 6 { "a" } else { "b" })).collect();
        let quotas = ["a", "b"].map(|g| Quota {
            questions: pool.iter().filter(|q| q.group.as_deref() == Some(g)).collect(),
            take: 2,
        });
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut sets = HashSet::new();
        for _ in 0..20 {
            let drawn = draw(&quotas, &mut rng);
            let ids: Vec<i64> = drawn.iter().map(|d| d.question.0).collect();
            assert_eq!(ids.len(), 4);
            assert!(
                ids[..2].iter().all(|i| *i <= 6) && ids[2..].iter().all(|i| *i > 6),
                "{ids:?}"
            );
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "pool order: {ids:?}");
            assert!(drawn.iter().all(|d| {
                let mut o = d.order.clone();
                o.sort();
                o == [0, 1, 2, 3]
            }));
            sets.insert(ids);
        }
        assert!(sets.len() > 10, "twenty draws of 2+2 from 6+6 are mostly different");
    }
}
