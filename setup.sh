#!/usr/bin/env bash
# From a fresh Debian 12 machine to a built (and, with `test`, tested) ehsim in one step.
#
#   bash setup.sh          install any missing Debian packages and the report's chart libraries (npm), configure
#                          and build (Release) in build/
#   bash setup.sh test     the same with chromium (the report's browser test), then the whole test suite (CTest)
#
# Installing needs root (or sudo without a password); when everything is installed nothing is asked
# of apt or npm and an up-to-date build takes a second. Environment: BUILD_DIR (build), BUILD_TYPE (Release),
# CMAKE_ARGS (extra configure arguments, e.g. -DEHSIM_SANITIZE=ON), JOBS (number of cores).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

# Every Debian package the build and the tests need; besides them, only the report's chart libraries are fetched,
# from the npm registry (below).
packages=(
    g++ cmake make git ca-certificates
    libboost-dev libboost-program-options-dev libyaml-cpp-dev libhdf5-dev libeigen3-dev nlohmann-json3-dev
    libgtest-dev libgmock-dev libbenchmark-dev
)

mode=${1:-build}
case "$mode" in
    build | test) ;;
    -h | --help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$mode' (use: bash setup.sh [test])" >&2; exit 2 ;;
esac
# npm installs the chart libraries of `ehsim report` (below). A Node.js installed some other way is used as it
# is (NodeSource's nodejs package, for one, includes npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
# The report's end-to-end test opens it in headless Chromium.
if [ "$mode" = test ]; then packages+=(chromium); fi

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
    echo "setup.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -q
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The chart libraries that `ehsim report` inlines into its HTML (vega, vega-lite, vega-embed), at the exact
# versions of output/report/package-lock.json, into output/report/node_modules (ignored by git); again only
# when that lock file has changed since they were installed.
libraries=output/report
if ! cmp -s "$libraries/package-lock.json" "$libraries/node_modules/.ehsim-installed-lock.json"; then
    echo "setup.sh: installing the report's chart libraries from the npm registry ($libraries/package-lock.json)"
    # Trust the certificate authorities the machine's administrator installed for apt and git too (Node.js
    # otherwise trusts only its own list).
    if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
        export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
    fi
    npm ci --prefix "$libraries" --ignore-scripts --no-audit --no-fund --loglevel=error
    cp "$libraries/package-lock.json" "$libraries/node_modules/.ehsim-installed-lock.json"
fi

build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}
# shellcheck disable=SC2086  # CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${CMAKE_ARGS:-} >"$build_dir.configure.log" 2>&1 ||
    { cat "$build_dir.configure.log" >&2; exit 1; }
cmake --build "$build_dir" --parallel "$jobs"
echo "setup.sh: built $build_dir/sim/ehsim"

if [ "$mode" = test ]; then
    ctest --test-dir "$build_dir" --output-on-failure --parallel "$jobs"
fi
