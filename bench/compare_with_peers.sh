#!/usr/bin/env bash
# Speed of ehsim as a ratio to the reference models in ../shared/peers, measured in the same run with
# the peers' own paired timer (whole-process wall time, A B A B ... after one warm-up of each).
#
#   bench/compare_with_peers.sh [--checks]      (after setup.sh; about 3 minutes, 4 more with --checks)
#
# Two models: M/M/c, and the peers' Early Help-like network (ehnet_spec.md: a front door, red/amber/green
# priority for caseload places, giving up while waiting, re-referral), each on ehsim's kernel.
# --checks first runs the peers' checks on ehsim: Erlang-C (20 replications x 10^6 customers) and ehnet
# against the hand-written loop (20 seeds, |z| < 3 on every figure).
# Environment: PAIRS (default 5), N (customers, 1000000), C (10), RHO (0.9), SEED (1), DAYS (ehnet, 3650).
# Writes the log to bench/results/peers-<date>-<HHMM>.txt.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
peers=${PEERS:-../shared/peers}
[ -d "$peers" ] || { echo "compare_with_peers: no peer kit at $peers (set PEERS=...)" >&2; exit 2; }
ehsim_peer=build/bench/ehsim_mmc_peer
ehsim_ehnet=build/bench/ehsim_ehnet_peer
for program in "$ehsim_peer" "$ehsim_ehnet"; do
    [ -x "$program" ] || { echo "compare_with_peers: $program is missing: run setup.sh first" >&2; exit 2; }
done
PAIRS=${PAIRS:-5} N=${N:-1000000} C=${C:-10} RHO=${RHO:-0.9} SEED=${SEED:-1} DAYS=${DAYS:-3650}
export PAIRS
python=/usr/bin/python3

mkdir -p build/peers bench/results
log=bench/results/peers-$(date +%F-%H%M).txt
exec > >(tee "$log") 2>&1
echo "# compare_with_peers.sh $(date -u +%FT%TZ) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# ehsim $(build/sim/ehsim --version | sed 's/^ehsim //'); $(g++ --version | head -1)"
g++ -std=c++20 -O2 -o build/peers/mmc_baseline "$peers/mmc_baseline.cpp"
g++ -std=c++20 -O2 -o build/peers/ehnet_baseline "$peers/ehnet_baseline.cpp"

if [[ "${1:-}" == "--checks" ]]; then
    echo; echo "## Erlang-C check of ehsim with the peers' checker: 20 x $N customers, M/M/$C rho=$RHO"
    (cd "$peers" && $python check_erlang.py 20 "$N" --c "$C" --rho "$RHO" -j 2 -- "$OLDPWD/$ehsim_peer")
    echo; echo "## ehnet check: hand-written loop (A) against ehsim (B), 20 seeds x $DAYS days"
    (cd "$peers" && $python check_ehnet.py 20 "$DAYS" -j 2 -- "$OLDPWD/build/peers/ehnet_baseline" -- \
        "$OLDPWD/$ehsim_ehnet")
fi

mmc=("$N" "$C" "$SEED" "$RHO" 1)
echo; echo "## M/M/c: ehsim (A) vs hand-written C++ loop, plain (B)"
$python "$peers/paired.py" "$ehsim_peer" "${mmc[@]}" -- build/peers/mmc_baseline "${mmc[@]}" plain
echo; echo "## M/M/c: ehsim (A) vs SimPy 4 on CPython (B)"
$python "$peers/paired.py" "$ehsim_peer" "${mmc[@]}" -- $python "$peers/mmc_simpy.py" "${mmc[@]}"
ehnet=("$DAYS" "$SEED")
echo; echo "## ehnet: ehsim (A) vs hand-written C++ loop (B)"
$python "$peers/paired.py" "$ehsim_ehnet" "${ehnet[@]}" -- build/peers/ehnet_baseline "${ehnet[@]}"
echo; echo "## ehnet: ehsim (A) vs SimPy 4 on CPython (B)"
$python "$peers/paired.py" "$ehsim_ehnet" "${ehnet[@]}" -- $python "$peers/ehnet_simpy.py" "${ehnet[@]}"
echo "(log: $log)"
