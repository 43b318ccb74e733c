#!/usr/bin/env bash
# Submits a sweep of N array tasks and the merge job that waits for all of them:
#   bash contrib/slurm/submit.sh cases/cubic.case 8 shards/ [run flags...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case_file=${1:?usage: submit.sh CASE N OUT_DIR [run flags...]}
n=${2:?usage: submit.sh CASE N OUT_DIR [run flags...]}
out_dir=${3:?usage: submit.sh CASE N OUT_DIR [run flags...]}
shift 3
array=$(sbatch --parsable --array="1-$n" "$here/sweep.sbatch" "$case_file" "$out_dir" "$@")
sbatch --dependency="afterok:${array%%;*}" "$here/merge.sbatch" "$out_dir"
