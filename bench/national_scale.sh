#!/usr/bin/env bash
# One replication of a national-scale scenario on one core: the Walsall baseline scaled up K times
# (default 160: about 12 million children, the size of England's 0-19 population), with every
# locality's children, every team's FTE and the front doors' screeners multiplied by K.
#
#   bench/national_scale.sh [K [YEARS]]        (after setup.sh; YEARS reported, default the scenario's horizon)
#
# Prints the wall time and peak memory of `ehsim run -n 1 --threads 1` on the scaled scenario.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
scale=${1:-160}
years=${2:-}
[ -x build/sim/ehsim ] || { echo "national_scale: build/sim/ehsim is missing: run setup.sh first" >&2; exit 2; }
mkdir -p build/bench
scenario=build/bench/national-x$scale.yaml
# Multiply the numbers of children (age_* keys), FTE and screeners; rename the scenario.
perl -pe "
  s/(age_\\w+: )([0-9.]+)/\$1 . (\$2 * $scale)/ge;
  s/(fte: )([0-9.]+)/\$1 . (\$2 * $scale)/ge;
  s/(screeners: )([0-9.]+)/\$1 . (\$2 * $scale)/ge;
  s/^name: .*/name: national-x$scale/;
" scenarios/walsall/baseline.yaml >"$scenario"
build/sim/ehsim validate "$scenario" | sed -n '5p'
/usr/bin/time -f "national scale x$scale${years:+, $years years}: wall %e s, peak RSS %M KB (one replication, one thread)" \
    build/sim/ehsim run "$scenario" -n 1 --threads 1 -q ${years:+--years "$years"} --out build/bench/national-x$scale.h5
