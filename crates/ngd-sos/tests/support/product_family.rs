//! The paper's product family, shared by `tests/products.rs` and `examples/sos_timing.rs`:
//! `f = (x_1 ... x_n - 1)^2`, `phi = sum_{i<j} (x_i^2 - x_j^2)^2`. The numerator of `Q` along
//! `M` is `N = grad g^T Hess phi grad g` (`g = x_1 ... x_n - 1`); `-N` is a sum of squares.

use ngd_algebra::Poly;

/// `-grad g^T Hess(phi) grad g` for the product family in `n` variables, built by polynomial
/// arithmetic (independently of `ngd-decrease`).
pub fn minus_numerator(n: usize) -> Poly {
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
