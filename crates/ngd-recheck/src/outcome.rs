//! How the re-check of one claim ended, and where that goes in the result.

use crate::{Claim, Failure, Item, NotCovered, NotCoveredReason};

/// How the re-check of one claim ended.
pub(crate) enum Outcome {
    /// Re-checked.
    Holds,
    /// Wrong, and why.
    Fails(Failure),
    /// Not decided by the small path, and why.
    NotCovered(NotCoveredReason),
}

impl Outcome {
    /// Records the outcome: an item for `claim` (holding or failed), or an entry of
    /// `not_covered` at `path` (no item: a claim the small path does not decide is never
    /// listed as holding).
    pub(crate) fn record(
        self,
        claim: Claim,
        path: &str,
        items: &mut Vec<Item>,
        not_covered: &mut Vec<NotCovered>,
    ) {
        match self {
            Outcome::Holds => items.push(Item {
                claim,
                failure: None,
            }),
            Outcome::Fails(failure) => items.push(Item {
                claim,
                failure: Some(failure),
            }),
            Outcome::NotCovered(reason) => not_covered.push(NotCovered {
                path: path.into(),
                reason,
            }),
        }
    }
}
