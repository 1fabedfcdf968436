#!/usr/bin/env bash
# Soak: one national-scale replication (Walsall x 160, about 12 million children) over 20 reported years against
# the same over 5. Memory must stay flat, O(open cases) not O(history): the 20-year run's peak resident memory
# within 10% of the 5-year run's. Exit status 1 if not. About 3 minutes on one core.
#
#   bench/soak.sh [K]        (after setup.sh)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
scale=${1:-160}
peak() { grep -o 'peak RSS [0-9]* KB' <<<"$1" | grep -o '[0-9]*'; }
five=$(bench/national_scale.sh "$scale" 5 2>&1 | tail -1)
echo "$five"
twenty=$(bench/national_scale.sh "$scale" 20 2>&1 | tail -1)
echo "$twenty"
awk -v five="$(peak "$five")" -v twenty="$(peak "$twenty")" 'BEGIN {
    ratio = twenty / five
    printf "soak: 20 years peak %.0f MB, 5 years %.0f MB: ratio %.3f (must be <= 1.10)\n", twenty / 1024, five / 1024, ratio
    exit ratio <= 1.10 ? 0 : 1
}'
