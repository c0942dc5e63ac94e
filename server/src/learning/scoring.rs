//! Grading a quiz: pure, exact, and the only place scores are decided.
//!
//! Scores are kept as exact fractions so a learner exactly on the pass mark
//! passes (4 of 5 at an 80% pass mark) with no floating-point doubt.

use holdspace_app::dto::QuestionKind;

/// A question as graded: its kind and which option positions are correct.
#[derive(Clone, Debug)]
pub struct GradedQuestion<'a> {
    pub kind: QuestionKind,
    pub correct: &'a [bool],
}

/// A fraction `numerator / denominator` with `0 <= numerator <= denominator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit {
    pub numerator: u32,
    pub denominator: u32,
}

impl Credit {
    const ZERO: Credit = Credit {
        numerator: 0,
        denominator: 1,
    };
    const FULL: Credit = Credit {
        numerator: 1,
        denominator: 1,
    };

    /// In basis points (1/100 of a percent), rounded down.
    pub fn basis_points(self) -> u32 {
        self.numerator * 10_000 / self.denominator
    }
}

/// The credit for one answer, given the chosen option positions (in file order).
///
/// Single choice and true/false: all or nothing. Multiple choice:
/// `max(0, (correct chosen - wrong chosen) / number correct)`, so ticking
/// every box earns nothing, while partial knowledge earns partial credit.
pub fn grade_question(question: &GradedQuestion<'_>, chosen: &[usize]) -> Credit {
    let picked = |i: &usize| question.correct.get(*i).copied();
    match question.kind {
        QuestionKind::Single | QuestionKind::TrueFalse => match chosen {
            [only] if picked(only) == Some(true) => Credit::FULL,
            _ => Credit::ZERO,
        },
        QuestionKind::Multiple => {
            let total_correct = question.correct.iter().filter(|c| **c).count() as u32;
            if total_correct == 0 {
                return Credit::ZERO;
            }
            let mut right = 0u32;
            let mut wrong = 0u32;
            for i in chosen {
                match picked(i) {
                    Some(true) => right += 1,
                    // An out-of-range position counts against, like a wrong box.
                    Some(false) | None => wrong += 1,
                }
            }
            Credit {
                numerator: right.saturating_sub(wrong),
                denominator: total_correct,
            }
        }
    }
}

/// The result of a whole quiz.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizScore {
    pub per_question: Vec<Credit>,
    /// The mean credit as basis points, rounded down (so 79.99% never shows as 80%).
    pub basis_points: u32,
    pub passed: bool,
}

/// Mean credit over all questions, compared exactly with the pass mark (percent).
pub fn grade_quiz(per_question: Vec<Credit>, pass_mark_percent: u32) -> QuizScore {
    if per_question.is_empty() {
        return QuizScore {
            per_question,
            basis_points: 10_000,
            passed: true,
        };
    }
    // Sum the fractions over their least common denominator.
    let lcd = per_question
        .iter()
        .fold(1u64, |acc, c| lcm(acc, u64::from(c.denominator)));
    let sum: u64 = per_question
        .iter()
        .map(|c| u64::from(c.numerator) * (lcd / u64::from(c.denominator)))
        .sum();
    let count = per_question.len() as u64;
    // mean = sum / (lcd * count); passed iff mean * 100 >= pass_mark.
    let passed = sum * 100 >= u64::from(pass_mark_percent) * lcd * count;
    let basis_points = (sum * 10_000 / (lcd * count)) as u32;
    QuizScore {
        per_question,
        basis_points,
        passed,
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u64, b: u64) -> u64 {
    a / gcd(a, b) * b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: QuestionKind, correct: &[bool]) -> GradedQuestion<'_> {
        GradedQuestion { kind, correct }
    }

    #[test]
    fn single_choice_is_all_or_nothing() {
        let question = q(QuestionKind::Single, &[false, true, false]);
        assert_eq!(grade_question(&question, &[1]), Credit::FULL);
        assert_eq!(grade_question(&question, &[0]), Credit::ZERO);
        assert_eq!(grade_question(&question, &[]), Credit::ZERO);
        // Two radios cannot both be chosen; a forged form gets no credit.
        assert_eq!(grade_question(&question, &[0, 1]), Credit::ZERO);
        assert_eq!(grade_question(&question, &[7]), Credit::ZERO);
    }

    #[test]
    fn true_false_is_all_or_nothing() {
        let question = q(QuestionKind::TrueFalse, &[true, false]);
        assert_eq!(grade_question(&question, &[0]), Credit::FULL);
        assert_eq!(grade_question(&question, &[1]), Credit::ZERO);
    }

    #[test]
    fn multiple_choice_takes_wrong_boxes_off_and_never_goes_negative() {
        let question = q(QuestionKind::Multiple, &[true, true, true, false, false]);
        assert_eq!(
            grade_question(&question, &[0, 1, 2]),
            Credit {
                numerator: 3,
                denominator: 3
            }
        );
        assert_eq!(
            grade_question(&question, &[0, 1]),
            Credit {
                numerator: 2,
                denominator: 3
            }
        );
        assert_eq!(
            grade_question(&question, &[0, 1, 3]),
            Credit {
                numerator: 1,
                denominator: 3
            }
        );
        assert_eq!(
            grade_question(&question, &[0, 3, 4]),
            Credit {
                numerator: 0,
                denominator: 3
            }
        );
        assert_eq!(
            grade_question(&question, &[3]),
            Credit {
                numerator: 0,
                denominator: 3
            }
        );
        // Ticking everything is not a strategy.
        assert_eq!(
            grade_question(&question, &[0, 1, 2, 3, 4]),
            Credit {
                numerator: 1,
                denominator: 3
            }
        );
    }

    #[test]
    fn exactly_on_the_pass_mark_passes() {
        let credits = vec![Credit::FULL, Credit::FULL, Credit::FULL, Credit::FULL, Credit::ZERO];
        let score = grade_quiz(credits, 80);
        assert_eq!(score.basis_points, 8_000);
        assert!(score.passed);
    }

    #[test]
    fn a_fraction_below_the_pass_mark_fails_and_is_rounded_down() {
        // (1 + 1 + 1/3) / 3 = 7/9 = 77.77...%
        let credits = vec![
            Credit::FULL,
            Credit::FULL,
            Credit {
                numerator: 1,
                denominator: 3,
            },
        ];
        let score = grade_quiz(credits, 78);
        assert_eq!(score.basis_points, 7_777);
        assert!(!score.passed);
        assert!(grade_quiz(score.per_question, 77).passed);
    }

    #[test]
    fn mixed_denominators_sum_exactly() {
        // (1/2 + 2/3 + 5/6) / 3 = 2/3
        let credits = vec![
            Credit {
                numerator: 1,
                denominator: 2,
            },
            Credit {
                numerator: 2,
                denominator: 3,
            },
            Credit {
                numerator: 5,
                denominator: 6,
            },
        ];
        let score = grade_quiz(credits, 67);
        assert_eq!(score.basis_points, 6_666);
        assert!(!score.passed);
        assert!(grade_quiz(score.per_question, 66).passed);
    }
}
