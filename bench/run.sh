#!/usr/bin/env bash
# ngd-verify against its peers, both sides in one run (see bench/RESULTS.md).
#
#   bash bench/run.sh [--quick] [--install] [--only identity,discovery,ngd,startup,sos,rigor]
#
#   --install  create bench/.venv and install the pinned peers (bench/peers/requirements.txt);
#              without it an existing bench/.venv is used, and without one only
#              ngd-verify's side runs (peer columns empty)
#   --quick    smoke run (~2 min): 2 repetitions, NGD iterations / 10, no large peer cases
#   --only     a subset of the jobs
#
# Builds the release binaries (ngd-verify, ngd-bench; the hand loop in bench/handloop with
# -C target-cpu=native), runs every implementation and case in its own process, prints one
# markdown table per job with both sides, the ratios and the targets, and keeps the raw
# records in bench/results/<UTC stamp>/. A full run (no --quick, no --only) also refreshes
# the tables in bench/RESULTS.md.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
QUICK="" INSTALL="" ONLY=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK="--quick" ;;
    --install) INSTALL=1 ;;
    --only) ONLY="${2:?--only needs a list}"; shift ;;
    --only=*) ONLY="${1#--only=}" ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# 1. Our binaries (release) and the native hand loop (its own target dir and flags, so the
#    workspace's build cache is not invalidated by -C target-cpu=native).
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
echo "== building (release)" >&2
( cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo build --release -q -p ngd-verify -p ngd-bench )
( cd "$BENCH/handloop" && RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR="$BENCH/handloop/target" \
    cargo build --release -q )

# 2. The peers' Python environment (pinned), only when asked.
VENV="$BENCH/.venv"
if [[ -n "$INSTALL" ]]; then
  echo "== installing the peers into $VENV" >&2
  [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$BENCH/peers/requirements.txt"
fi
PYARGS=()
if [[ -x "$VENV/bin/python" ]]; then
  PYARGS=(--python "$VENV/bin/python")
else
  echo "== no $VENV: running ngd-verify's side only (use --install for the peers)" >&2
fi

# 3. Run. One thread everywhere: BLAS/XLA pools pinned to 1 thread, our harness on a
#    one-thread pool (and once more on a two-thread pool, for its scaling column).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 JAX_PLATFORMS=cpu \
  TF_CPP_MIN_LOG_LEVEL=3
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
FULL=""
[[ -z "$QUICK" && -z "$ONLY" && ${#PYARGS[@]} -gt 0 ]] && FULL=1
OUT="$BENCH/results/partial-$STAMP"
[[ -n "$FULL" ]] && OUT="$BENCH/results/$STAMP"
echo "== running; records in $OUT (load average now: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
mkdir -p "$OUT"
if [[ "$ONLY" != "rigor" ]]; then
python3 "$BENCH/driver.py" --out "$OUT" $QUICK ${ONLY:+--only "$ONLY"} "${PYARGS[@]}" \
  --ngd-bench "$TARGET/release/ngd-bench" --ngd-verify "$TARGET/release/ngd-verify" \
  --handloop "$BENCH/handloop/target/release/ngd-handloop"

# 4. Tables.
python3 "$BENCH/tables.py" "$OUT" ${FULL:+--update-results "$BENCH/RESULTS.md"}
fi

# 5. The cost of rigor (no peers): C4 with the exact cover alone, and the full report of each
#    shipped case (all checks, the critical-set search, the harness), whole process.
if [[ -z "$ONLY" || ",$ONLY," == *",rigor,"* ]]; then
  echo "== rigor: C4 (exact cover) alone, then the full report per shipped case" >&2
  ( cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" cargo run --release -q -p ngd-decrease \
      --example decrease_timing ) | tee "$OUT/rigor-c4.txt"
  for c in "$ROOT"/cases/*.case; do
    s=$(date +%s.%N)
    "$TARGET/release/ngd-verify" "$c" > /dev/null || true
    e=$(date +%s.%N)
    printf '%-12s full report %.2f s\n' "$(basename "$c" .case)" "$(echo "$e - $s" | bc)"
  done | tee "$OUT/rigor-report.txt"
fi

# 6. Sums of squares: the driver's "sos" job above (ngd-bench sos against Python
#    SumOfSquares, sizes and times, in the tables); here `recheck` of every shipped case's JSON
#    report, whole process.
if [[ -z "$ONLY" || ",$ONLY," == *",sos,"* ]]; then
  echo "== sos: recheck per shipped case" >&2
  for c in "$ROOT"/cases/*.case; do
    "$TARGET/release/ngd-verify" "$c" --format json > "$OUT/report.json" 2>/dev/null || true
    s=$(date +%s.%N)
    "$TARGET/release/ngd-verify" recheck "$OUT/report.json" > /dev/null || true
    e=$(date +%s.%N)
    printf '%-12s recheck %.3f s\n' "$(basename "$c" .case)" "$(echo "$e - $s" | bc)"
  done | tee "$OUT/sos-recheck.txt"
  rm -f "$OUT/report.json"
fi
