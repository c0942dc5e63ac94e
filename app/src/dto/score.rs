//! How a score is shown: the one rule, used by every page and file.

use serde::{Deserialize, Serialize};

/// A graded score, exact to a hundredth of a percent (basis points), as the
/// server recorded it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Score(pub u32);

impl Score {
    /// From stored basis points (never below zero).
    pub fn from_basis_points(basis_points: i32) -> Self {
        Score(u32::try_from(basis_points).unwrap_or(0))
    }

    /// The whole percent shown, rounded down: a shown score never exceeds
    /// the real one, so a 79.5% attempt reads 79%, never a pass mark of 80%
    /// it did not reach.
    pub fn percent(self) -> u32 {
        self.0 / 100
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

#[cfg(test)]
mod tests {
    use super::Score;

    #[test]
    fn a_shown_score_is_rounded_down() {
        assert_eq!(Score(7_950).percent(), 79);
        assert_eq!(Score(7_950).to_string(), "79%");
        assert_eq!(Score(8_000).percent(), 80);
        assert_eq!(Score::from_basis_points(-5), Score(0));
    }
}
