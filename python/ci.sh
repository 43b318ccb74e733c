#!/usr/bin/env bash
# The Python package as a user gets it: a fresh virtual environment, `pip install ./python[test]`
# (maturin builds the extension from this checkout), then the pytest suite against the installed
# package. First the gates of the extension crate, which the root workspace excludes (rustfmt,
# clippy with -D warnings, the committed python/Cargo.lock). Called by .ci/run; runs from any
# folder.
#
# Environment:
#   NGD_PYTHON       the interpreter (default python3; CPython >= 3.10)
#   NGD_PY_PROFILE   cargo profile of the extension (default dev: the profile of
#                    `cargo test --workspace`, so that with CARGO_TARGET_DIR at the workspace's
#                    target/ the compiled dependencies, GMP and MPFR above all, are shared;
#                    python/Cargo.toml pins the workspace's features and member profiles so
#                    that every unit but pyo3's and the extension's is reused)
#   CARGO_TARGET_DIR default: the workspace's target/
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
python="${NGD_PYTHON:-python3}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

if ! "$python" -m venv "$scratch/venv" >/dev/null 2>&1; then
  # Debian and Ubuntu ship venv (ensurepip) as a separate package.
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  fi
  "$python" -m venv "$scratch/venv"
fi
py="$scratch/venv/bin/python"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
# From the repository, so that cargo finds the workspace's .cargo/config.toml (the target CPU
# that inari's interval arithmetic needs); pip builds in the source tree below it.
cd "$repo"
cargo fmt --manifest-path "$repo/python/Cargo.toml" --check
cargo clippy --manifest-path "$repo/python/Cargo.toml" --locked --all-targets -- -D warnings

export MATURIN_PEP517_ARGS="--profile ${NGD_PY_PROFILE:-dev} --locked"
"$py" -m pip install --progress-bar off --quiet "./python[test]"

# Not from python/: the tests must import the installed package, not the source folder.
cd "$scratch"
"$py" -m pytest "$repo/python/tests" -q -p no:cacheprovider
