"""Job 2 on the peer side: every polynomial psi of degree 1..d with <grad g_k, grad psi> == 0
for all residuals g_k of f = sum_k g_k^2 (the exact rational nullspace of a linear system).

usage: python discovery_peers.py {sympy_matrix,flint_rref,flint_nullspace} CASE
                                 [--reps N] [--budget S]

The unknowns are the coefficients c_e of psi = sum_e c_e x^e over all exponent vectors e with
1 <= |e| <= d. Since d(x^e)/dx_i = e_i x^(e - u_i), each column e of the matrix holds the
coefficients of sum_i e_i (dg_k/dx_i) x^(e - u_i), one row per (k, monomial). Each timed call
builds that system from the strings (with the library's own polynomial arithmetic) and
computes the nullspace:
  sympy_matrix     Poly over QQ; SparseMatrix(...).nullspace()
  flint_rref       fmpq_mpoly; dense fmpq_mat.rref(), basis read off the free columns
  flint_nullspace  fmpq_mpoly; the integer matrix as fmpz_mat, fmpz_mat.nullspace()
"""
import argparse
import itertools
import time

from benchlib import case, emit, measure

PHASE = {}  # build / solve split of the last call


def exponents(n, d):
    """Exponent vectors of the monomials of total degree 1..d, graded."""
    out = []
    for deg in range(1, d + 1):
        for idx in itertools.combinations_with_replacement(range(n), deg):
            e = [0] * n
            for i in idx:
                e[i] += 1
            out.append(tuple(e))
    return out


def lowered(e, i):
    """e - u_i."""
    return e[:i] + (e[i] - 1,) + e[i + 1:]


# ---------------------------------------------------------------------------- sympy
def sympy_matrix(vars_, g_srcs, d):
    import sympy

    t0 = time.perf_counter()
    syms = sympy.symbols(vars_)
    names = dict(zip(vars_, syms))
    gs = [sympy.Poly(sympy.sympify(s, locals=names), *syms, domain=sympy.QQ) for s in g_srcs]
    grads = [[g.diff(s) for s in syms] for g in gs]
    cols = exponents(len(syms), d)
    row_of = {}
    entries = {}
    for j, e in enumerate(cols):
        for k, grad in enumerate(grads):
            acc = None
            for i, ei in enumerate(e):
                if ei:
                    mono = sympy.Poly.from_dict({lowered(e, i): ei}, *syms, domain=sympy.QQ)
                    term = grad[i] * mono
                    acc = term if acc is None else acc + term
            if acc is None:
                continue
            for mon, coeff in acc.terms():
                if coeff:
                    r = row_of.setdefault((k, mon), len(row_of))
                    entries[(r, j)] = sympy.Rational(int(coeff.numerator), int(coeff.denominator))
    mat = sympy.SparseMatrix(max(len(row_of), 1), len(cols), entries)
    t1 = time.perf_counter()
    basis = mat.nullspace()
    PHASE.update(build_s=t1 - t0, solve_s=time.perf_counter() - t1)
    return len(basis), len(row_of), len(cols)


# ---------------------------------------------------------------------------- flint
def flint_system(vars_, g_srcs, d):
    """(rows, cols, dense row-major list of fmpq entries)."""
    import flint

    ctx = flint.fmpq_mpoly_ctx.get(tuple(vars_), "degrevlex")
    names = dict(zip(vars_, ctx.gens()))
    gs = [eval(s, {"__builtins__": {}}, names) for s in g_srcs]  # noqa: S307 - our strings
    grads = [[g.derivative(i) for i in range(len(vars_))] for g in gs]
    cols = exponents(len(vars_), d)
    row_of = {}
    col_entries = []
    for e in cols:
        column = {}
        for k, grad in enumerate(grads):
            acc = None
            for i, ei in enumerate(e):
                if ei:
                    term = grad[i] * ctx.term(exp_vec=lowered(e, i), coeff=ei)
                    acc = term if acc is None else acc + term
            if acc is None:
                continue
            for mon, coeff in acc.terms():
                column[row_of.setdefault((k, tuple(mon)), len(row_of))] = coeff
        col_entries.append(column)
    nr, nc = max(len(row_of), 1), len(cols)
    dense = [0] * (nr * nc)
    for j, column in enumerate(col_entries):
        for r, coeff in column.items():
            dense[r * nc + j] = coeff
    return nr, nc, dense


def flint_rref(vars_, g_srcs, d):
    import flint

    t0 = time.perf_counter()
    nr, nc, dense = flint_system(vars_, g_srcs, d)
    a = flint.fmpq_mat(nr, nc, dense)
    t1 = time.perf_counter()
    r, rank = a.rref()
    pivots, row = [], 0
    for j in range(nc):  # pivot columns of the reduced echelon form
        if row < rank and r[row, j] != 0:
            pivots.append(j)
            row += 1
    pivot_set = set(pivots)
    basis = []
    for free in (j for j in range(nc) if j not in pivot_set):
        v = [flint.fmpq(0)] * nc
        v[free] = flint.fmpq(1)
        for p_row, p_col in enumerate(pivots):
            v[p_col] = -r[p_row, free]
        basis.append(v)
    PHASE.update(build_s=t1 - t0, solve_s=time.perf_counter() - t1)
    return len(basis), nr, nc


def flint_nullspace(vars_, g_srcs, d):
    import flint

    t0 = time.perf_counter()
    nr, nc, dense = flint_system(vars_, g_srcs, d)
    a = flint.fmpz_mat(nr, nc, [int(c) for c in dense])  # integral: integer g's
    t1 = time.perf_counter()
    _, nullity = a.nullspace()
    PHASE.update(build_s=t1 - t0, solve_s=time.perf_counter() - t1)
    return nullity, nr, nc


LIBS = {"sympy_matrix": sympy_matrix, "flint_rref": flint_rref,
        "flint_nullspace": flint_nullspace}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib", choices=sorted(LIBS))
    ap.add_argument("case")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0)
    a = ap.parse_args()
    c = case("discovery", a.case)
    if a.lib.startswith("sympy"):
        import sympy

        before = sympy.core.cache.clear_cache
    else:
        import flint  # noqa: F401 - imported before timing

        before = None
    job = LIBS[a.lib]
    timing, (dim, rows, unknowns) = measure(lambda: job(c["vars"], c["g"], c["degree"]),
                                            a.reps, a.budget, before_each=before)
    emit({"job": "discovery", "side": "peer", "impl": a.lib, "case": a.case,
          "nullspace_dim": dim, "expected_dim": c["expected_dim"], "rows": rows,
          "unknowns": unknowns, "timing": timing, **PHASE})


if __name__ == "__main__":
    main()
