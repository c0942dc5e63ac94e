//! Item analysis of quiz questions, from learners' first attempts.
//!
//! First attempts only: later ones come after the learner has read every
//! option's rationale, so they measure memory rather than the question.

/// One learner's first attempt at a quiz: each question's key with its score in 0.0..=1.0.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AttemptScores {
    pub items: Vec<(String, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ItemStatistics {
    pub question_key: String,
    /// How many first attempts included the question.
    pub answered: u32,
    /// Mean score on the question, 0.0..=1.0 (Moodle's "facility index").
    pub facility: f64,
    /// Pearson correlation between the question's score and the rest of the
    /// attempt's score (the total without this question), as Moodle's
    /// discrimination index; `None` with fewer than two attempts or when
    /// either series does not vary.
    pub discrimination: Option<f64>,
}

/// Below this many answers the figures say more about chance than the question.
const REVIEW_MINIMUM: u32 = 5;

impl ItemStatistics {
    /// A short reason when the question looks weak, by Moodle's customary thresholds.
    pub fn needs_review(&self) -> Option<&'static str> {
        if self.answered < REVIEW_MINIMUM {
            return None;
        }
        if self.facility < 0.2 {
            Some("Very few learners get this right: check the wording and the keyed answer.")
        } else if self.facility > 0.95 {
            Some("Almost everyone gets this right: it may not tell learners apart.")
        } else if self.discrimination.is_some_and(|d| d < 0.2) {
            Some("Learners who do well overall are not more likely to get this right: check for ambiguity.")
        } else {
            None
        }
    }
}

/// Statistics for every question met in `attempts`, in order of first appearance.
pub fn item_analysis(attempts: &[AttemptScores]) -> Vec<ItemStatistics> {
    let mut keys: Vec<&str> = Vec::new();
    for attempt in attempts {
        for (key, _) in &attempt.items {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    keys.into_iter()
        .map(|key| {
            let pairs: Vec<(f64, f64)> = attempts
                .iter()
                .filter_map(|attempt| {
                    let item = attempt.items.iter().find(|(k, _)| k == key)?.1;
                    let total: f64 = attempt.items.iter().map(|(_, score)| score).sum();
                    Some((item, total - item))
                })
                .collect();
            let n = pairs.len() as f64;
            ItemStatistics {
                question_key: key.to_owned(),
                answered: pairs.len() as u32,
                facility: if pairs.is_empty() {
                    0.0
                } else {
                    pairs.iter().map(|p| p.0).sum::<f64>() / n
                },
                discrimination: correlation(&pairs),
            }
        })
        .collect()
}

fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let (mean_x, mean_y) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let covariance: f64 = pairs.iter().map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let spread_x: f64 = pairs.iter().map(|(x, _)| (x - mean_x).powi(2)).sum();
    let spread_y: f64 = pairs.iter().map(|(_, y)| (y - mean_y).powi(2)).sum();
    (spread_x > 1e-12 && spread_y > 1e-12).then(|| covariance / (spread_x * spread_y).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(items: &[(&str, f64)]) -> AttemptScores {
        AttemptScores {
            items: items.iter().map(|(k, s)| ((*k).to_owned(), *s)).collect(),
        }
    }

    /// Four learners, three questions (a, b, c):
    ///
    /// | learner | a | b   | c |
    /// |---------|---|-----|---|
    /// | 1       | 1 | 1   | 1 |
    /// | 2       | 1 | 0.5 | 0 |
    /// | 3       | 0 | 1   | 0 |
    /// | 4       | 0 | 0   | 1 |
    ///
    /// Facility: a = 2/4 = 0.5, b = 2.5/4 = 0.625, c = 2/4 = 0.5.
    ///
    /// Discrimination of a: item x = (1, 1, 0, 0), rest y = b + c = (2, 0.5, 1, 1).
    /// Means 0.5 and 1.125; deviations x: (.5, .5, -.5, -.5), y: (.875, -.625, -.125, -.125).
    /// Σxy = .4375 - .3125 + .0625 + .0625 = 0.25; Σx² = 1; Σy² = .765625 + .390625 + .015625 + .015625 = 1.1875.
    /// r = 0.25 / √1.1875 = 0.229415733870562...
    ///
    /// Discrimination of c: x = (1, 0, 0, 1), rest y = a + b = (2, 1.5, 1, 0).
    /// Means 0.5 and 1.125; deviations x: (.5, -.5, -.5, .5), y: (.875, .375, -.125, -1.125).
    /// Σxy = .4375 - .1875 + .0625 - .5625 = -0.25; Σy² = .765625 + .140625 + .015625 + 1.265625 = 2.1875.
    /// r = -0.25 / √2.1875 = -0.169030850945703...
    #[test]
    fn figures_match_a_hand_computed_example() {
        let attempts = [
            attempt(&[("a", 1.0), ("b", 1.0), ("c", 1.0)]),
            attempt(&[("a", 1.0), ("b", 0.5), ("c", 0.0)]),
            attempt(&[("a", 0.0), ("b", 1.0), ("c", 0.0)]),
            attempt(&[("a", 0.0), ("b", 0.0), ("c", 1.0)]),
        ];
        let stats = item_analysis(&attempts);
        let keys: Vec<&str> = stats.iter().map(|s| s.question_key.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert!(stats.iter().all(|s| s.answered == 4));
        let close = |x: f64, y: f64| (x - y).abs() < 1e-9;
        assert!(close(stats[0].facility, 0.5) && close(stats[1].facility, 0.625) && close(stats[2].facility, 0.5));
        assert!(
            close(stats[0].discrimination.unwrap(), 0.25 / 1.1875_f64.sqrt()),
            "{:?}",
            stats[0]
        );
        assert!(
            close(stats[2].discrimination.unwrap(), -0.25 / 2.1875_f64.sqrt()),
            "{:?}",
            stats[2]
        );
    }

    #[test]
    fn too_little_or_unvarying_data_has_no_discrimination() {
        assert_eq!(
            item_analysis(&[attempt(&[("a", 1.0), ("b", 0.0)])])[0].discrimination,
            None
        );
        let everyone_right = [attempt(&[("a", 1.0), ("b", 0.0)]), attempt(&[("a", 1.0), ("b", 1.0)])];
        assert_eq!(item_analysis(&everyone_right)[0].discrimination, None);
        assert_eq!(item_analysis(&[]), vec![]);
    }

    #[test]
    fn a_question_counts_only_the_attempts_that_had_it() {
        let stats = item_analysis(&[attempt(&[("a", 1.0)]), attempt(&[("a", 0.0), ("new", 1.0)])]);
        assert_eq!((stats[0].answered, stats[1].answered), (2, 1));
        assert_eq!(stats[1].facility, 1.0);
    }

    #[test]
    fn weak_questions_are_flagged_once_enough_learners_answered() {
        let item = |answered, facility, discrimination| ItemStatistics {
            question_key: "q".into(),
            answered,
            facility,
            discrimination,
        };
        assert_eq!(
            item(4, 0.1, None).needs_review(),
            None,
            "four answers are too few to judge"
        );
        assert!(item(5, 0.1, Some(0.5)).needs_review().unwrap().starts_with("Very few"));
        assert!(
            item(5, 0.97, Some(0.5))
                .needs_review()
                .unwrap()
                .starts_with("Almost everyone")
        );
        assert!(
            item(5, 0.6, Some(0.1))
                .needs_review()
                .unwrap()
                .starts_with("Learners who do well")
        );
        assert_eq!(item(5, 0.6, Some(0.4)).needs_review(), None);
        assert_eq!(item(5, 0.6, None).needs_review(), None);
    }
}
