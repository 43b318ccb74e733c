//! The whole exact cover re-checked from its bisection tree (`decrease.cover.tree`).

use super::{number, search_box, show, CoverModel, ExactBox};
use crate::interval::MAX_SPLIT_DEPTH;
use crate::Failure;

/// Bisection levels for `phi <= level` on a sublevel leaf: `phi` is a square near `S`
/// (`psi^2`) whose expanded monomials cancel, so its enclosure needs small pieces.
const LEVEL_SPLIT_DEPTH: u32 = 12;
use rug::Rational;
use serde_json::Value;
use std::collections::VecDeque;

/// An excluded neighbourhood of a point of `S`, checked to be one: it contains the max-norm
/// ball of the requested radius around its centre and lies in the ball of its printed radius.
struct Ball {
    lo: Vec<Rational>,
    hi: Vec<Rational>,
}

/// How the leaves of one kind were counted (to compare with the printed counts).
#[derive(Default)]
struct Counts {
    examined: usize,
    excluded: usize,
    disjoint: usize,
    certified: usize,
    undecided: usize,
}

/// What a leaf may rely on: the model, the excluded balls and sublevel, the certified `c`.
struct Leaves<'a> {
    model: &'a CoverModel,
    balls: Vec<Ball>,
    phi_below: Option<f64>,
    min_c: Option<f64>,
    proved: bool,
}

fn mismatch(what: impl Into<String>) -> Option<Failure> {
    Some(Failure::CoverMismatch { what: what.into() })
}

/// `None` when every leaf of the tree re-checks and the counts match the printed ones.
pub fn check_tree(
    model: &CoverModel,
    case: &Value,
    cover: &Value,
    exclusion: &Value,
    tree: &str,
) -> Option<Failure> {
    let Some(root) = search_box(case).filter(|b| b.lo.len() == model.n_vars()) else {
        return mismatch("the case's search box does not match the variables");
    };
    let balls = match read_balls(cover, exclusion, root.lo.len()) {
        Ok(b) => b,
        Err(e) => return mismatch(e),
    };
    let leaves = Leaves {
        model,
        balls,
        phi_below: number(&cover["level_exclusion"]["phi_below"]),
        min_c: number(&cover["min_c"]).filter(|c| *c > 0.0),
        proved: cover["evidence"].as_str() == Some("proved"),
    };
    let mut counts = Counts::default();
    let mut queue = VecDeque::from([root]);
    for (i, letter) in tree.chars().enumerate() {
        let Some(b) = queue.pop_front() else {
            return mismatch(format!("letter {i} of the tree has no box left"));
        };
        counts.examined += 1;
        if letter == 'b' {
            let (lower, upper) = b.bisect();
            queue.extend([lower, upper]);
            continue;
        }
        if let Some(f) = leaves.check(letter, &b, &mut counts) {
            return Some(f);
        }
    }
    if !queue.is_empty() {
        return mismatch(format!("{} boxes of the tree have no letter", queue.len()));
    }
    compare_counts(cover, &counts)
}

impl Leaves<'_> {
    /// `None` when the leaf `b` is what its letter claims.
    fn check(&self, letter: char, b: &ExactBox, counts: &mut Counts) -> Option<Failure> {
        let xs = b.intervals();
        let holds = match letter {
            'x' => {
                counts.excluded += 1;
                self.excluded(b, &xs)
            }
            'd' => {
                counts.disjoint += 1;
                self.model.disjoint(&xs, MAX_SPLIT_DEPTH)
            }
            'c' => {
                counts.certified += 1;
                self.min_c.is_some_and(|c| {
                    self.model
                        .certifies(&xs, b.half_largest_side(), c, MAX_SPLIT_DEPTH)
                })
            }
            'u' => {
                counts.undecided += 1;
                !self.proved
            }
            other => return mismatch(format!("unknown letter `{other}` in the tree")),
        };
        if holds {
            return None;
        }
        Some(Failure::BoxNotProved {
            what: format!("the leaf `{letter}` on {}", show(&xs)),
        })
    }

    /// Inside an excluded ball, or (a set `S`) `phi` proved at most the sublevel bound.
    fn excluded(&self, b: &ExactBox, xs: &[inari::Interval]) -> bool {
        self.balls.iter().any(|ball| b.inside(&ball.lo, &ball.hi))
            || self
                .phi_below
                .is_some_and(|level| self.model.phi_at_most(xs, level, LEVEL_SPLIT_DEPTH))
    }
}

/// The printed balls, each checked against its centre and radii and the exclusion rule
/// (`requested_radius <= radius * max(1, |centre|)`).
fn read_balls(cover: &Value, exclusion: &Value, n: usize) -> Result<Vec<Ball>, String> {
    let printed = cover["balls"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let rule = number(&exclusion["radius"]);
    let mut balls = Vec::new();
    for (i, ball) in printed.iter().enumerate() {
        let bad = || format!("ball {i} of the cover");
        let vector = |key: &str| -> Option<Vec<Rational>> {
            let a = ball[key].as_array().filter(|a| a.len() == n)?;
            a.iter().map(|v| Rational::from_f64(number(v)?)).collect()
        };
        let (Some(centre), Some(lo), Some(hi)) = (vector("centre"), vector("lo"), vector("hi"))
        else {
            return Err(bad());
        };
        let radius = number(&ball["radius"]).and_then(Rational::from_f64);
        let requested = number(&ball["requested_radius"]).and_then(Rational::from_f64);
        let (Some(radius), Some(requested), Some(rule)) = (radius, requested, rule) else {
            return Err(bad());
        };
        let norm = centre
            .iter()
            .map(|c| c.to_f64().powi(2))
            .sum::<f64>()
            .sqrt();
        // The rule's product is computed in f64: allow its rounding, nothing more.
        if requested.to_f64() > rule * norm.max(1.0) * (1.0 + 1e-12) {
            return Err(format!("{} is larger than the exclusion rule", bad()));
        }
        for k in 0..n {
            let (near_lo, near_hi) = (
                Rational::from(&centre[k] - &requested),
                Rational::from(&centre[k] + &requested),
            );
            // The printed box is `centre +- radius` computed in `f64`: its corners may lie
            // one rounding outside the exact ball (a centre of `2e-72` next to a radius of
            // `0.0234375`). The inner bounds, which the exclusion relies on, stay exact.
            let rounding = Rational::from_f64(f64::EPSILON).unwrap_or_default()
                * (centre[k].clone().abs() + &radius);
            let (far_lo, far_hi) = (
                Rational::from(&centre[k] - &radius) - &rounding,
                Rational::from(&centre[k] + &radius) + &rounding,
            );
            if !(far_lo <= lo[k] && lo[k] <= near_lo && near_hi <= hi[k] && hi[k] <= far_hi) {
                return Err(format!("{} is not a box between its radii", bad()));
            }
        }
        balls.push(Ball { lo, hi });
    }
    Ok(balls)
}

/// The printed counts of the cover against the tree's.
fn compare_counts(cover: &Value, counts: &Counts) -> Option<Failure> {
    let rows = [
        ("examined", counts.examined),
        ("excluded", counts.excluded),
        ("disjoint", counts.disjoint),
        ("certified", counts.certified),
        ("undecided", counts.undecided),
    ];
    for (key, found) in rows {
        if cover[key].as_u64() != Some(found as u64) {
            return mismatch(format!(
                "`{key}` is printed as {}, the tree has {found}",
                cover[key]
            ));
        }
    }
    None
}
