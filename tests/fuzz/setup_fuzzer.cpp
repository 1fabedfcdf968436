// A calibration set-up file as `ehsim calibrate` and `ehsim sensitivity` read it: the set-up, the scenario and
// targets it names (the bundled ones, beside it), and the model built from them, before any simulation.
#include <cstddef>
#include <cstdint>

#include "sim/experiment/calibration_run.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = ehsim::fuzz::write_input("calibration/fuzzed-setup.yaml", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] { ehsim::experiment::Calibration calibration(file); });
    return 0;
}
