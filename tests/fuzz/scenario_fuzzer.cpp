// A scenario or option file as `ehsim validate` and `ehsim run` read it (option files extend the bundled Walsall
// baseline beside them).
#include <cstddef>
#include <cstdint>

#include "sim/scenario/option_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = ehsim::fuzz::write_input("scenarios/walsall/options/fuzzed-scenario.yaml", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] { ehsim::scenario::load_scenario_or_option_file(file); });
    return 0;
}
