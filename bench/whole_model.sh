#!/usr/bin/env bash
# The whole Early Help model's cost (issue 15), measured on this machine (after setup.sh; an MPI build in BUILD_MPI,
# default build-mpi, for the ranks' part, which is skipped without one):
#   1. events per second of the Walsall model, one replication on one thread, with and without the statutory
#      pathway (bench/whole_model.cpp), three of each, alternated;
#   2. one replication's wall time and peak memory at 10^4, 10^5, 10^6 and 10^7 children (Walsall scaled), and
#      beside them the cost of one random read over the same footprints (bench/memory_latency.cpp);
#   3. every English authority (`ehsim new-scenario --all`), 5 reported years x REPLICATIONS (default 100) each, on
#      the machine's cores as one `ehsim run` job; then on 1 and 2 MPI ranks of one thread each (REPLICATIONS / 10
#      each), for the parallel efficiency.
#
#   bench/whole_model.sh [REPLICATIONS]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
replications=${1:-100}
build=build
mpi_build=${BUILD_MPI:-build-mpi}
[ -x "$build/bench/whole_model" ] || { echo "whole_model.sh: $build/bench/whole_model is missing: bash setup.sh test" >&2; exit 2; }
walsall=scenarios/walsall/baseline.yaml
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"

echo "== 1. Walsall, one replication, one thread: with and without the statutory pathway"
for round in 1 2 3; do
    for pathway in with without; do "$build/bench/whole_model" "$walsall" 74672 "$pathway"; done
done

echo "== 2. one replication by size (Walsall scaled; children aged 0-19)"
for children in 10000 100000 1000000 10000000; do "$build/bench/whole_model" "$walsall" "$children" with; done
echo "== 2b. one dependent random read, over footprints like those peak memories"
"$build/bench/memory_latency" 6 10 37 280

echo "== 3. every English authority, 5 reported years"
work=$build/bench/england
rm -rf "$work"
"$build/sim/ehsim" new-scenario --all "$work/scenarios" | tail -1
/usr/bin/time -f "every authority x $replications replications, $(nproc) threads: wall %e s, peak RSS %M KB" \
    "$build/sim/ehsim" run "$work/scenarios" -n "$replications" -y 5 --no-posterior -q --out "$work/runs"
if [ -x "$mpi_build/sim/ehsim" ] && command -v mpirun >/dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    small=$((replications / 10))
    for ranks in 1 2; do
        /usr/bin/time -f "every authority x $small replications, mpirun -np $ranks --threads 1: wall %e s" \
            mpirun --oversubscribe -np "$ranks" "$mpi_build/sim/ehsim" run "$work/scenarios" -n "$small" -y 5 \
            --no-posterior -q --threads 1 --out "$work/ranks-$ranks"
    done
    echo "parallel efficiency = (1 rank's time) / (2 x 2 ranks' time); the two folders' files are identical:"
    for file in "$work"/ranks-1/*.h5; do
        cmp -s <("$build/tests/hdf5_fingerprint" "$file") \
            <("$build/tests/hdf5_fingerprint" "$work/ranks-2/$(basename "$file")") || echo "DIFFERENT: $file"
    done | sort | uniq -c | head
    echo "(no DIFFERENT line: every file the same)"
fi
