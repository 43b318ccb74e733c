#!/usr/bin/env python3
"""Markdown tables (ngd-verify and the peers side by side, the ratio per row, the targets
met or missed) from a results directory written by driver.py. Standard library only.

usage: tables.py DIR [--update-results bench/RESULTS.md]

Prints the tables and writes DIR/tables.md; with --update-results the block between the
RESULTS markers of that file is replaced by them.
"""
import argparse
import json
import os
import sys

BEGIN, END = "<!-- RESULTS BEGIN -->", "<!-- RESULTS END -->"
MET, MISSED = "met", "**missed**"


def fmt_s(s):
    """Seconds as a short human-readable time."""
    if s is None:
        return "-"
    if s < 1e-3:
        return "%.0f µs" % (s * 1e6) if s >= 1e-5 else "%.1f µs" % (s * 1e6)
    if s < 1:
        return "%.3g ms" % (s * 1e3)
    return "%.3g s" % s


def fmt_rate(r):
    return "-" if r is None else "%.3g M/s" % (r / 1e6)


def fmt_ratio(x):
    if x is None:
        return "-"
    return "%.2g×" % x if x < 10 else "%.0f×" % x


def fmt_kib(k):
    return "-" if k is None else "%.1f MiB" % (k / 1024)


def med(rec):
    """Median seconds of a record (None when missing or failed)."""
    if not rec or "error" in rec or "timing" not in rec:
        return None
    return rec["timing"]["median_s"]


def cell(rec, key=None):
    """A time cell: the median, with the repetition count when it is small."""
    if rec and "error" in rec:
        return "failed"
    s = med(rec) if key is None else (rec or {}).get(key)
    if s is None:
        return "-"
    n = rec.get("timing", {}).get("n", 99) if key is None else 99
    return fmt_s(s) + (" [n=%d]" % n if n < 3 else "")


def mark(ok):
    return "-" if ok is None else (MET if ok else MISSED)


class Records:
    def __init__(self, path):
        self.recs = []
        with open(path) as fh:
            for ln in fh:
                self.recs.append(json.loads(ln))

    def get(self, job, side, case, impl=None):
        for r in self.recs:
            if r.get("job") == job and r.get("side") == side and r.get("case") == case and (
                    impl is None or r.get("impl") == impl):
                return r
        return None


def ratio(a, b):
    return a / b if a is not None and b else None


def identity_table(R, cases, targets):
    out = ["### Identity: parse f, phi → <grad f, grad phi> ≡ 0? (library time, in process)", "",
           "ours = `ngd-verify` C1 from the strings to the verdict (parse, structure, gradients, "
           "exact canonical form, and for `xy_neg` the witness search); phases = one pass split "
           "into parse / gradients of the tested product / canonical form. Peers: flint = "
           "python-flint `fmpq_mpoly` (strings `eval`-ed over generators), symengine and "
           "sympy = `sympify` + `diff` + `expand`. 'zero test only' = our parse → gradients → "
           "canonical form → `== 0`, without the rest of C1 (what the peers do). Ratio = our "
           "time / peer time (< 1: we are faster). Peak RSS = high-water mark of the "
           "benchmark process (for the peers it includes the interpreter and the imported "
           "library).", "",
           "| case | vars | verdict | ours | zero test only | phases parse / grad / canon | flint "
           "| symengine | sympy | ours/flint | target ≤ flint | sympy/ours | target ≥ 10× | peak RSS ours / flint |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases["identity"]:
        o = R.get("identity", "ours", c["name"])
        fl, se, sy = (R.get("identity", "peer", c["name"], k) for k in ("flint", "symengine",
                                                                         "sympy"))
        to, tf, ts = med(o), med(fl), med(sy)
        ok_f = None if to is None or tf is None else to <= tf
        ok_s = None if to is None or ts is None else ts >= 10 * to
        targets.append(("identity %s ≤ flint" % c["name"], ok_f))
        targets.append(("identity %s ≥ 10× sympy" % c["name"], ok_s))
        verdict = "-"
        if o and "error" not in o:
            verdict = "conserved" if o["is_zero"] else "not conserved"
            if o["is_zero"] != c["conserved"]:
                verdict += " (WRONG)"
        for p in (fl, se, sy):
            if p and "error" not in p and p["is_zero"] != c["conserved"]:
                verdict += " (peer %s disagrees)" % p["impl"]
        ph = o.get("phases_median_s") if o and "error" not in o else None
        phases = " / ".join(fmt_s(ph[k]) for k in ("parse", "gradient", "canonical")) if ph else "-"
        zt = cell(o and "error" not in o and {"timing": o["zero_test_timing"]})
        out.append("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
            c["name"], len(c["vars"]), verdict, cell(o), zt, phases, cell(fl), cell(se), cell(sy),
            fmt_ratio(ratio(to, tf)), mark(ok_f), fmt_ratio(ratio(ts, to)), mark(ok_s),
            fmt_kib((o or {}).get("peak_rss_kib")), fmt_kib((fl or {}).get("peak_rss_kib"))))
    return out


def startup_table(R, cases, targets):
    out = ["### Startup: whole process, cold (spawn to exit)", "",
           "`ngd-verify check-identity F PHI --var ...` (release binary, output to /dev/null) "
           "against a fresh Python process that imports the library and answers once "
           "(`identity_peers.py LIB CASE --once`). Median wall time of the runs after 2 "
           "untimed ones; peak RSS of the child (`wait4`).", "",
           "| case | ngd-verify (cold) | its peak RSS | python + flint (cold) | its peak RSS "
           "| python + sympy (cold) | ours/flint | target |",
           "|---|---|---|---|---|---|---|---|"]
    floor_o = R.get("startup", "ours", "-", "floor")
    floor_p = R.get("startup", "peer", "-", "floor")
    out.append("| (floor: `ngd-verify --version` / `python -c pass`) | %s | %s | %s | %s | - | - | - |"
               % (cell(floor_o), fmt_kib((floor_o or {}).get("peak_rss_kib")), cell(floor_p),
                  fmt_kib((floor_p or {}).get("peak_rss_kib"))))
    for c in cases["identity"]:
        o = R.get("startup", "ours", c["name"], "cli")
        fl = R.get("startup", "peer", c["name"], "flint")
        sy = R.get("startup", "peer", c["name"], "sympy")
        t = med(o)
        ok = None
        if c["name"] == "xy" and t is not None:
            ok = t < 5e-3
            targets.append(("startup check-identity xy < 5 ms", ok))
        status = (o or {}).get("exit_status")
        out.append("| %s | %s%s | %s | %s | %s | %s | %s | %s |" % (
            c["name"], cell(o), " (exit %s)" % status[0] if status and status != [0] else "",
            fmt_kib((o or {}).get("peak_rss_kib")), cell(fl),
            fmt_kib((fl or {}).get("peak_rss_kib")), cell(sy), fmt_ratio(ratio(t, med(fl))),
            ("< 5 ms: " + mark(ok)) if ok is not None else "-"))
    return out


def discovery_table(R, cases, targets):
    out = ["### Discovery: all conserved polynomials of degree 1..d (library time, in process)",
           "",
           "ours = parse f = Σ g_k², extract the fields, build the system and its exact "
           "nullspace (`discover` with only the polynomial ansatz, no re-check: what the peers "
           "time); `+verify` adds the exact zero test of every basis element; `full` is "
           "`discover` with its defaults at that degree (Laurent and exp ansätze, symmetries, "
           "completeness). Peers build the same system from the strings with their own "
           "polynomial arithmetic, then: sympy `SparseMatrix.nullspace()`; flint "
           "`fmpq_mat.rref()` and `fmpz_mat.nullspace()` (dense). Ratios = our time / peer "
           "time; the flint ratio uses the faster flint method.", "",
           "| case | unknowns × rows | blocks | dim (expected) | ours | +verify | full | sympy "
           "| flint rref | flint nullspace | ours/sympy | ours/flint | targets | peak RSS ours |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases["discovery"]:
        o = R.get("discovery", "ours", c["name"])
        sy, fr, fn = (R.get("discovery", "peer", c["name"], k)
                      for k in ("sympy_matrix", "flint_rref", "flint_nullspace"))
        to, ts = med(o), med(sy)
        flints = [t for t in (med(fr), med(fn)) if t is not None]
        tf = min(flints) if flints else None
        ok_s = None if to is None or ts is None else to <= ts
        ok_f = None if to is None or tf is None else to <= tf
        targets.append(("discovery %s ≤ sympy" % c["name"], ok_s))
        targets.append(("discovery %s ≤ flint" % c["name"], ok_f))
        marks = ["sympy " + mark(ok_s), "flint " + mark(ok_f)]
        if c["name"] == "mat3_d3" and to is not None:
            ok50 = to < 0.05
            targets.append(("discovery mat3_d3 < 50 ms", ok50))
            marks.append("< 50 ms " + mark(ok50))
        dims = "-"
        if o and "error" not in o:
            dims = "%d (%d)" % (o["nullspace_dim"], c["expected_dim"])
            for p in (sy, fr, fn):
                if p and "error" not in p and p["nullspace_dim"] != o["nullspace_dim"]:
                    dims += " (peer %s: %d)" % (p["impl"], p["nullspace_dim"])
        full = (o or {}).get("full") or {}
        shape = "%d × %d" % (o["unknowns"], o["rows"]) if o and "error" not in o else "-"
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            c["name"], shape, (o or {}).get("blocks", "-"), dims, cell(o),
            cell((o or {}).get("verified_timing") and {"timing": o["verified_timing"]}),
            cell(full.get("timing") and {"timing": full["timing"]}),
            cell(sy), cell(fr), cell(fn), fmt_ratio(ratio(to, ts)), fmt_ratio(ratio(to, tf)),
            ", ".join(marks), fmt_kib((o or {}).get("peak_rss_kib"))))
    return out


def ngd_table(R, cases, targets):
    out = ["### NGD: steps/s (steps = starts S × iterations)", "",
           "ours = `ngd-verify`'s harness (`Harness::run`, NGD only, on a rayon pool of one "
           "thread, and of two for the 2-thread column; the time includes its zero-gradient "
           "rule, divergence checks and the final report; its vectorized loops run at the "
           "CPU's best instruction-set level, shown). hand loop = `bench/handloop`, std-only "
           "Rust, hand-coded gradient, structure of arrays, `-C target-cpu=native`, with the "
           "harness's rule where grad f == 0 in float64 (a unit step along sign(r) grad r, "
           "random sign at r = 0: it never freezes, like the harness); hand loop (freezing) = "
           "the same loop with the step a/(|g| + 1e-300), which is 0 at g = 0, so a start at "
           "an exact zero stays there (cheaper lanes). jax = `jit` + `lax.fori_loop`, "
           "gradient `vmap(grad(f))` of f built from the case string (freezing rule); jax "
           "hand = hand-coded gradient; numpy = one Python-level iteration per step (fewer "
           "iterations, same steps/s). JAX's first call (trace + compile) is excluded; ours "
           "excludes `prepare` (tape compilation, shown). Ratios = our one-thread steps/s / "
           "peer steps/s (> 1: we are faster); 2 thr / 1 thr = our two-thread rate / our "
           "one-thread rate.", "",
           "| case | S | iterations | ours | simd | prepare | ours, 2 threads | 2 thr / 1 thr "
           "| target ≥ 1.8 | hand loop | hand loop (freezing) | jax (grad) | jax hand | numpy "
           "| ours/jax | target ≥ 1.5 | ours/hand | target ≥ 0.8 | zero-grad events (ours "
           "/ hand loop) | freezing hand loop: starts frozen at f = 0 | peak RSS ours / jax |",
           "|" + "---|" * 21]
    for c in cases["ngd"]:
        o, o2 = (R.get("ngd", "ours", c["name"], k) for k in ("harness", "harness_2threads"))
        h, hf, j, jh, npy = (R.get("ngd", "peer", c["name"], k) for k in
                             ("handloop", "handloop_freezing", "jax", "jax_hand", "numpy"))

        def rate(r):
            return None if not r or "error" in r else r["steps_per_s"]

        ro, ro2, rj, rh = rate(o), rate(o2), rate(j), rate(h)
        judged = c["name"] != "xy_S1"

        def judge(label, a, b, least):
            if not judged:
                return "(no target)"
            ok = None if a is None or not b else a >= least * b
            targets.append(("ngd %s %s" % (c["name"], label), ok))
            return mark(ok)

        m2 = judge("2 threads ≥ 1.8× one thread", ro2, ro, 1.8)
        mj = judge("≥ 1.5× jax", ro, rj, 1.5)
        mh = judge("≥ 0.8× never-freezing hand loop", ro, rh, 0.8)
        ev = "-"
        if o and "error" not in o:
            ev = "%d in %d of %d runs" % (o["zero_gradient_events"],
                                         o["runs_with_zero_gradient_events"], c["starts"])
        if h and "error" not in h and "zero_gradient_events" in h:
            ev += " / %d" % h["zero_gradient_events"]
        frozen = "-" if not hf or "error" in hf else "%d of %d" % (
            hf["starts_ending_at_f_exactly_0"], c["starts"])
        simd = (o or {}).get("simd", "-")
        out.append("| " + " | ".join([
            c["name"], str(c["starts"]), "%.0e" % (o or {}).get("iterations", c["iterations"]),
            fmt_rate(ro), simd, cell(o, "prepare_s") if o else "-", fmt_rate(ro2),
            fmt_ratio(ratio(ro2, ro)), m2, fmt_rate(rh), fmt_rate(rate(hf)), fmt_rate(rj),
            fmt_rate(rate(jh)), fmt_rate(rate(npy)), fmt_ratio(ratio(ro, rj)), mj,
            fmt_ratio(ratio(ro, rh)), mh, ev, frozen,
            "%s / %s" % (fmt_kib((o or {}).get("peak_rss_kib")),
                         fmt_kib((j or {}).get("peak_rss_kib")))]) + " |")
    return out


def sos_table(R, cases, targets):
    """Two tables: the SDP sizes of both sides, then the times, per case of the product family."""
    peers = ("clarabel", "scs", "picos_cvxopt")
    out = ["### SOS: the product family's C4 numerator as a sum of squares (library time, in "
           "process)", "",
           "Target: `-grad g^T Hess(phi) grad g` for `f = (x1 ... xn - 1)^2`, "
           "`phi = sum_{i<j} (xi^2 - xj^2)^2`, `g = x1 ... xn - 1`, expanded. Both sides solve "
           "that polynomial (the peer reads ngd-bench's expanded terms and checks them against "
           "its own SymPy construction: 'same poly'). Sizes: ours = `ngd-sos` (full basis of "
           "half the degree → half Newton polytope, outer approximation → forced-zero "
           "diagonals dropped; 'kernel' = rounded kernel vectors imposed exactly after the "
           "SDP); peer = SumOfSquares `add_sos_constraint(sparse=True)` (its dense basis is the "
           "homogeneous one of half the degree; sparse = exact convex hull of half the support, "
           "scipy). Unknowns = Gram entries n(n+1)/2, equations = distinct monomials of z zᵀ.",
           "",
           "| case | terms | same poly | ours: full → Newton → reduced | kernel | ours: unknowns "
           "/ equations | peer: dense → Newton | peer: unknowns / equations | peer min eigenvalue "
           "of Q (clarabel / scs / cvxopt) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for c in cases["sos"]:
        o = R.get("sos", "ours", c["name"], "ngd-sos prove_nonnegative")
        ps = {k: R.get("sos", "peer", c["name"], k) for k in peers}
        ok = {k: p for k, p in ps.items() if p and "error" not in p}
        any_p = next(iter(ok.values()), None)
        sz = (o or {}).get("sizes") or {}
        b = sz.get("basis") or {}
        ours_basis = "%s → %s → %s" % (b.get("full", "-"), b.get("newton", "-"),
                                      b.get("reduced", "-")) if b else "-"
        same = "-"
        if ok:
            same = "yes" if all(p.get("same_polynomial_as_ours") for p in ok.values()) else "NO"
        eig = " / ".join("%.1e" % ok[k]["min_eigenvalue"] if k in ok else "-" for k in peers)
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            c["name"], (o or {}).get("terms", "-"), same, ours_basis, sz.get("kernel", "-"),
            "%s / %s" % (sz["unknowns"], sz["equations"]) if sz else "-",
            "%s → %s" % (any_p["basis_dense"], any_p["basis"]) if any_p else "-",
            "%s / %s" % (any_p["gram_unknowns"], any_p["equations"]) if any_p else "-", eig))
    out += ["", "Times. ours 'proof' = `prove_nonnegative` from the expanded polynomial to the "
            "**exactly verified** certificate (basis, SDP by Clarabel (Rust), facial reduction, "
            "rounding to rationals, exact `L D L^T`); 'SDP' = our Clarabel call alone on the "
            "reduced program (max t with G - tI ⪰ 0). Peers give a **floating-point Gram "
            "matrix only** (no rounding, no exact check): total = basis + program + solver; "
            "solve = the solver call alone (set-up included; for picos its reformulation too). "
            "clarabel and scs = SumOfSquares' basis and equations passed to the solver's Python "
            "interface (picos 2.6.2 has no Clarabel or SCS interface); picos_cvxopt = "
            "SumOfSquares end to end (`prob.solve(solver='cvxopt')`). Process = whole process "
            "(spawn to exit) proving the case once, median (ours: `ngd-bench sos CASE --once`, "
            "which builds the polynomial; peer: `sos_peers.py IMPL CASE --once`, which imports "
            "SymPy, picos and the solver and builds the polynomial with SymPy). Ratio = our "
            "proof / the fastest peer total; 'SDP / clarabel solve' compares the two Clarabel "
            "calls alone (ours solves max t, the peer a feasibility program). Load = 1-min "
            "load average before our run.", "",
            "| case | ours proof | ours SDP | clarabel total / solve | scs total / solve "
            "| picos+cvxopt total / solve | ours / fastest peer | target ≤ peer | product6 < 10 s "
            "| SDP / clarabel solve | process ours / clarabel / picos+cvxopt | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases["sos"]:
        name = c["name"]
        o = R.get("sos", "ours", name, "ngd-sos prove_nonnegative")
        ps = {k: R.get("sos", "peer", name, k) for k in peers}
        to = med(o) if o and o.get("outcome") == "proved" else None
        tp = [med(p) for p in ps.values() if med(p) is not None]
        best = min(tp) if tp else None
        ok = None if to is None or best is None else to <= best
        targets.append(("sos %s ≤ fastest SumOfSquares peer" % name, ok))
        ten = None
        if name == "product6":
            ten = None if to is None else to < 10
            targets.append(("sos product6 < 10 s", ten))

        def tot_solve(p):
            if not p or "error" in p:
                return cell(p)
            return "%s / %s" % (cell(p), fmt_s(p.get("solve_median_s")))

        proof = cell(o) + ("" if not o or "error" in o or o.get("outcome") == "proved"
                           else " (%s)" % o.get("outcome"))
        procs = " / ".join(cell(R.get("sos", side, name, impl)) for side, impl in (
            ("ours", "process"), ("peer", "clarabel_process"),
            ("peer", "picos_cvxopt_process")))
        load = (o or {}).get("loadavg1_before")
        sdp = (o or {}).get("sdp_timing")
        cl = ps["clarabel"]
        sdp_ratio = ratio(sdp and sdp["median_s"],
                          cl.get("solve_median_s") if cl and "error" not in cl else None)
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, proof, cell(sdp and {"timing": sdp}),
            tot_solve(ps["clarabel"]), tot_solve(ps["scs"]), tot_solve(ps["picos_cvxopt"]),
            fmt_ratio(ratio(to, best)), mark(ok), mark(ten) if name == "product6" else "-",
            fmt_ratio(sdp_ratio), procs, "-" if load is None else "%.2f" % load))
    return out


def env_lines(env):
    peers = env.get("peers", {})
    libs = ", ".join("%s %s" % kv for kv in peers.items()) or "peers not run (no venv)"
    return ["### Environment", "",
            "- date: %s%s" % (env.get("date_utc", "?"), " (--quick)" if env.get("quick") else ""),
            "- CPU: %s, %s cores visible; %s" % (env.get("cpu"), env.get("cores"),
                                                 env.get("platform")),
            "- %s; python %s: %s" % (env.get("rustc"), env.get("python", "-"), libs),
            "- load average (1/5/15 min) at start %s, at end %s" % (
                " / ".join("%.2f" % x for x in env.get("loadavg_start", [])),
                " / ".join("%.2f" % x for x in env.get("loadavg_end", []))),
            "- every number from one run of `bash bench/run.sh`, each implementation and case "
            "in its own fresh process; wall clock, median of the timed repetitions after one "
            "untimed warm-up ([n=k]: fewer repetitions within the time budget)"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--update-results", default=None)
    a = ap.parse_args()
    bench = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(bench, "cases.json")) as fh:
        cases = json.load(fh)
    env = {}
    if os.path.exists(os.path.join(a.dir, "env.json")):
        with open(os.path.join(a.dir, "env.json")) as fh:
            env = json.load(fh)
    R = Records(os.path.join(a.dir, "records.jsonl"))
    jobs = {r.get("job") for r in R.recs}
    targets = []
    lines = env_lines(env)
    for job, fn in (("identity", identity_table), ("startup", startup_table),
                    ("discovery", discovery_table), ("ngd", ngd_table),
                    ("sos", sos_table)):
        if job in jobs:
            lines += [""] + fn(R, cases, targets)
    judged = [(n, ok) for n, ok in targets if ok is not None]
    missed = [n for n, ok in judged if not ok]
    lines += ["", "### Targets", "",
              "%d of %d targets met%s." % (len(judged) - len(missed), len(judged),
                                           "" if judged else " (no peer numbers)")]
    if missed:
        lines.append("Missed: " + "; ".join(missed) + ".")
    unjudged = [n for n, ok in targets if ok is None]
    if unjudged:
        lines.append("Not judged (a side is missing): %d." % len(unjudged))
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(a.dir, "tables.md"), "w") as fh:
        fh.write(text)
    if a.update_results:
        with open(a.update_results) as fh:
            doc = fh.read()
        if BEGIN not in doc or END not in doc:
            sys.exit("%s has no %s ... %s block" % (a.update_results, BEGIN, END))
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(a.update_results, "w") as fh:
            fh.write(head + BEGIN + "\n" + text + END + tail)
        print("updated %s" % a.update_results, file=sys.stderr)


if __name__ == "__main__":
    main()
