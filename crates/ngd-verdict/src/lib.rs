//! The verdict of ngd-verify as a library (docs/math.md, "Conclusions — the verdict").
//!
//! The input is a typed summary of what the checks found ([`Outcomes`]): C1, C3 (`S` against
//! the flat set), C4 near `S` and on `M \ S`, C5, C6, the critical sets of `f` outside `M`,
//! the harness run counts, the `[expect]` claims and which checks were asked for. The output
//! ([`Verdict`], from [`verdict`]) is data only: the paper's conclusion with, for each
//! conclusion, the hypotheses that are missing and those that are only numerical evidence,
//! whether NGD is implicitly regularized towards the flat minima, the cross-validation of the
//! harness, and the exit status. Nothing here prints, and the data holds no sentences: every
//! value is an enum variant, a count or an index, and [`MachineName`] gives each variant its
//! stable machine name (the same as its serde name) for renderers.
//!
//! # The conclusions
//!
//! - [`Conclusion::Local`] (Thm 2.9): C1 (conserved or Lyapunov), C4 near `S`, C6.
//! - [`Conclusion::Global`] (Thm 2.10 / 3.32): those, plus C4 on `M \ S`, C5, and a search of
//!   the box for critical sets of `f` outside `M` that found none that attracts.
//! - [`Conclusion::GlobalRestricted`]: the same, but the search found critical sets outside
//!   `M` that attract (a non-global local minimum) or may attract (attraction unknown): the
//!   conclusion holds for starts outside their basins, and lists them.
//! - [`Conclusion::None`]: the local hypotheses are not all established.
//!
//! A hypothesis that is only numerical evidence (C4 beyond `n = 3`, C6 on a set, a numerical
//! search for critical sets, C3 compared numerically) still lets a conclusion be drawn, with
//! [`Reach::NumericalEvidence`] and the hypothesis named in [`Assessment::numerical`]; never
//! with [`Reach::Proved`]. Implicit regularization towards the flat minima
//! ([`Verdict::flat_minima`]) is the conclusion drawn plus C3 (`S` equals the flat set).
//!
//! # The exit status
//!
//! With claims (`[expect]`), the claims decide alone: 0 every claim matched, 1 a claim is
//! contradicted, 3 otherwise (a claim undecided). Without claims: 1 a check asked for is
//! refuted or the harness contradicts a *proved* conclusion, else 3 a check asked for does
//! not hold (inconclusive, only numerical evidence, not applicable, not run), else 0. Checks
//! not asked for never change the status. Status 2 (bad input) belongs to the CLI. The checks
//! asked for by default ([`asked_checks`]) are C1, C4 near `S`, C5 and C6, minus C4 near `S`
//! when the case claims `d_lyapunov = false` and C5 when it claims `coercive = false`;
//! `check-identity` asks for C1 only, a case without a regularizer for none.
//!
//! # The table
//!
//! "Proved" below means [`Reach::Proved`] hypotheses; the default checks asked for are
//! assumed and there are no claims unless the row says otherwise.
//!
//! | # | situation | conclusion | exit status |
//! | --- | --- | --- | --- |
//! | 1 | C1, C4 near `S`, C6, C4 on `M \ S`, C5 proved; the critical-set search proved none attracting | `global`, proved | 0 |
//! | 2 | as 1, the critical-set search numerical only, or C4 on `M \ S` numerical only | `global`, numerical evidence (named in `numerical`) | 0 (neither is asked for) |
//! | 3 | as 1, C4 near `S` or C6 numerical only | `global` (or `local`), numerical evidence | 3 |
//! | 4 | as 1, the search found a critical set outside `M` that attracts or may attract | `global_restricted`, excluded sets listed | 0 |
//! | 5 | as 1, critical sets not searched, or C4 on `M \ S` refuted or undecided | `local` (global: the hypothesis missing) | 0 |
//! | 6 | C1, C4 near `S`, C6 proved; C5 undecided | `local` | 3 |
//! | 7 | C1, C4 near `S`, C6 proved; C5 refuted (an exact escape) | `local` | 1 (0 if C5 is not asked for) |
//! | 8 | C1 refuted | `none` | 1 |
//! | 9 | C4 near `S` refuted | `none` | 1 (0 if C4 near `S` is not asked for and the rest holds) |
//! | 10 | C6 not applicable (with its reason) or inconclusive; C1 inconclusive | `none` | 3 |
//! | 11 | no regularizer: nothing asked for | `none` | 0 |
//! | 12 | `check-identity`: C1 conserved or Lyapunov / refuted / inconclusive | `none` | 0 / 1 / 3 |
//! | 13 | a conclusion, and C3 `S` = flat set proved (numerical) | `flat_minima` reached, proved (numerical evidence) | as the row of the conclusion |
//! | 14 | harness: a run started where the conclusion applies ended stalled, at a pole of `phi`, diverged or non-finite; the conclusion is proved | the conclusion, cross-validation `contradicted` | 1 |
//! | 15 | as 14, the conclusion only numerical evidence | the conclusion, `contradicted` | unchanged (already 3 when a check asked for is numerical) |
//! | 16 | harness: runs at a known critical set outside `M`, landed exactly on a critical set in float64 (measure zero), or not yet near `S` (drift budget) | the conclusion, `consistent`, the runs `explained` | unchanged |
//! | 17 | claims, every one matched | any | 0, whatever the checks and the harness |
//! | 18 | claims, one contradicted | any | 1 |
//! | 19 | claims, one undecided and none contradicted | any | 3 |
//!
//! # Example
//!
//! ```
//! use ngd_verdict::{
//!     asked_checks, verdict, Check, CheckOutcome, Conclusion, MachineName, Outcomes, Reach,
//!     Scope, C1, C5, C6,
//! };
//!
//! // A case file with a regularizer, no claims: C1, C4 near S, C5 and C6 decide the status.
//! let input = Outcomes {
//!     c1: C1::Conserved,
//!     c4_near_s: CheckOutcome::Proved,
//!     c6: C6::Proved,
//!     c5: C5::Undecided,
//!     asked: asked_checks(Scope::Full, None, None),
//!     ..Outcomes::default()
//! };
//! let v = verdict(&input);
//! assert_eq!(v.conclusion, Conclusion::Local);
//! assert_eq!(v.local.reach, Reach::Proved);
//! assert!(v.global.missing.iter().any(|m| m.check == Check::C5));
//! assert_eq!(v.status.open, vec![Check::C5]);
//! assert_eq!(v.exit_code(), 3);
//! assert_eq!(v.conclusion.machine_name(), "local");
//! ```

#![warn(missing_docs)]

mod decision;
mod input;
mod names;
mod output;
#[cfg(test)]
mod tests;

pub use decision::verdict;
pub use input::*;
pub use names::*;
pub use output::*;
