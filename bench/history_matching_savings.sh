#!/usr/bin/env bash
# What history matching saves: ABC-SMC alone (from the prior) on a calibration set-up, stopped when its tolerance
# reaches TOLERANCE (the tolerance the set-up's history matching and ABC-SMC converged to: docs/calibration.md) or
# when BUDGET simulations are spent. Prints each generation (simulations, wall time) for the raw lines in
# bench/results/. Hours on Walsall: not part of CI.
# Usage: bench/history_matching_savings.sh SETUP.yaml TOLERANCE [BUDGET (default 60000)]
#   e.g. bench/history_matching_savings.sh calibration/wirral-2018-19.yaml 2.04 7901 (equal cost: Wirral's 7,901)
# With SAVINGS_WORK=DIR the run's files stay in DIR, and a later call with the same DIR continues from the last
# complete generation (--resume: the result an uninterrupted run gives; BUDGET may be raised), so a run of hours
# can be spread over several sittings.
set -euo pipefail
setup=$1
tolerance=$2
budget=${3:-60000}
root=$(cd "$(dirname "$0")/.." && pwd)
folder=$(cd "$(dirname "$setup")" && pwd)
if [[ -n ${SAVINGS_WORK:-} ]]; then
    mkdir -p "$SAVINGS_WORK"
    work=$(cd "$SAVINGS_WORK" && pwd)
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
# A copy of the set-up: its scenario and targets by absolute path, the stop at TOLERANCE and the budget given; the
# priors, figures, seed and algorithm are the set-up's own, but for the screen by history matching's emulators
# (delayed_acceptance), which without history matching has no emulators to screen with.
sed -e "s|^scenario: |scenario: $folder/|; s|^targets: |targets: $folder/|" \
    -e "s|^  delayed_acceptance: .*|  delayed_acceptance: false|; /^  surrogate_floor: /d" \
    -e "s|^  minimum_tolerance: .*|  minimum_tolerance: $tolerance|" \
    -e "s|^  simulation_budget: .*|  simulation_budget: $budget|" \
    -e "s|^  wall_time_budget_minutes: .*|  wall_time_budget_minutes: 100000|" "$setup" > "$work/alone.yaml"
resume=()
[[ -f $work/alone.h5.checkpoint ]] && resume=(--resume)
start=$(date +%s)
"$root/build/sim/ehsim" calibrate "$work/alone.yaml" --no-history-match --out "$work/alone.h5" "${resume[@]}"
echo "ABC-SMC alone on $setup to tolerance $tolerance (budget $budget simulations): $(( $(date +%s) - start )) s wall"
