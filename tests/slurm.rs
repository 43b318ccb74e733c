//! The Slurm recipe of the README (`contrib/slurm/`) run as written, with a stand-in `sbatch`
//! that executes an array job's tasks one after the other with the variables Slurm sets
//! (`SLURM_ARRAY_TASK_ID` 1..N, `SLURM_ARRAY_TASK_COUNT` N) and a dependent job after them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A stand-in for `sbatch`: `--array=1-N SCRIPT ARGS` runs the script N times (printing a job
/// id with `--parsable`), `--dependency=afterok:ID SCRIPT ARGS` runs it once; any failure is
/// the stand-in's failure, as `afterok` would never start the dependent job.
const FAKE_SBATCH: &str = r#"#!/usr/bin/env bash
set -euo pipefail
array=""; parsable=0
while [ $# -gt 0 ]; do
  case "$1" in
    --parsable) parsable=1; shift ;;
    --array=*) array="${1#--array=}"; shift ;;
    --dependency=afterok:*) grep -qx "${1#--dependency=afterok:}" "$SBATCH_LOG"; shift ;;
    --*) echo "fake sbatch: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
script="$1"; shift
if [ -n "$array" ]; then
  first="${array%-*}"; last="${array#*-}"
  count=$((last - first + 1))
  for ((id = first; id <= last; id++)); do
    SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_COUNT=$count bash "$script" "$@"
  done
  echo 4242 >> "$SBATCH_LOG"
  if [ $parsable = 1 ]; then echo "4242;cluster"; else echo "Submitted batch job 4242"; fi
else
  bash "$script" "$@"
  echo "Submitted batch job 4243"
fi
"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ngd-verify-slurm-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir
}

fn fake_sbatch(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let p = bin.join("sbatch");
    std::fs::write(&p, FAKE_SBATCH).unwrap();
    Command::new("chmod").arg("+x").arg(&p).status().unwrap();
    bin
}

fn binary_json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_ngd-verify"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_slurm_recipe_merges_to_the_unsharded_run() {
    let dir = fresh_dir("recipe");
    let bin = fake_sbatch(&dir);
    let shards = dir.join("shards");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let flags = ["--starts", "12", "--iterations", "5000"];
    let o = Command::new("bash")
        .current_dir(root())
        .arg("contrib/slurm/submit.sh")
        .args(["cases/xy.case", "3", shards.to_str().unwrap()])
        .args(flags)
        .env("PATH", path)
        .env("NGD_VERIFY", env!("CARGO_BIN_EXE_ngd-verify"))
        .env("SBATCH_LOG", dir.join("jobs.log"))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "submit.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    for k in 1..=3 {
        assert!(shards.join(format!("shard-{k}.json")).exists(), "shard {k}");
        assert!(!shards.join(format!("shard-{k}.json.part")).exists());
    }
    let text = std::fs::read_to_string(shards.join("merged.txt")).unwrap();
    assert!(text.contains("12"), "{text}");
    let merged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shards.join("merged.json")).unwrap())
            .unwrap();
    let mut args = vec!["run", "cases/xy.case", "--format", "json"];
    args.extend_from_slice(&flags);
    let whole = binary_json(&args);
    assert_eq!(merged["runs"], whole["runs"]);
    assert_eq!(merged["ngd"], whole["ngd"]);
    assert_eq!(merged["runs"].as_array().map(Vec::len), Some(12));
}

#[test]
fn a_task_outside_an_array_job_says_how_to_submit() {
    let dir = fresh_dir("plain");
    let o = Command::new("bash")
        .current_dir(root())
        .args(["contrib/slurm/sweep.sbatch", "cases/xy.case"])
        .arg(&dir)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env("NGD_VERIFY", env!("CARGO_BIN_EXE_ngd-verify"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--array=1-N"), "{err}");
}
