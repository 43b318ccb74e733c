#!/usr/bin/env python3
"""The benchmark cases of ngd-verify's peer comparison, as strings.

Run `python3 bench/cases.py` to (re)write `bench/cases.json`. That JSON file is the single
source of the case strings: the Rust side (`crates/ngd-bench`, which embeds it at compile
time), the whole-process CLI runs and every Python peer script read it, so both sides parse
exactly the same text. Expressions use `**` for powers: the ngd-verify parser accepts it,
SymPy and SymEngine parse it, and python-flint (which has no parser) evaluates it in a
namespace of polynomial generators.

Jobs:
* identity: `f`, `phi`; the question is whether <grad f, grad phi> == 0 identically.
* discovery: the residuals `g_k` of `f = sum_k g_k^2` and a degree bound `d`; the question is
  the space of polynomials psi of degree 1..d with <grad g_k, grad psi> == 0 for every k.
* ngd: `f`, the number of starts S, the iteration count and the start rule.
* sos: the product family in n variables (`f = (x1 ... xn - 1)**2`,
  `phi = sum_{i<j} (xi**2 - xj**2)**2`); the question is an SOS certificate of C4's numerator
  `-grad g^T Hess(phi) grad g` (`g = x1 ... xn - 1`). Both sides build that polynomial from n
  by the same definition (ngd-bench from crates/ngd-sos/tests/support/product_family.rs); the
  peer checks that it equals ngd-bench's expanded terms.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def product_vars(n):
    """x1 .. xn."""
    return ["x%d" % (i + 1) for i in range(n)]


def product_residual(n):
    """x1*x2*...*xn - 1."""
    return "*".join(product_vars(n)) + " - 1"


def matrix_vars(n):
    """Entries of two n x n factors, row-major: X_i_k then Y_j_k (1-based)."""
    xs = ["X_%d_%d" % (i, k) for i in range(1, n + 1) for k in range(1, n + 1)]
    ys = ["Y_%d_%d" % (j, k) for j in range(1, n + 1) for k in range(1, n + 1)]
    return xs + ys


def matrix_residuals(n):
    """Entries of X Y^T - M with M = diag(1, ..., n)."""
    out = []
    for i in range(1, n + 1):
        for j in range(1, n + 1):
            s = " + ".join("X_%d_%d*Y_%d_%d" % (i, k, j, k) for k in range(1, n + 1))
            out.append("%s - %d" % (s, i) if i == j else s)
    return out


def matrix_balance(n):
    """phi = ||X^T X - Y^T Y||_F^2, conserved by the flow of ||X Y^T - M||_F^2."""
    terms = []
    for a in range(1, n + 1):
        for b in range(1, n + 1):
            xx = " + ".join("X_%d_%d*X_%d_%d" % (k, a, k, b) for k in range(1, n + 1))
            yy = " - ".join("Y_%d_%d*Y_%d_%d" % (k, a, k, b) for k in range(1, n + 1))
            terms.append("(%s - %s)**2" % (xx, yy))
    return " + ".join(terms)


def sum_of_squares(residuals):
    return " + ".join("(%s)**2" % g for g in residuals)


def identity_cases():
    cases = [
        ("xy", ["x", "y"], "(x*y - 1)**2", "(x**2 - y**2)**2", True, False),
        # negative control: <grad f, grad phi> = 8 x y (x y - 1) is not identically zero
        ("xy_neg", ["x", "y"], "(x*y - 1)**2", "x**2 + y**2", False, False),
    ]
    for n in (8, 16, 32):
        v = product_vars(n)
        phi = " + ".join(
            "(%s**2 - %s**2)**2" % (v[i], v[j]) for i in range(n) for j in range(i + 1, n)
        )
        cases.append(("prod%d" % n, v, "(%s)**2" % product_residual(n), phi, True, n == 32))
    for n in (3, 4, 6):
        f = sum_of_squares(matrix_residuals(n))
        cases.append(("mat%d" % n, matrix_vars(n), f, matrix_balance(n), True, n == 6))
    return [
        {"name": name, "vars": v, "f": f, "phi": phi, "conserved": ok, "large": large}
        for name, v, f, phi, ok, large in cases
    ]


def expected_dim(kind, n, d):
    """Dimension of the conserved polynomials of degree 1..d (derivation in RESULTS.md)."""
    if kind == "xy":
        return d // 2  # (x^2 - y^2)^k
    if kind == "prod":
        k = n - 1  # polynomials in u_i = x_i^2 - x_n^2
        return k if d == 2 else k + k * (k + 1) // 2
    return n * (n + 1) // 2  # entries of X^T X - Y^T Y (no new cubic laws)


def discovery_cases():
    specs = [("xy", 2, d) for d in (2, 4, 6)]
    specs += [("prod", n, d) for n in (3, 4, 6) for d in (2, 4)]
    specs += [("mat", 2, 2), ("mat", 3, 2), ("mat", 3, 3)]
    out = []
    for kind, n, d in specs:
        if kind == "xy":
            name, v, gs = "xy_d%d" % d, ["x", "y"], ["x*y - 1"]
        elif kind == "prod":
            name, v, gs = "prod%d_d%d" % (n, d), product_vars(n), [product_residual(n)]
        else:
            name, v, gs = "mat%d_d%d" % (n, d), matrix_vars(n), matrix_residuals(n)
        out.append({
            "name": name, "vars": v, "g": gs, "f": sum_of_squares(gs), "degree": d,
            "expected_dim": expected_dim(kind, n, d), "large": name == "mat3_d3",
        })
    return out


def first_primes(k):
    ps, c = [], 2
    while len(ps) < k:
        if all(c % p for p in ps):
            ps.append(c)
        c += 1
    return ps


def ngd_cases():
    """NGD runs. Starts (hand loop, NumPy, JAX): x[s][i] = lo + (hi - lo) frac((s + 1) alpha_i)
    with alpha_i = frac(sqrt(p_i)), p_i the i-th prime; ngd-verify's harness draws its starts
    uniformly from the same box with its own seeded generator."""
    out = []
    for name, case, v, f, s, iters, np_iters in [
        ("xy_S1", "xy", ["x", "y"], "(x*y - 1)**2", 1, 1_000_000, 10_000),
        ("xy_S1024", "xy", ["x", "y"], "(x*y - 1)**2", 1024, 100_000, 10_000),
        ("prod8_S256", "prod8", product_vars(8), "(%s)**2" % product_residual(8), 256,
         100_000, 10_000),
    ]:
        alphas = [math.sqrt(p) % 1.0 for p in first_primes(len(v))]
        out.append({
            "name": name, "case": case, "vars": v, "f": f, "starts": s, "iterations": iters,
            "numpy_iterations": np_iters, "a0": 0.1, "power": 0.5, "box": [0.2, 1.8],
            "alphas": alphas,
        })
    return out


def sos_cases():
    """The product family of the SOS job (f and phi are informative: both sides build the
    target from n, see the module docstring)."""
    out = []
    for n in range(3, 7):
        v = product_vars(n)
        phi = " + ".join("(%s**2 - %s**2)**2" % (v[i], v[j]) for i in range(n)
                         for j in range(i + 1, n))
        out.append({"name": "product%d" % n, "n": n, "vars": v,
                    "f": "(%s)**2" % product_residual(n), "phi": phi})
    return out


def main():
    data = {
        "_comment": "generated by bench/cases.py; edit that file, not this one",
        "identity": identity_cases(),
        "discovery": discovery_cases(),
        "ngd": ngd_cases(),
        "sos": sos_cases(),
    }
    path = os.path.join(HERE, "cases.json")
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")
    print("wrote %s" % path)


if __name__ == "__main__":
    main()
