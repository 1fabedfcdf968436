#!/usr/bin/env bash
# The work one event costs, by the size of the system: instructions executed (counted by valgrind's cachegrind,
# exact and the same on every run, unlike a wall time) per event of one Walsall replication scaled to each size,
# net of the fixed cost of loading and setting up (measured at 100 children). A flat line means the work grows
# linearly with the system; what the wall time adds on top of it is the memory's (bench/memory_latency).
#
#   bench/instructions_per_event.sh [CHILDREN...]     (default 10000 100000 1000000 10000000; 10^7 takes ~6 min)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
command -v valgrind >/dev/null || { echo "instructions_per_event.sh: valgrind is missing (apt-get install valgrind)" >&2; exit 2; }
[ -x build/bench/whole_model ] || { echo "instructions_per_event.sh: build/bench/whole_model is missing: bash setup.sh test" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000 10000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of the program, so that a rebuild while this runs does not change what is measured.
cp build/bench/whole_model "$work/whole_model"
measure() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$work/whole_model" \
        scenarios/walsall/baseline.yaml "$1" >"$work/$1.txt" 2>&1
}
echo "== commit $(git rev-parse --short HEAD), $(date -u +%FT%TZ)"
measure 100
for children in "${sizes[@]}"; do
    measure "$children" &
    while (($(jobs -rp | wc -l) >= $(nproc))); do sleep 1; done
done
wait
instructions() { grep -E 'I +refs:' "$work/$1.txt" | grep -oE '[0-9,]+$' | tr -d ,; }
events() { grep -oE '[0-9]+ events in' "$work/$1.txt" | grep -oE '^[0-9]+'; }
fixed=$(instructions 100)
fixed_events=$(events 100)
printf '%12s %12s %16s %22s\n' children events instructions "per event, net of set-up"
for children in "${sizes[@]}"; do
    awk -v c="$children" -v e="$(events "$children")" -v i="$(instructions "$children")" -v fi="$fixed" -v fe="$fixed_events" \
        'BEGIN { printf "%12s %12s %16s %22.0f\n", c, e, i, (i - fi) / (e - fe) }'
done
