//! Interval enclosures of one tape output over a box: natural, and centred (mean value)
//! where that is sound.
//!
//! Contract: an `Ok` enclosure contains the value of output 0 at every point of the box
//! where it is defined. The centred form `e(c) + grad e(B) . (B - c)` is used only when the
//! tape is proved smooth on the box ([`Tape::eval_interval_smooth`]): the symbolic derivative
//! of `sign` is `0`, which is false across a jump, and the derivative of `abs`, `max`, `min`
//! or a root does not bound the slope across a kink. Elsewhere only the natural enclosure is
//! used.

use inari::Interval;
use ngd_eval::Tape;

/// Which form produced an enclosure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnclosureForm {
    /// Natural interval evaluation of the expression.
    Natural,
    /// Natural intersected with the centred (mean value) form.
    Centred,
}

/// A proved enclosure of output 0 of a tape over a box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Enclosure {
    /// Contains every value of the output on the box (where it is defined).
    pub value: Interval,
    /// How it was obtained.
    pub form: EnclosureForm,
    /// Whether every nonsmooth operation of the tape is away from its kink on the box.
    pub smooth: bool,
}

/// Reusable buffers for [`enclose`].
#[derive(Default)]
pub struct EncloseScratch {
    slots: Vec<Interval>,
    out: Vec<Interval>,
    grad: Vec<Interval>,
}

/// Encloses output 0 of `tape` over the box `xs`, centred at the point box `centre`.
///
/// When the tape has `1 + n` outputs, outputs `1..` must be the gradient of output 0; the
/// centred form is then intersected with the natural one on boxes where the tape is smooth.
/// `None` when interval evaluation fails on the box (a possible pole or domain boundary).
pub fn enclose(
    tape: &Tape,
    xs: &[Interval],
    centre: &[Interval],
    scratch: &mut EncloseScratch,
) -> Option<Enclosure> {
    let n = xs.len();
    scratch.out.clear();
    scratch.out.resize(tape.n_outputs(), Interval::ENTIRE);
    let smooth = tape
        .eval_interval_smooth(xs, &mut scratch.slots, &mut scratch.out)
        .ok()?;
    let natural = scratch.out[0];
    let natural_only = Enclosure {
        value: natural,
        form: EnclosureForm::Natural,
        smooth,
    };
    if !smooth || tape.n_outputs() != 1 + n {
        return Some(natural_only);
    }
    scratch.grad.clear();
    scratch.grad.extend_from_slice(&scratch.out[1..]);
    if tape
        .eval_into::<Interval>(&(), centre, &mut scratch.slots, &mut scratch.out)
        .is_err()
    {
        return Some(natural_only);
    }
    let mut centred = scratch.out[0];
    for i in 0..n {
        centred += scratch.grad[i] * (xs[i] - centre[i]);
    }
    let both = natural.intersection(centred);
    if both.is_empty() {
        return Some(natural_only);
    }
    Some(Enclosure {
        value: both,
        form: EnclosureForm::Centred,
        smooth,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pt;
    use ngd_expr::{Arena, Func, Rational};

    fn with_grad(build: impl FnOnce(&mut Arena) -> ngd_expr::ExprId) -> Tape {
        let mut a = Arena::new(vec!["x".into(), "y".into()]);
        let e = build(&mut a);
        let mut outs = vec![e];
        outs.extend(a.gradient(e));
        Tape::compile(&a, &outs)
    }

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval::try_from((lo, hi)).unwrap()
    }

    #[test]
    fn a_jump_in_the_box_falls_back_to_the_natural_enclosure() {
        // sign(x - 1/100): the symbolic gradient is 0, the centre value 1.
        let t = with_grad(|a| {
            let x = a.var(0);
            let c = a.constant(Rational::from((1, 100)));
            let u = a.sub(x, c);
            a.func(Func::Sign, u)
        });
        let xs = [iv(-1.0, 1.0), iv(0.0, 1.0)];
        let cs = [pt(0.5), pt(0.5)];
        let e = enclose(&t, &xs, &cs, &mut EncloseScratch::default()).unwrap();
        assert_eq!(e.form, EnclosureForm::Natural);
        assert!(!e.smooth);
        assert!(e.value.inf() <= -1.0, "{e:?}");
    }

    #[test]
    fn away_from_the_kink_the_centred_form_is_used() {
        let t = with_grad(|a| {
            let x = a.var(0);
            let y = a.var(1);
            let s = a.mul2(x, y);
            a.func(Func::Abs, s)
        });
        let xs = [iv(1.0, 1.5), iv(1.0, 1.5)];
        let cs = [pt(1.25), pt(1.25)];
        let e = enclose(&t, &xs, &cs, &mut EncloseScratch::default()).unwrap();
        assert!(e.smooth);
        assert!(e.value.inf() >= 1.0 - 1e-12 && e.value.sup() <= 2.25 + 1e-12);
    }

    #[test]
    fn max_min_and_roots_at_their_kinks_are_not_smooth() {
        for build in [
            (|a: &mut Arena| {
                let x = a.var(0);
                let y = a.var(1);
                a.max(x, y)
            }) as fn(&mut Arena) -> ngd_expr::ExprId,
            |a: &mut Arena| {
                let x = a.var(0);
                a.pow(x, Rational::from((1, 3)))
            },
        ] {
            let t = with_grad(build);
            let xs = [iv(-0.5, 0.5), iv(-0.5, 0.5)];
            let cs = [pt(0.0), pt(0.0)];
            if let Some(e) = enclose(&t, &xs, &cs, &mut EncloseScratch::default()) {
                assert_eq!(e.form, EnclosureForm::Natural);
            }
        }
    }
}
