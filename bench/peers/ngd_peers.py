"""Job 3 on the peer side: NGD throughput, x <- x - a_k g/|g|, a_k = a0/sqrt(k+1), float64.

usage: python ngd_peers.py {numpy,jax,jax_hand} CASE [--iters N] [--reps N] [--budget S]

  numpy     the S starts as an (S, n) array, one Python-level iteration per step,
            hand-coded vectorised gradient
  jax       the whole loop under jax.jit + lax.fori_loop, gradient jax.vmap(jax.grad(f))
            with f built from the case's string (evaluated on the coordinates of x)
  jax_hand  the same loop with the hand-coded gradient
Division guard: scale = a_k / (|g| + 1e-300), so where g == 0 exactly the step is 0 and the
iterate stays (as in bench/handloop); it differs from a_k/|g| only for |g| < ~1e-284.
Starts: x[s][i] = lo + (hi - lo) frac((s + 1) alpha_i) with the case's alphas.
steps/s = S * iterations / median time. JAX's first call (trace + compile + run) is
reported separately and not counted.
"""
import argparse
import math
import os
import time

from benchlib import case, emit, measure

# single-threaded work everywhere (set before numpy / jax are imported)
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                      "intra_op_parallelism_threads=1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


GUARD = 1e-300


def starts(c):
    lo, hi = c["box"]
    return [[lo + (hi - lo) * (((s + 1) * a) % 1.0) for a in c["alphas"]]
            for s in range(c["starts"])]


def f_of_point(c, x):
    """f evaluated on a point given as a list of floats (sanity check of the results)."""
    return eval(c["f"], {"__builtins__": {}}, dict(zip(c["vars"], x)))  # noqa: S307


def numpy_loop(np, kind, x0, iters, a0):
    x = x0.copy()
    for k in range(iters):
        a = a0 / math.sqrt(k + 1)
        if kind == "xy":
            r2 = 2.0 * (x[:, 0] * x[:, 1] - 1.0)
            g = r2[:, None] * x[:, ::-1]
        else:
            p = x.prod(axis=1)
            g = (2.0 * (p - 1.0) * p)[:, None] / x
        norm = np.sqrt((g * g).sum(axis=1, keepdims=True))
        scale = a / (norm + GUARD)
        x -= scale * g
    return x


def jax_runner(c, hand):
    import jax
    import jax.numpy as jnp
    from jax import lax

    names = c["vars"]
    kind, a0 = c["case"], c["a0"]

    def f(x):  # the case's string, evaluated on the coordinates of one point
        return eval(c["f"], {"__builtins__": {}}, {v: x[i] for i, v in enumerate(names)})  # noqa: S307

    if hand:
        def grad_all(x):
            if kind == "xy":
                r2 = 2.0 * (x[:, 0] * x[:, 1] - 1.0)
                return r2[:, None] * x[:, ::-1]
            p = jnp.prod(x, axis=1)
            return (2.0 * (p - 1.0) * p)[:, None] / x
    else:
        grad_all = jax.vmap(jax.grad(f))

    def loop(x0, iters):
        def step(k, x):
            a = a0 / jnp.sqrt(k + 1.0)
            g = grad_all(x)
            norm = jnp.sqrt(jnp.sum(g * g, axis=1, keepdims=True))
            scale = a / (norm + GUARD)
            return x - scale * g
        return lax.fori_loop(0, iters, step, x0)

    return jax.jit(loop, static_argnums=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("impl", choices=["numpy", "jax", "jax_hand"])
    ap.add_argument("case")
    ap.add_argument("--iters", type=int, default=None)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--budget", type=float, default=60.0)
    a = ap.parse_args()
    c = case("ngd", a.case)
    x0 = starts(c)
    extra = {}
    if a.impl == "numpy":
        import numpy as np

        iters = a.iters or c["numpy_iterations"]
        arr = np.array(x0, dtype=np.float64)
        timing, x = measure(lambda: numpy_loop(np, c["case"], arr, iters, c["a0"]),
                            a.reps, a.budget)
        final = x.tolist()
    else:
        import jax

        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp

        iters = a.iters or c["iterations"]
        run = jax_runner(c, hand=a.impl == "jax_hand")
        arr = jnp.asarray(x0, dtype=jnp.float64)
        t0 = time.perf_counter()
        run(arr, iters).block_until_ready()
        extra["first_call_s"] = time.perf_counter() - t0
        timing, x = measure(lambda: run(arr, iters).block_until_ready(), a.reps, a.budget,
                            warmup=False)
        final = [[float(v) for v in row] for row in x]
        extra["backend"] = jax.default_backend()
    fs = [f_of_point(c, p) for p in final]
    emit({"job": "ngd", "side": "peer", "impl": a.impl, "case": a.case, "S": c["starts"],
          "iterations": iters, "timing": timing,
          "steps_per_s": c["starts"] * iters / timing["median_s"],
          "mean_final_f": sum(fs) / len(fs), **extra})


if __name__ == "__main__":
    main()
