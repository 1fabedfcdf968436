#!/usr/bin/env bash
# `ehsim compare` of the Walsall baseline and its bundled options (five), 5 reported years, N replications
# each (default 500), on the machine's cores: the speed target of issue 4 is under 90 s on 2 cores.
#
#   bench/compare_walsall.sh [N]        (after setup.sh)
#
# Prints the wall time and peak memory; the comparison file goes to build/bench/compare-walsall.h5, and its
# report (timed too) to build/bench/compare-walsall.html.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
replications=${1:-500}
[ -x build/sim/ehsim ] || { echo "compare_walsall: build/sim/ehsim is missing: run setup.sh first" >&2; exit 2; }
mkdir -p build/bench
/usr/bin/time -f "compare walsall, 5 options x $replications replications, $(nproc) cores: wall %e s, peak RSS %M KB" \
    build/sim/ehsim compare scenarios/walsall/baseline.yaml scenarios/walsall/options/*.yaml \
    -n "$replications" -q --out build/bench/compare-walsall.h5
# The scrutiny report of that comparison (issue 6's target: under 5 s and under 5 MB).
/usr/bin/time -f "report of the comparison: wall %e s, peak RSS %M KB" \
    build/sim/ehsim report build/bench/compare-walsall.h5 --out build/bench/compare-walsall.html
echo "report size: $(stat -c %s build/bench/compare-walsall.html) bytes"
