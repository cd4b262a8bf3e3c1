#!/bin/bash
# Example: a sweep as a Slurm job array of 32 shards, then the index.
#   sbatch scenarios/sweeps/slurm_array.sh scenarios/sweeps/cyp_psychological_professions.toml
# Each task runs every 32nd work item; results do not depend on the split.
# Rerunning a task resumes it (finished run files are validated and kept).
#SBATCH --job-name=traineesim
#SBATCH --array=0-31
#SBATCH --cpus-per-task=4
#SBATCH --time=02:00:00
#SBATCH --output=traineesim_%A_%a.log
set -euo pipefail
SWEEP=${1:?usage: sbatch slurm_array.sh SWEEP.toml [OUT]}
OUT=${2:-results/$(basename "$SWEEP" .toml)}
srun build/sim/app/traineesim sweep "$SWEEP" --out "$OUT" --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT:-32}"
# When the last task finishes, one of them (or a dependent job:
#   sbatch --dependency=afterok:$SLURM_ARRAY_JOB_ID --wrap "traineesim sweep $SWEEP --out $OUT --index-only")
# writes $OUT/sweep.h5 from the run files.
