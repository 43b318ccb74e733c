//! The SOS benchmark (`bash bench/run.sh --only sos`): for the product family
//! `f = (x_1 ... x_n - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`, the C4 numerator
//! `-grad g^T Hess(phi) grad g` proved a sum of squares, with the SDP sizes before and after the
//! reductions and the time of the whole search (SDP, rounding, exact check), best of 3.

use ngd_algebra::Poly;
use ngd_sos::{prove_nonnegative, SosOptions, SosOutcome};
use std::time::Instant;

/// `-grad g^T Hess(phi) grad g` for the product family in `n` variables.
fn target(n: usize) -> Poly {
    let x: Vec<Poly> = (0..n).map(|i| Poly::var(i, n)).collect();
    let g = x
        .iter()
        .fold(Poly::constant(1.into(), n), |acc, xi| acc.mul(xi))
        .sub(&Poly::constant(1.into(), n));
    let mut phi = Poly::zero(n);
    for i in 0..n {
        for j in i + 1..n {
            let d = x[i].mul(&x[i]).sub(&x[j].mul(&x[j]));
            phi = phi.add(&d.mul(&d));
        }
    }
    let grad: Vec<Poly> = (0..n).map(|i| g.derivative(i)).collect();
    let mut num = Poly::zero(n);
    for i in 0..n {
        for j in 0..n {
            let h = phi.derivative(i).derivative(j);
            num = num.add(&grad[i].mul(&h).mul(&grad[j]));
        }
    }
    Poly::zero(n).sub(&num)
}

fn main() {
    println!(
        "{:<10} {:>6} {:>8} {:>8} {:>7} {:>9} {:>10} {:>8} {:>10}",
        "case", "terms", "basis", "reduced", "kernel", "unknowns", "equations", "1/denom", "time"
    );
    for n in 3..=6 {
        let p = target(n);
        let mut best = f64::INFINITY;
        let mut outcome = None;
        for _ in 0..3 {
            let start = Instant::now();
            let o = prove_nonnegative(&p, &[], &SosOptions::default());
            best = best.min(start.elapsed().as_secs_f64());
            outcome = Some(o);
        }
        match outcome.expect("ran") {
            SosOutcome::Proved(c) => {
                let s = c.sizes;
                println!(
                    "{:<10} {:>6} {:>8} {:>8} {:>7} {:>9} {:>10} {:>8} {:>8.1} ms",
                    format!("product{n}"),
                    p.len(),
                    s.basis.full,
                    s.basis.reduced,
                    s.kernel,
                    s.unknowns,
                    s.equations,
                    s.denominator,
                    best * 1e3
                );
            }
            SosOutcome::NotFound { reason, .. } => {
                println!("product{n}: no certificate ({reason:?})");
            }
        }
    }
}
