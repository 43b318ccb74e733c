"""The SOS job on the peer side: the product family's C4 numerator as a sum of squares, with
the Python package SumOfSquares (picos).

usage: python sos_peers.py {picos_cvxopt,clarabel,scs} CASE [--poly FILE] [--reps N]
                           [--budget S] [--once]

CASE is a row of the "sos" list of bench/cases.json (product3 .. product6): for
f = (x1 ... xn - 1)^2, phi = sum_{i<j} (xi^2 - xj^2)^2 and g = x1 ... xn - 1, the target is
-grad g^T Hess(phi) grad g, which ngd-verify proves a sum of squares exactly. The polynomial
is read from --poly FILE (the expanded terms ngd-bench printed for the same case, so both
sides solve the same target) and also rebuilt here with SymPy from the definition; the two
must be equal (the script fails otherwise).

Every implementation solves the program SumOfSquares builds in
`SOSProblem.add_sos_constraint(p, vars, sparse=True)`: one symmetric Gram matrix Q over the
monomial basis that SumOfSquares keeps after its Newton polytope reduction (convex hull of
half the support, scipy), one linear equation per monomial of z z^T (the coefficient of p),
Q positive semidefinite, no objective (a feasibility program).
  picos_cvxopt  SumOfSquares end to end: picos hands the problem to CVXOPT (picos 2.6.2,
                the pinned version, has no Clarabel or SCS interface)
  clarabel      the same basis and equations (SumOfSquares' Basis), passed to Clarabel's
                Python interface directly (PSD triangle cone)
  scs           the same, to SCS (PSD cone)
Each timed call goes from the expanded SymPy polynomial to the solver's answer; "build" is
the basis and the program, "solve" the solver call alone. The answer is a floating-point
Gram matrix: no rounding and no exact check (ngd-verify's side includes both). --once
solves once and prints the status: the cold whole-process run that ngd-bench's `spawn`
times against `ngd-bench sos CASE --once`.
"""
import argparse
import json
import math
import statistics
import time
from fractions import Fraction

from benchlib import case, emit, measure


def product_family(n):
    """-grad g^T Hess(phi) grad g for the product family in n variables, expanded (SymPy)."""
    import sympy as sp

    xs = sp.symbols("x1:%d" % (n + 1))
    g = sp.Mul(*xs) - 1
    phi = sum((xs[i] ** 2 - xs[j] ** 2) ** 2 for i in range(n) for j in range(i + 1, n))
    grad = [sp.diff(g, v) for v in xs]
    num = sum(grad[i] * sp.diff(phi, xs[i], xs[j]) * grad[j] for i in range(n)
              for j in range(n))
    return xs, sp.expand(-num)


def from_terms(xs, terms):
    """The polynomial of ngd-bench's terms [[exponents], "p/q"], over the symbols xs."""
    import sympy as sp

    out = sp.Integer(0)
    for exps, coef in terms:
        c = Fraction(coef)
        out += sp.Rational(c.numerator, c.denominator) * sp.Mul(
            *[v ** e for v, e in zip(xs, exps)])
    return sp.expand(out)


def target(n, poly_file):
    """(symbols, expanded target, whether it equals ngd-bench's polynomial or None)."""
    import sympy as sp

    xs, p = product_family(n)
    if not poly_file:
        return xs, p, None
    with open(poly_file) as fh:
        ours = json.load(fh)
    q = from_terms(xs, ours["terms"])
    if ours["n"] != n or sp.expand(p - q) != 0:
        raise SystemExit("%s (ngd-bench's terms) differs from the SymPy construction of "
                         "product%d" % (poly_file, n))
    return xs, q, True


def program(xs, p):
    """SumOfSquares' sparse basis and its coefficient equations, as add_sos_constraint
    builds them: {monomial: [(i, j), ...]} (both orders of every off-diagonal pair)."""
    import sympy as sp
    from SumOfSquares.basis import Basis

    poly = sp.poly(p, sorted(xs, key=str))
    basis = Basis.from_poly_lex(poly, sparse=True)
    coeffs = {m: float(c) for m, c in zip(poly.monoms(), poly.coeffs())}
    return basis, coeffs


def triangle(n, upper):
    """Index of the entries (i <= j) in the solver's packed order: Clarabel packs the upper
    triangle column by column, SCS the lower one (the same list for a symmetric matrix)."""
    if upper:
        order = [(i, j) for j in range(n) for i in range(j + 1)]
    else:
        order = [(j, i) for j in range(n) for i in range(j, n)]
    return order, {p: k for k, p in enumerate(order)}


def conic_data(basis, coeffs, upper):
    """A x + s = b with s in {0}^m x PSD(n) in svec form (off-diagonals scaled by sqrt 2);
    x = the packed entries of Q. Returns (A csc, b, m, order)."""
    import numpy as np
    import scipy.sparse as sps

    n = len(basis)
    order, index = triangle(n, upper)
    rows, cols, vals, b = [], [], [], []
    for r, (mono, pairs) in enumerate(sorted(basis.sos_sym_entries.items())):
        for i, j in pairs:  # Q[i, j] and Q[j, i] both appear: weight 2 off the diagonal
            rows.append(r)
            cols.append(index[(min(i, j), max(i, j))])
            vals.append(1.0)
        b.append(coeffs.get(mono, 0.0))
    m = len(b)
    for k, (i, j) in enumerate(order):
        rows.append(m + k)
        cols.append(k)
        vals.append(-1.0 if i == j else -math.sqrt(2.0))
    b += [0.0] * len(order)
    A = sps.csc_matrix((vals, (rows, cols)), shape=(m + len(order), len(order)))
    A.sum_duplicates()
    return A, np.array(b), m, order


def gram(x, n, order):
    import numpy as np

    Q = np.zeros((n, n))
    for k, (i, j) in enumerate(order):
        Q[i, j] = Q[j, i] = x[k]
    return Q


def with_clarabel(xs, p):
    import clarabel
    import numpy as np
    import scipy.sparse as sps

    t0 = time.perf_counter()
    basis, coeffs = program(xs, p)
    A, b, m, order = conic_data(basis, coeffs, upper=True)
    nx = A.shape[1]
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    t1 = time.perf_counter()  # the solver's set-up (KKT structure) counts as solving
    solver = clarabel.DefaultSolver(sps.csc_matrix((nx, nx)), np.zeros(nx), A, b,
                                    [clarabel.ZeroConeT(m),
                                     clarabel.PSDTriangleConeT(len(basis))], settings)
    sol = solver.solve()
    t2 = time.perf_counter()
    return result(basis, gram(np.array(sol.x), len(basis), order), str(sol.status),
                  sol.iterations, t1 - t0, t2 - t1, sol.solve_time)


def with_scs(xs, p):
    import numpy as np
    import scs

    t0 = time.perf_counter()
    basis, coeffs = program(xs, p)
    A, b, m, order = conic_data(basis, coeffs, upper=False)
    nx = A.shape[1]
    t1 = time.perf_counter()  # the solver's set-up (factorization) counts as solving
    solver = scs.SCS({"A": A, "b": b, "c": np.zeros(nx)}, {"z": m, "s": [len(basis)]},
                     verbose=False)
    sol = solver.solve()
    t2 = time.perf_counter()
    info = sol["info"]
    return result(basis, gram(sol["x"], len(basis), order), info["status"], info["iter"],
                  t1 - t0, t2 - t1, (info["setup_time"] + info["solve_time"]) / 1e3)


def with_picos(xs, p):
    import numpy as np
    from SumOfSquares import SOSProblem

    t0 = time.perf_counter()
    prob = SOSProblem()
    const = prob.add_sos_constraint(p, list(xs), sparse=True)
    t1 = time.perf_counter()
    sol = prob.solve(solver="cvxopt")
    t2 = time.perf_counter()
    Q = np.array(const.Qval)
    info = sol.info if isinstance(sol.info, dict) else {}
    return result(const.basis, Q, str(sol.claimedStatus), info.get("iterations"), t1 - t0,
                  t2 - t1, sol.searchTime)


def result(basis, Q, status, iterations, build_s, solve_s, search_s):
    """The numerical answer checked in floating point: the smallest eigenvalue of Q and the
    largest residual of the coefficient equations (relative to the largest coefficient).
    solve_s is the wall time of the solver call, search_s the time the solver reports for
    its own iterations (without picos' or the wrapper's conversions)."""
    import numpy as np

    return {"status": status, "iterations": iterations, "basis": len(basis),
            "gram_unknowns": len(basis) * (len(basis) + 1) // 2,
            "equations": len(basis.sos_sym_entries),
            "min_eigenvalue": float(np.linalg.eigvalsh(Q).min()) if len(basis) else 0.0,
            "Q": Q, "build_s": build_s, "solve_s": solve_s, "search_s": search_s}


def residual(Q, basis, coeffs):
    """Largest |coefficient of z^T Q z - target| relative to the largest coefficient."""
    worst = 0.0
    for mono, pairs in basis.sos_sym_entries.items():
        worst = max(worst, abs(sum(Q[i, j] for i, j in pairs) - coeffs.get(mono, 0.0)))
    return worst / max(max(abs(c) for c in coeffs.values()), 1e-300)


IMPLS = {"picos_cvxopt": with_picos, "clarabel": with_clarabel, "scs": with_scs}


def dense_basis(xs, p):
    """SumOfSquares' basis without the Newton polytope reduction (its sparse=False)."""
    import sympy as sp
    from SumOfSquares.basis import Basis

    return len(Basis.from_poly_lex(sp.poly(p, sorted(xs, key=str)), sparse=False))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("impl", choices=sorted(IMPLS))
    ap.add_argument("case")
    ap.add_argument("--poly", default=None, help="ngd-bench's terms of the same case")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--once", action="store_true")
    a = ap.parse_args()
    c = case("sos", a.case)
    xs, p, same = target(c["n"], a.poly)
    job = IMPLS[a.impl]
    if a.once:
        print(job(xs, p)["status"])
        return
    phases = []

    def timed():
        r = job(xs, p)
        phases.append((r["build_s"], r["solve_s"], r["search_s"]))
        return r

    timing, res = measure(timed, a.reps, a.budget)
    timed_phases = phases[-timing["n"]:]
    basis, coeffs = program(xs, p)
    rel = residual(res["Q"], basis, coeffs)
    emit({"job": "sos", "side": "peer", "impl": a.impl, "case": a.case, "n": c["n"],
          "terms": len(coeffs), "same_polynomial_as_ours": same,
          "basis_dense": dense_basis(xs, p), "basis": res["basis"],
          "gram_unknowns": res["gram_unknowns"], "equations": res["equations"],
          "status": res["status"], "iterations": res["iterations"],
          "min_eigenvalue": res["min_eigenvalue"], "relative_residual": rel,
          "timing": timing,
          "build_median_s": median(t[0] for t in timed_phases),
          "solve_median_s": median(t[1] for t in timed_phases),
          "search_median_s": median(t[2] for t in timed_phases)})


def median(xs):
    return statistics.median(list(xs))


if __name__ == "__main__":
    main()
