//! The paper's product family: `f = (x_1 ... x_n - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`.
//! The numerator of `Q` along `M` is `N = grad g^T Hess phi grad g` (`g = x_1 ... x_n - 1`);
//! `-N` is a sum of squares, so `Q <= 0` everywhere. The sizes are reported for the bench.

use ngd_algebra::Poly;
use ngd_sos::{prove_nonnegative, SosOptions, SosOutcome};

/// `-grad g^T Hess phi grad g` for the product family in `n` variables.
fn minus_numerator(n: usize) -> Poly {
    let x: Vec<Poly> = (0..n).map(|i| Poly::var(i, n)).collect();
    let mut g = Poly::constant(1.into(), n);
    for xi in &x {
        g = g.mul(xi);
    }
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

#[test]
fn the_product_family_decrease_is_a_sum_of_squares() {
    for n in 3..=6 {
        let p = minus_numerator(n);
        let outcome = prove_nonnegative(&p, &[], &SosOptions::default());
        let SosOutcome::Proved(c) = &outcome else {
            panic!("product{n}: {outcome:?}");
        };
        assert!(c.verify(&p, &[]).is_ok());
        eprintln!("product{n}: {:?}", c.sizes);
    }
}
