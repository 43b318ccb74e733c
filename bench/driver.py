#!/usr/bin/env python3
"""Runs both sides of the benchmark, one fresh process per (implementation, case), and
collects their JSON records in OUT/records.jsonl (plus OUT/env.json). Called by run.sh;
standard library only, so it runs with or without the peers' virtual environment.

usage: driver.py --out DIR --ngd-bench BIN --ngd-verify BIN --handloop BIN
                 [--python VENV_PYTHON] [--quick] [--only identity,discovery,ngd,startup,sos]

Without --python (no venv) only ngd-verify's side runs and the peer columns stay empty.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(BENCH, "peers")
JOBS = ("identity", "discovery", "ngd", "startup", "sos")
SOS_PEERS = ("clarabel", "scs", "picos_cvxopt")


class Runner:
    """Runs commands, parses their JSON lines and appends them to records.jsonl."""

    def __init__(self, out_dir):
        self.path = os.path.join(out_dir, "records.jsonl")
        self.failures = 0

    def run(self, cmd, tags, timeout=900):
        t0 = time.perf_counter()
        load = os.getloadavg()[0]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                               cwd=PEERS)
            lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
            if p.returncode != 0 or not lines:
                lines = [json.dumps({"error": (p.stderr or p.stdout)[-600:]})]
        except subprocess.TimeoutExpired:
            lines = [json.dumps({"error": "timeout after %d s" % timeout})]
        dt = time.perf_counter() - t0
        load_after = os.getloadavg()[0]
        recs = []
        with open(self.path, "a") as fh:
            for ln in lines:
                rec = json.loads(ln)
                rec.update(tags)
                rec["loadavg1_before"] = load
                rec["loadavg1_after"] = load_after
                rec["process_wall_s"] = dt
                fh.write(json.dumps(rec) + "\n")
                recs.append(rec)
        bad = any("error" in r for r in recs)
        self.failures += bad
        label = " ".join("%s=%s" % kv for kv in sorted(tags.items()))
        print("  [%6.1fs%s] %s" % (dt, " FAILED" if bad else "", label), file=sys.stderr,
              flush=True)
        if bad:
            print("      " + recs[0]["error"].strip().replace("\n", "\n      "),
                  file=sys.stderr)
        return recs


def environment(args):
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    env = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform(),
        "rustc": out(["rustc", "--version"]), "quick": args.quick,
        "loadavg_start": os.getloadavg(),
    }
    if args.python:
        env["peers"] = json.loads(out([args.python, os.path.join(PEERS, "benchlib.py")]) or "{}")
        env["python"] = out([args.python, "-c", "import sys; print(sys.version.split()[0])"])
    return env


def sos_job(r, cases, args, quick):
    """The product family's C4 numerator as a sum of squares: ngd-bench's record (which
    carries the expanded polynomial, written to OUT/sos-polys/CASE.json for the peers), then
    each peer on that polynomial; then both sides' whole processes (spawn to exit)."""
    print("SOS (product family, C4 numerator)", file=sys.stderr)
    bench, py = args.ngd_bench, args.python
    reps, spawn_reps = ("2", "2") if quick else ("5", "3")
    polys = os.path.join(args.out, "sos-polys")
    os.makedirs(polys, exist_ok=True)
    peer_script = os.path.join(PEERS, "sos_peers.py")
    for c in cases["sos"]:
        name = c["name"]
        recs = r.run([bench, "sos", name, "--reps", reps, "--budget", "60"],
                     {"job": "sos", "side": "ours", "case": name})
        poly = None
        if recs and "error" not in recs[0]:
            poly = os.path.join(polys, name + ".json")
            with open(poly, "w") as fh:
                json.dump(recs[0]["polynomial"], fh)
        r.run([bench, "spawn", "--warmup", "1", "--reps", spawn_reps, "--label",
               "ngd-bench sos --once", "--", bench, "sos", name, "--once"],
              {"job": "sos", "side": "ours", "case": name, "impl": "process"})
        if not py:
            continue
        for impl in SOS_PEERS:
            r.run([py, "sos_peers.py", impl, name, "--reps", reps, "--budget", "60"]
                  + (["--poly", poly] if poly else []),
                  {"job": "sos", "side": "peer", "impl": impl, "case": name})
            r.run([bench, "spawn", "--warmup", "1", "--reps", spawn_reps, "--label",
                   "sos_peers.py --once", "--", py, peer_script, impl, name, "--once"],
                  {"job": "sos", "side": "peer", "case": name, "impl": impl + "_process"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--ngd-bench", required=True)
    ap.add_argument("--ngd-verify", required=True)
    ap.add_argument("--handloop", required=True)
    ap.add_argument("--python", default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=",".join(JOBS))
    args = ap.parse_args()
    only = [j for j in args.only.split(",") if j]
    for j in only:
        if j == "rigor":  # run by bench/run.sh itself, not by the driver
            continue
        if j not in JOBS:
            sys.exit("unknown job %r (known: %s)" % (j, ", ".join(JOBS)))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(BENCH, "cases.json")) as fh:
        cases = json.load(fh)
    env = environment(args)
    r = Runner(args.out)
    py = args.python
    bench = args.ngd_bench
    quick = args.quick
    reps = "2" if quick else "5"
    # Peers: each timed call stops early past this many seconds in total (sympy on mat6
    # takes ~16 s a call); quick mode skips the large extra cases on the peer side.
    budget = "5" if quick else "40"

    def peer_cases(job):
        return [c for c in cases[job] if not (quick and c.get("large"))]

    if "identity" in only:
        print("IDENTITY (library time)", file=sys.stderr)
        for c in cases["identity"]:
            r.run([bench, "identity", c["name"], "--reps", "3" if quick else "11"],
                  {"job": "identity", "side": "ours", "case": c["name"]})
        if py:
            for c in peer_cases("identity"):
                for lib in ("flint", "symengine", "sympy"):
                    r.run([py, "identity_peers.py", lib, c["name"], "--reps", reps,
                           "--budget", budget], {"job": "identity", "side": "peer",
                                                 "impl": lib, "case": c["name"]})

    if "discovery" in only:
        print("DISCOVERY (library time)", file=sys.stderr)
        for c in cases["discovery"]:
            r.run([bench, "discovery", c["name"], "--reps", "3" if quick else "11",
                   "--full-reps", "1" if quick else "3"],
                  {"job": "discovery", "side": "ours", "case": c["name"]})
        if py:
            for c in peer_cases("discovery"):
                for lib in ("sympy_matrix", "flint_rref", "flint_nullspace"):
                    r.run([py, "discovery_peers.py", lib, c["name"], "--reps", reps,
                           "--budget", "5" if quick else "20"],
                          {"job": "discovery", "side": "peer", "impl": lib, "case": c["name"]})

    if "ngd" in only:
        print("NGD (steps/s, one thread; ours also on two)", file=sys.stderr)
        div = 10 if quick else 1
        for c in cases["ngd"]:
            iters = c["iterations"] // div
            for threads, impl in ((1, "harness"), (2, "harness_2threads")):
                r.run([bench, "ngd", c["name"], "--reps", reps, "--iters", str(iters),
                       "--threads", str(threads)],
                      {"job": "ngd", "side": "ours", "impl": impl, "case": c["name"]})
            # The never-freezing hand loop (the harness's zero-gradient rule), then the older
            # freezing one (a zero step at g = 0) as a second column.
            for flag, impl in ((), "handloop"), (("--freezing",), "handloop_freezing"):
                r.run([args.handloop, c["case"], str(c["starts"]), str(iters), reps, *flag],
                      {"job": "ngd", "side": "peer", "impl": impl, "case": c["name"]})
            if py:
                for impl in ("jax", "jax_hand"):
                    r.run([py, "ngd_peers.py", impl, c["name"], "--iters", str(iters),
                           "--reps", reps], {"job": "ngd", "side": "peer", "impl": impl,
                                             "case": c["name"]})
                r.run([py, "ngd_peers.py", "numpy", c["name"], "--iters",
                       str(c["numpy_iterations"] // div), "--reps", reps],
                      {"job": "ngd", "side": "peer", "impl": "numpy", "case": c["name"]})

    if "startup" in only:
        print("STARTUP (whole process, cold)", file=sys.stderr)
        spawn_reps = "5" if quick else "21"

        def spawn(label, argv, n, tags):
            r.run([bench, "spawn", "--warmup", "2", "--reps", n, "--label", label, "--"] + argv,
                  dict(tags, job="startup", label=label))

        spawn("ngd-verify --version", [args.ngd_verify, "--version"], spawn_reps,
              {"side": "ours", "case": "-", "impl": "floor"})
        for c in cases["identity"]:
            argv = [args.ngd_verify, "check-identity", c["f"], c["phi"]]
            for v in c["vars"]:
                argv += ["--var", v]
            spawn("ngd-verify check-identity", argv, spawn_reps,
                  {"side": "ours", "case": c["name"], "impl": "cli"})
        if py:
            spawn("python -c pass", [py, "-c", "pass"], "5", {"side": "peer", "case": "-",
                                                              "impl": "floor"})
            for c in peer_cases("identity"):
                for lib in ("flint", "sympy"):
                    if lib == "sympy" and c["name"] not in ("xy", "xy_neg", "prod8"):
                        continue  # sympy's cold run on the big cases is the library time
                    spawn("python + " + lib, [py, os.path.join(PEERS, "identity_peers.py"), lib,
                                              c["name"], "--once"],
                          "3" if quick else "5", {"side": "peer", "case": c["name"],
                                                  "impl": lib})

    if "sos" in only:
        sos_job(r, cases, args, quick)

    env["loadavg_end"] = os.getloadavg()
    env["failures"] = r.failures
    with open(os.path.join(args.out, "env.json"), "w") as fh:
        json.dump(env, fh, indent=1)
    if r.failures:
        print("%d benchmark process(es) failed; see records.jsonl" % r.failures, file=sys.stderr)


if __name__ == "__main__":
    main()
