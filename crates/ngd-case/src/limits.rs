//! The count budgets of the proofs: the `[limits]` table of a case and its command-line flags.

use serde::Serialize;

/// The largest box budget a case or a flag may set: bounds the time and memory of one search.
pub const MAX_BOX_BUDGET: usize = 50_000_000;

/// Count budgets of the proofs (the `[limits]` table and the `--max-boxes`, `--cover-boxes`
/// flags): the report depends only on them, never on the machine's speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Limits {
    /// Boxes of C1's branch and bound for `<grad f, grad phi> >= 0`.
    pub max_boxes: usize,
    /// Boxes of C4's exact cover of the search box.
    pub cover_boxes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_boxes: ngd_check::BranchBudget::default().max_boxes,
            cover_boxes: ngd_decrease::DecreaseOptions::default().max_boxes,
        }
    }
}
