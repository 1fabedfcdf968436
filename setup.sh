#!/usr/bin/env bash
# From a fresh Debian 12 machine to a built (and, with `test`, tested) ehsim in one step.
#
#   bash setup.sh          install any missing Debian packages, fetch the report's chart libraries (npm, only
#                          when they are not there yet), configure and build ehsim (Release) in build/
#   bash setup.sh test     the same with the test suite's packages (GoogleTest, Google Benchmark, chromium for the
#                          report's browser tests), then build and run the whole test suite (CTest)
#   bash setup.sh package  the same as `bash setup.sh`, then the Debian package build/ehsim_<version>_<arch>.deb
#                          (apt install ./build/ehsim_*.deb installs it with its runtime dependencies)
#
# Installing needs root (or sudo without a password); when everything is installed nothing is asked
# of apt or npm and an up-to-date build takes a second. Environment: BUILD_DIR (build), BUILD_TYPE (Release),
# CMAKE_ARGS (extra configure arguments, e.g. -DEHSIM_SANITIZE=ON; -DEHSIM_MPI=ON also installs OpenMPI, for
# `mpirun -np N ehsim ...`: docs/cluster.md), JOBS (number of cores).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
started=$(date +%s)
say() { echo "setup.sh: $* ($(($(date +%s) - started)) s)"; }

# Every Debian package the build needs; besides them, only the report's chart libraries are fetched, from the npm
# registry (below).
packages=(
    g++ cmake make git ca-certificates
    libboost-dev libboost-program-options-dev libyaml-cpp-dev libhdf5-dev libeigen3-dev nlohmann-json3-dev
)
# What only the tests need: GoogleTest, Google Benchmark, and headless Chromium for the report's browser tests.
test_packages=(libgtest-dev libgmock-dev libbenchmark-dev chromium)

mode=${1:-build}
case "$mode" in
    build | package) ;;
    test) packages+=("${test_packages[@]}") ;;
    -h | --help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$mode' (use: bash setup.sh [test|package])" >&2; exit 2 ;;
esac
# OpenMPI, for a build that spreads work over an MPI job's ranks.
if [[ " ${CMAKE_ARGS:-} " == *" -DEHSIM_MPI=ON "* ]]; then packages+=(libopenmpi-dev openmpi-bin); fi
# dpkg-shlibdeps (dpkg-dev) finds the package's runtime dependencies.
if [ "$mode" = package ]; then packages+=(dpkg-dev); fi

# The chart libraries that `ehsim report` builds into the program (vega, vega-lite, vega-embed): the npm tarballs
# of the exact versions of output/report/package-lock.json, fetched into output/report/packages (ignored by git)
# only when one is missing. The build checks each against the lock file's integrity hash; the installed program
# needs neither npm nor this folder. A Node.js installed some other way is used as it is (NodeSource's nodejs
# package, for one, includes npm and conflicts with Debian's npm package).
libraries=output/report
tarballs=()
for name in vega vega-lite vega-embed; do
    version=$(grep -A1 "\"node_modules/$name\": {" "$libraries/package-lock.json" | sed -n 's/.*"version": "\(.*\)".*/\1/p')
    [ -s "$libraries/packages/$name-$version.tgz" ] || tarballs+=("$name@$version")
done
if ((${#tarballs[@]})) && ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo)
    else
        echo "setup.sh: these Debian packages are missing: ${missing[*]}" >&2
        echo "setup.sh: install them as root (apt-get install ${missing[*]}) and run setup.sh again" >&2
        exit 1
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -q
    # dpkg's unsafe-io skips a sync after each unpacked file (as Debian's own container images do): several times
    # faster on a slow disk; only a power cut during the install itself could leave a package to reinstall.
    "${as_root[@]}" apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "${missing[@]}"
    say "installed the Debian packages"
fi

if ((${#tarballs[@]})); then
    say "fetching the report's chart libraries from the npm registry: ${tarballs[*]}"
    # Trust the certificate authorities the machine's administrator installed for apt and git too (Node.js
    # otherwise trusts only its own list).
    if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
        export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
    fi
    mkdir -p "$libraries/packages"
    npm pack "${tarballs[@]}" --pack-destination "$libraries/packages" --ignore-scripts --loglevel=error >/dev/null
fi

# The tests and benchmarks are configured when their packages are there (always with `test`): the main job needs
# only the program.
test_switches=()
if [ "$mode" = test ]; then
    test_switches=(-DEHSIM_BUILD_TESTS=ON -DEHSIM_BUILD_BENCHMARKS=ON)
else
    for package in libgtest-dev libgmock-dev libbenchmark-dev; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
            test_switches=(-DEHSIM_BUILD_TESTS=OFF -DEHSIM_BUILD_BENCHMARKS=OFF)
    done
fi

build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
# shellcheck disable=SC2086  # CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" "${test_switches[@]}" ${CMAKE_ARGS:-} \
    >"$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log" >&2; exit 1; }
cmake --build "$build_dir" --parallel "$jobs"
say "built $build_dir/sim/ehsim"

case "$mode" in
    test) ctest --test-dir "$build_dir" --output-on-failure --parallel "$jobs" ;;
    package)
        (cd "$build_dir" && cpack -G DEB >cpack.log 2>&1) || { cat "$build_dir/cpack.log" >&2; exit 1; }
        say "packaged $(ls "$build_dir"/ehsim_*.deb)"
        ;;
esac
