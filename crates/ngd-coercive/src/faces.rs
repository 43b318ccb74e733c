//! The faces of the cube `[-1, 1]^n`, their reduction by sign symmetries, and interval branch
//! and bound on them.
//!
//! Face boxes have dyadic corners (`-1, 0, 1` and midpoints of those), which are exact in
//! `f64`: every box below is an exact box, its interval coordinates are exact, and the
//! enclosures (`inari`, outward rounded) are sound. Bisection stops long before the dyadics
//! run out of `f64` precision (the minimum width is far above `2^-50`).

use crate::expand::as_polynomial;
use inari::Interval;
use ngd_algebra::canonicalize;
use ngd_certify::{pt, sign_witness, value_at, EncloseScratch, PointValue};
use ngd_eval::Tape;
use ngd_expr::{Arena, ExprId, Rational};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::Serialize;

/// An exact box with `f64` (dyadic) corners.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FBox {
    pub(crate) lo: Vec<f64>,
    pub(crate) hi: Vec<f64>,
}

impl FBox {
    fn width(&self) -> f64 {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| b - a)
            .fold(0.0, f64::max)
    }

    fn center(&self) -> Vec<f64> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(a, b)| 0.5 * (a + b))
            .collect()
    }

    fn intervals(&self) -> Vec<Interval> {
        self.lo
            .iter()
            .zip(&self.hi)
            .map(|(&a, &b)| Interval::try_from((a, b)).expect("nonempty box"))
            .collect()
    }

    fn bisect(&self) -> (FBox, FBox) {
        let mut k = 0;
        let mut best = -1.0;
        for i in 0..self.lo.len() {
            let w = self.hi[i] - self.lo[i];
            if w > best {
                best = w;
                k = i;
            }
        }
        let mid = 0.5 * (self.lo[k] + self.hi[k]);
        let mut l = self.clone();
        let mut r = self.clone();
        l.hi[k] = mid;
        r.lo[k] = mid;
        (l, r)
    }
}

/// The faces to examine for an expression `h(u)` (the rest follow by a sign symmetry of `h`).
#[derive(Clone, Debug)]
pub(crate) struct Faces {
    pub(crate) boxes: Vec<FBox>,
    /// The sign symmetries used, when any.
    pub(crate) symmetry: Option<FaceSymmetry>,
}

/// Sign symmetries `h(s u) = h(u)` of the form on the faces, used to skip faces.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FaceSymmetry {
    /// The number of nontrivial sign symmetries (`2^r - 1` for `r` independent flips).
    pub symmetries: u64,
    /// Faces examined.
    pub faces_examined: usize,
    /// Faces of the cube `[-1, 1]^n` (`2n`).
    pub faces_total: usize,
    /// Coordinates restricted to `[0, 1]` on the examined faces.
    pub restricted_coordinates: usize,
}

/// Why a branch and bound over faces stopped undecided.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BnbStop {
    /// A box centre is at or below the (positive) threshold: the threshold is not below the
    /// minimum.
    ThresholdNotBelowMinimum,
    /// A box narrower than the minimum width could not be decided (the form may vanish there).
    BoxTooSmall {
        /// Its width.
        width: f64,
    },
    /// The box budget of this run is exhausted.
    BoxBudget {
        /// The budget.
        max_boxes: usize,
    },
    /// The total box budget of the coercivity search is exhausted.
    TotalBudget {
        /// The budget.
        total_boxes: usize,
    },
}

/// Exact test of `h(s u) = h(u)` for the sign flip `s` (bit `j` set: `u_j -> -u_j`).
fn invariant_under(arena: &mut Arena, h: ExprId, mask: u64) -> bool {
    let n = arena.n_vars();
    let subst: Vec<ExprId> = (0..n)
        .map(|j| {
            let v = arena.var(j);
            if mask >> j & 1 == 1 {
                arena.neg(v)
            } else {
                v
            }
        })
        .collect();
    let flipped = arena.substitute(h, &subst);
    if flipped == h {
        return true;
    }
    let d = arena.sub(flipped, h);
    // Equal almost everywhere; both sides are continuous where used (polynomials, |.|,
    // max), so equal everywhere on the faces.
    canonicalize(arena, d).is_ok_and(|c| c.is_zero())
}

/// A basis (over GF(2)) of the sign flips leaving `h` invariant.
fn symmetry_basis(arena: &mut Arena, h: ExprId) -> Vec<u64> {
    let n = arena.n_vars();
    if n > 60 {
        return Vec::new();
    }
    if let Some(p) = as_polynomial(arena, h) {
        // s leaves p invariant iff every monomial has an even exponent sum on the flipped
        // coordinates: the nullspace of the parity matrix.
        let mut rows: Vec<u64> = p
            .terms()
            .map(|(e, _)| {
                e.iter()
                    .enumerate()
                    .fold(0u64, |m, (j, &k)| m | (((k & 1) as u64) << j))
            })
            .filter(|&m| m != 0)
            .collect();
        rows.sort_unstable();
        rows.dedup();
        return nullspace_gf2(&rows, n);
    }
    let mut gens = Vec::new();
    for j in 0..n {
        if invariant_under(arena, h, 1 << j) {
            gens.push(1u64 << j);
        }
    }
    let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    if invariant_under(arena, h, all) {
        gens.push(all);
    }
    reduce_basis(gens)
}

/// Gaussian elimination: a basis of `{ s : row . s = 0 mod 2 for every row }`.
fn nullspace_gf2(rows: &[u64], n: usize) -> Vec<u64> {
    let mut rows: Vec<u64> = rows.to_vec();
    let mut pivots: Vec<(usize, u64)> = Vec::new();
    let mut r = 0;
    for col in 0..n {
        let Some(p) = (r..rows.len()).find(|&i| rows[i] >> col & 1 == 1) else {
            continue;
        };
        rows.swap(r, p);
        let pr = rows[r];
        for (i, row) in rows.iter_mut().enumerate() {
            if i != r && *row >> col & 1 == 1 {
                *row ^= pr;
            }
        }
        pivots.push((col, pr));
        r += 1;
    }
    let pivot_cols: Vec<usize> = pivots.iter().map(|p| p.0).collect();
    let mut basis = Vec::new();
    for free in (0..n).filter(|c| !pivot_cols.contains(c)) {
        let mut s = 1u64 << free;
        for &(col, row) in &pivots {
            if row >> free & 1 == 1 {
                s |= 1u64 << col;
            }
        }
        basis.push(s);
    }
    reduce_basis(basis)
}

/// Reduced row echelon form over GF(2), pivot = lowest set bit; zero vectors dropped.
fn reduce_basis(vs: Vec<u64>) -> Vec<u64> {
    let mut basis: Vec<u64> = Vec::new();
    for mut v in vs {
        for &b in &basis {
            let p = b.trailing_zeros();
            if v >> p & 1 == 1 {
                v ^= b;
            }
        }
        if v == 0 {
            continue;
        }
        let p = v.trailing_zeros();
        for b in basis.iter_mut() {
            if *b >> p & 1 == 1 {
                *b ^= v;
            }
        }
        basis.push(v);
    }
    basis.sort_unstable_by_key(|b| b.trailing_zeros());
    basis
}

/// The faces of `[-1, 1]^n` for `h`, reduced by its sign symmetries: a face `u_i = -1` is
/// dropped when a symmetry flips `u_i`, and within a face, each symmetry of the face's
/// stabilizer (in reduced echelon form) restricts its pivot coordinate to `[0, 1]`.
pub(crate) fn faces_for(arena: &mut Arena, h: ExprId) -> Faces {
    let n = arena.n_vars();
    let basis = symmetry_basis(arena, h);
    let mut boxes = Vec::new();
    let mut restricted = 0usize;
    for i in 0..n {
        let flips_i = basis.iter().any(|b| b >> i & 1 == 1);
        // Stabilizer of the face: eliminate bit i.
        let mut stab: Vec<u64> = Vec::new();
        let mut with_i: Option<u64> = None;
        for &b in &basis {
            if b >> i & 1 == 1 {
                match with_i {
                    None => with_i = Some(b),
                    Some(w) => stab.push(b ^ w),
                }
            } else {
                stab.push(b);
            }
        }
        let stab = reduce_basis(stab);
        let signs: &[f64] = if flips_i { &[1.0] } else { &[1.0, -1.0] };
        for &s in signs {
            let mut lo = vec![-1.0; n];
            let mut hi = vec![1.0; n];
            lo[i] = s;
            hi[i] = s;
            for b in &stab {
                let p = b.trailing_zeros() as usize;
                lo[p] = 0.0;
                restricted += 1;
            }
            boxes.push(FBox { lo, hi });
        }
    }
    let symmetry = (!basis.is_empty()).then(|| FaceSymmetry {
        symmetries: (1u64 << basis.len().min(63)) - 1,
        faces_examined: boxes.len(),
        faces_total: 2 * n,
        restricted_coordinates: restricted,
    });
    Faces { boxes, symmetry }
}

/// Limits of one branch-and-bound run.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    pub(crate) max_boxes: usize,
    pub(crate) min_width: f64,
    /// Boxes spent by every run of the search so far (shared).
    pub(crate) spent: std::rc::Rc<std::cell::Cell<usize>>,
    /// The cap on `spent`.
    pub(crate) total_boxes: usize,
}

/// Outcome of a branch and bound over faces.
#[derive(Clone, Debug)]
pub(crate) enum BnbOutcome {
    /// Every box certified: `h >= lower` (with `lower > 0` in strict mode, `>= 0` otherwise).
    Proved { lower: f64, boxes: usize },
    /// A face point where `h < 0` (certified exactly or by intervals), or `h <= 0` exactly in
    /// strict mode.
    Negative {
        #[allow(dead_code)]
        point: Vec<Rational>,
        #[allow(dead_code)]
        boxes: usize,
    },
    /// Budget exhausted or a box too small to decide.
    Inconclusive {
        reason: BnbStop,
        #[allow(dead_code)]
        boxes: usize,
    },
}

/// A proved enclosure of output 0 of `tape` (outputs: `h, dh/du_1, ..., dh/du_n`) on a
/// face box, by the certification core (centred form only where `h` is smooth on the box).
fn enclose(tape: &Tape, bx: &FBox, scratch: &mut EncloseScratch) -> Option<Interval> {
    let xs = bx.intervals();
    let cs: Vec<Interval> = bx.center().iter().map(|&v| pt(v)).collect();
    ngd_certify::enclose(tape, &xs, &cs, scratch).map(|e| e.value)
}

/// Proves `h > threshold` (strict) or `h >= threshold` on every face box, by bisection with
/// interval enclosures. `tape` has outputs `h, grad h`. With a positive threshold, a box
/// centre where `h <= threshold` in floating point ends the run as inconclusive.
pub(crate) fn bnb(
    tape: &Tape,
    faces: &[FBox],
    threshold: f64,
    strict: bool,
    budget: &Budget,
) -> BnbOutcome {
    let mut boxes = 0usize;
    let mut lower = f64::INFINITY;
    let mut scratch = EncloseScratch::default();
    let mut fscratch = Vec::new();
    let mut fout = vec![0.0; tape.n_outputs()];
    let mut stack: Vec<FBox> = faces.iter().rev().cloned().collect();
    while let Some(b) = stack.pop() {
        boxes += 1;
        let enc = enclose(tape, &b, &mut scratch);
        if let Some(e) = enc {
            let ok = if strict {
                e.inf() > threshold
            } else {
                e.inf() >= threshold
            };
            if ok {
                lower = lower.min(e.inf());
                continue;
            }
        }
        let c = b.center();
        tape.eval_f64(&c, &mut fscratch, &mut fout);
        if threshold > 0.0 && fout[0] <= threshold {
            return BnbOutcome::Inconclusive {
                reason: BnbStop::ThresholdNotBelowMinimum,
                boxes,
            };
        }
        let bad = if strict {
            fout[0] <= 0.0
        } else {
            fout[0] < 0.0
        };
        if bad || fout[0].is_nan() {
            let point: Vec<Rational> = c
                .iter()
                .map(|&v| Rational::from_f64(v).expect("finite"))
                .collect();
            if let Some(w) = sign_witness(tape, 0, &point) {
                if w.sign < 0 {
                    return BnbOutcome::Negative { point, boxes };
                }
            } else if strict {
                if let PointValue::Exact(v) = value_at(tape, 0, &point) {
                    if v == 0 {
                        return BnbOutcome::Negative { point, boxes };
                    }
                }
            }
        }
        if b.width() < budget.min_width {
            return BnbOutcome::Inconclusive {
                reason: BnbStop::BoxTooSmall { width: b.width() },
                boxes,
            };
        }
        if boxes >= budget.max_boxes {
            return BnbOutcome::Inconclusive {
                reason: BnbStop::BoxBudget {
                    max_boxes: budget.max_boxes,
                },
                boxes,
            };
        }
        budget.spent.set(budget.spent.get() + 1);
        if budget.spent.get() >= budget.total_boxes {
            return BnbOutcome::Inconclusive {
                reason: BnbStop::TotalBudget {
                    total_boxes: budget.total_boxes,
                },
                boxes,
            };
        }
        let (l, r) = b.bisect();
        stack.push(r);
        stack.push(l);
    }
    BnbOutcome::Proved {
        lower: lower + 0.0,
        boxes,
    }
}

/// A floating-point estimate of `min h` over the face boxes (sampling and projected descent;
/// numerical only, used to decide which proofs are worth attempting) and where it is.
pub(crate) fn screen_min(
    tape: &Tape,
    faces: &[FBox],
    samples: usize,
    seed: u64,
) -> (f64, Vec<f64>) {
    let n = tape.n_vars();
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut scratch = Vec::new();
    let mut out = vec![0.0; tape.n_outputs()];
    let mut best = (f64::INFINITY, vec![0.0; n]);
    for fb in faces {
        let mut pts: Vec<(f64, Vec<f64>)> = Vec::new();
        let eval = |x: &[f64], scratch: &mut Vec<f64>, out: &mut [f64]| -> f64 {
            tape.eval_f64(x, scratch, out);
            if out[0].is_nan() {
                f64::INFINITY
            } else {
                out[0]
            }
        };
        // Corners of the face (up to 2^6 of them) and random points.
        let free: Vec<usize> = (0..n).filter(|&i| fb.hi[i] > fb.lo[i]).collect();
        if free.len() <= 6 {
            for m in 0..(1usize << free.len()) {
                let mut x = fb.lo.clone();
                for (k, &i) in free.iter().enumerate() {
                    if m >> k & 1 == 1 {
                        x[i] = fb.hi[i];
                    }
                }
                let v = eval(&x, &mut scratch, &mut out);
                pts.push((v, x));
            }
        }
        for _ in 0..samples {
            let x: Vec<f64> = (0..n)
                .map(|i| {
                    if fb.hi[i] > fb.lo[i] {
                        rng.random_range(fb.lo[i]..=fb.hi[i])
                    } else {
                        fb.lo[i]
                    }
                })
                .collect();
            let v = eval(&x, &mut scratch, &mut out);
            pts.push((v, x));
        }
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        pts.truncate(4);
        for (mut v, mut x) in pts {
            // Projected gradient descent with a backtracking step.
            let mut step = 0.25;
            for _ in 0..200 {
                tape.eval_f64(&x, &mut scratch, &mut out);
                let g: Vec<f64> = out[1..].to_vec();
                let gn = g.iter().map(|a| a * a).sum::<f64>().sqrt();
                if !gn.is_finite() || gn == 0.0 {
                    break;
                }
                let y: Vec<f64> = (0..n)
                    .map(|i| (x[i] - step * g[i] / gn).clamp(fb.lo[i], fb.hi[i]))
                    .collect();
                let vy = eval(&y, &mut scratch, &mut out);
                if vy < v {
                    v = vy;
                    x = y;
                    step = (step * 1.5).min(0.5);
                } else {
                    step *= 0.5;
                    if step < 1e-12 {
                        break;
                    }
                }
            }
            if v < best.0 {
                best = (v, x);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullspace_of_parities() {
        // monomials x^2 y^2 and x^4: every flip is a symmetry.
        assert_eq!(nullspace_gf2(&[], 2), vec![1, 2]);
        // monomial x y: only the joint flip.
        assert_eq!(nullspace_gf2(&[0b11], 2), vec![0b11]);
    }

    #[test]
    fn even_form_uses_half_the_faces() {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let x = a.var(0);
        let y = a.var(1);
        let xy = a.mul2(x, y);
        let x4 = a.powi(x, 4);
        let h = a.add2(xy, x4);
        let f = faces_for(&mut a, h);
        assert_eq!(f.boxes.len(), 2);
        let x2 = a.powi(x, 2);
        let y2 = a.powi(y, 2);
        let h2 = a.add2(x2, y2);
        let f2 = faces_for(&mut a, h2);
        assert_eq!(f2.boxes.len(), 2);
        assert!(f2.boxes.iter().all(|b| b.lo.iter().all(|&v| v >= 0.0)));
    }
}
