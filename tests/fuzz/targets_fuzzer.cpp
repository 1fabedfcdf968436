// A calibration targets file (published figures) as `ehsim run --targets` and `ehsim calibrate` read it.
#include <cstddef>
#include <cstdint>

#include "sim/calibration/calibration_files.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = ehsim::fuzz::write_input("calibration/targets/fuzzed-targets.yaml", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] { ehsim::calibration::load_targets_file(file); });
    return 0;
}
