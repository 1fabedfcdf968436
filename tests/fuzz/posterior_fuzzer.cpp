// A calibration file as `ehsim run --posterior` and `ehsim compare --posterior` read it: its draws, applied to the
// bundled Walsall baseline's parameters.
#include <cstddef>
#include <cstdint>

#include "sim/experiment/posterior_draws.hpp"
#include "sim/kernel/random_streams.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string baseline = (ehsim::fuzz::scratch() / "scenarios/walsall/baseline.yaml").string();
    const std::string file = ehsim::fuzz::write_input("fuzzed-posterior.h5", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] {
        const ehsim::experiment::ParameterDraws draws(file, {baseline}, ehsim::kernel::RandomStreams(1));
        if (draws.active()) draws.scenarios(0);
    });
    return 0;
}
