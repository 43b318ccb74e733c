"""Job 1 on the peer side: is <grad f, grad phi> identically zero?

usage: python identity_peers.py {sympy,symengine,flint} CASE [--reps N] [--budget S] [--once]

Each timed call goes from the two strings of bench/cases.json to the yes/no answer:
parse -> partial derivatives -> sum of products -> canonical (expanded) form -> == 0.
  sympy      sympify, diff, expand (the usual SymPy route)
  symengine  symengine.sympify, diff, expand
  flint      python-flint fmpq_mpoly; flint has no parser, so the string is evaluated
             with Python's eval in a namespace that maps each variable to a generator
The library is imported before timing. --once imports, answers once and prints the verdict:
the cold whole-process run that ngd-bench's `spawn` times against the ngd-verify CLI.
"""
import argparse

from benchlib import case, emit, measure


def with_sympy(vars_, f_src, phi_src):
    import sympy

    syms = sympy.symbols(vars_)
    names = dict(zip(vars_, syms))
    f = sympy.sympify(f_src, locals=names)
    phi = sympy.sympify(phi_src, locals=names)
    inner = sympy.expand(sympy.Add(*[f.diff(s) * phi.diff(s) for s in syms]))
    return inner == 0


def with_symengine(vars_, f_src, phi_src):
    import symengine

    syms = [symengine.Symbol(v) for v in vars_]
    f = symengine.sympify(f_src)
    phi = symengine.sympify(phi_src)
    inner = symengine.expand(symengine.Add(*[f.diff(s) * phi.diff(s) for s in syms]))
    return inner == 0


def with_flint(vars_, f_src, phi_src):
    import flint

    ctx = flint.fmpq_mpoly_ctx.get(tuple(vars_), "degrevlex")
    names = dict(zip(vars_, ctx.gens()))
    f = eval(f_src, {"__builtins__": {}}, names)  # noqa: S307 - our own case strings
    phi = eval(phi_src, {"__builtins__": {}}, names)  # noqa: S307
    inner = ctx.from_dict({})
    for i in range(len(vars_)):
        inner += f.derivative(i) * phi.derivative(i)
    return inner.is_zero()


LIBS = {"sympy": with_sympy, "symengine": with_symengine, "flint": with_flint}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib", choices=sorted(LIBS))
    ap.add_argument("case")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0)
    ap.add_argument("--once", action="store_true")
    a = ap.parse_args()
    c = case("identity", a.case)
    job = LIBS[a.lib]
    if a.once:
        print("conserved" if job(c["vars"], c["f"], c["phi"]) else "not conserved")
        return
    # import outside the timed region
    if a.lib == "sympy":
        import sympy

        before = sympy.core.cache.clear_cache  # every call starts without memoised results
    else:
        __import__({"symengine": "symengine", "flint": "flint"}[a.lib])
        before = None
    timing, is_zero = measure(lambda: job(c["vars"], c["f"], c["phi"]), a.reps, a.budget,
                              before_each=before)
    emit({"job": "identity", "side": "peer", "impl": a.lib, "case": a.case,
          "is_zero": bool(is_zero), "expected_zero": c["conserved"], "timing": timing})


if __name__ == "__main__":
    main()
