"""Helpers shared by the peer scripts: the case file, the timing loop, JSON records.

The cases come from ../cases.json (written by ../cases.py), the same file ngd-bench embeds,
so every peer parses exactly the strings ngd-verify parses.
"""
import gc
import json
import os
import resource
import statistics
import sys
import time

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_cases():
    with open(os.path.join(BENCH_DIR, "cases.json")) as fh:
        return json.load(fh)


def case(job, name):
    """The case `name` of `job` ("identity", "discovery" or "ngd")."""
    for c in load_cases()[job]:
        if c["name"] == name:
            return c
    raise SystemExit("unknown %s case %r" % (job, name))


def measure(job, reps=5, budget_s=60.0, before_each=None, warmup=True):
    """One untimed warm-up call of job(), then up to `reps` timed calls (wall clock).

    `before_each` runs untimed before every call (e.g. to clear SymPy's cache). A warm-up
    longer than budget_s/2 is kept as the only sample; the timed calls stop early once they
    add up to more than budget_s. Returns (summary dict, result of the last call)."""
    result = None
    if warmup:
        if before_each:
            before_each()
        gc.collect()
        t0 = time.perf_counter()
        result = job()
        dt = time.perf_counter() - t0
        if dt > budget_s / 2:
            return summary([dt]), result
    times = []
    for _ in range(max(reps, 1)):
        if before_each:
            before_each()
        gc.collect()
        t0 = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - t0)
        if sum(times) > budget_s:
            break
    return summary(times), result


def summary(times):
    return {"n": len(times), "median_s": statistics.median(times), "min_s": min(times),
            "max_s": max(times)}


def peak_rss_kib():
    """This process's peak resident set size in KiB: VmHWM of /proc/self/status (ru_maxrss
    survives execve on Linux, so it could report the size of the process that forked us)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def emit(record):
    record["peak_rss_kib"] = peak_rss_kib()
    record["python"] = sys.version.split()[0]
    print(json.dumps(record), flush=True)


def library_versions():
    out = {}
    for mod, attr in (("sympy", "__version__"), ("symengine", "__version__"),
                      ("flint", "__version__"), ("numpy", "__version__"),
                      ("jax", "__version__"), ("jaxlib", "__version__")):
        try:
            out[mod] = getattr(__import__(mod), attr)
        except Exception as e:  # noqa: BLE001 - a missing library is reported, not fatal
            out[mod] = "missing (%s)" % e.__class__.__name__
    from importlib import metadata

    for dist in ("SumOfSquares", "PICOS", "cvxopt", "clarabel", "scs", "scipy"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "missing"
    return out


if __name__ == "__main__":
    print(json.dumps(library_versions()))
