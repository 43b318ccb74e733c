//! Boxes of the exact cover's bisection grid (`n <= 3`): containment, overlap, volume,
//! `f64` corners, and the grid box around a ball.

use ngd_check::RationalBox;
use rug::Rational;

/// `b` lies inside `e` (exact).
pub(crate) fn inside(b: &RationalBox, e: &RationalBox) -> bool {
    b.lo.iter()
        .zip(&b.hi)
        .zip(e.lo.iter().zip(&e.hi))
        .all(|((bl, bh), (el, eh))| el <= bl && bh <= eh)
}

/// The volume of `b ∩ e` (`f64`), 0 when they do not share interior points (exact test).
pub(crate) fn overlap_volume(b: &RationalBox, e: &RationalBox) -> f64 {
    let mut v = 1.0;
    for i in 0..b.dim() {
        let lo = if b.lo[i] > e.lo[i] {
            &b.lo[i]
        } else {
            &e.lo[i]
        };
        let hi = if b.hi[i] < e.hi[i] {
            &b.hi[i]
        } else {
            &e.hi[i]
        };
        if hi <= lo {
            return 0.0;
        }
        v *= Rational::from(hi - lo).to_f64();
    }
    v
}

/// The volume of `b` (`f64`).
pub(crate) fn volume(b: &RationalBox) -> f64 {
    b.widths().iter().map(Rational::to_f64).product()
}

/// `f64` corners of a box (nearest; for reports and numerical steps only).
pub(crate) fn corners(b: &RationalBox) -> (Vec<f64>, Vec<f64>) {
    (
        b.lo.iter().map(Rational::to_f64).collect(),
        b.hi.iter().map(Rational::to_f64).collect(),
    )
}

/// The smallest box of the bisection grid of `search` that contains the max-norm ball of
/// radius `r` around `c`, clipped to `search`; in coordinate `i` the grid step is the first
/// `W_i / 2^m` at most `r / 2`. `None` when the ball misses the search box.
pub(crate) fn grid_box(search: &RationalBox, c: &[f64], r: f64) -> Option<RationalBox> {
    let mut lo = Vec::with_capacity(c.len());
    let mut hi = Vec::with_capacity(c.len());
    let rq = Rational::from_f64(r)?;
    for i in 0..c.len() {
        let l = &search.lo[i];
        let u = &search.hi[i];
        let w = Rational::from(u - l);
        if w == 0 {
            lo.push(l.clone());
            hi.push(u.clone());
            continue;
        }
        let mut step = w.clone();
        let mut m = 0;
        while m < 60 && step > Rational::from(&rq / 2u32) {
            step /= 2u32;
            m += 1;
        }
        let ci = Rational::from_f64(c[i])?;
        let a = Rational::from(&ci - &rq) - l;
        let b = Rational::from(&ci + &rq) - l;
        let ja = Rational::from(&a / &step).floor().numer().clone();
        let jb = Rational::from(&b / &step).ceil().numer().clone();
        let mut bl = &step * Rational::from(ja) + l;
        let mut bh = &step * Rational::from(jb) + l;
        if bl < *l {
            bl = l.clone();
        }
        if bh > *u {
            bh = u.clone();
        }
        if bh <= bl {
            return None;
        }
        lo.push(bl);
        hi.push(bh);
    }
    RationalBox::new(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_boxes_contain_the_ball_and_sit_on_the_bisection_grid() {
        let search = RationalBox::cube(2, 3);
        let b = grid_box(&search, &[1.0, 1.0], 0.02).unwrap();
        for i in 0..2 {
            assert!(b.lo[i] <= Rational::from((98, 100)));
            assert!(b.hi[i] >= Rational::from((102, 100)));
            assert!(Rational::from(&b.hi[i] - &b.lo[i]).to_f64() <= 0.04 + 0.02 + 1e-12);
        }
        // Bisecting the search box reaches the sides of b exactly.
        let mut boxes = vec![search.clone()];
        for _ in 0..2 * 12 {
            boxes = boxes
                .iter()
                .flat_map(|x| {
                    let (l, r) = x.bisect();
                    [l, r]
                })
                .filter(|x| overlap_volume(x, &b) > 0.0)
                .collect();
        }
        let inner: f64 = boxes.iter().filter(|x| inside(x, &b)).map(volume).sum();
        assert!(
            (inner - volume(&b)).abs() < 1e-15,
            "{inner} vs {}",
            volume(&b)
        );
        // Outside the search box: clipped, or none.
        let c = grid_box(&search, &[3.0, 0.0], 0.1).unwrap();
        assert_eq!(c.hi[0], Rational::from(3));
        assert!(grid_box(&search, &[5.0, 0.0], 0.1).is_none());
    }

    #[test]
    fn overlap_needs_shared_interior() {
        let a = RationalBox::cube(2, 1);
        let b = RationalBox::new(
            vec![Rational::from(1), Rational::from(0)],
            vec![Rational::from(2), Rational::from(1)],
        )
        .unwrap();
        assert_eq!(overlap_volume(&a, &b), 0.0);
        assert!(!inside(&b, &a));
        assert!(inside(&a, &RationalBox::cube(2, 1)));
    }
}
