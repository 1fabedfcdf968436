// An option file as `ehsim compare` reads it: against the bundled Walsall baseline, loaded once.
#include <cstddef>
#include <cstdint>

#include "sim/experiment/comparison.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string baseline_file = (ehsim::fuzz::scratch() / "scenarios/walsall/baseline.yaml").string();
    static const ehsim::model::Scenario baseline = ehsim::scenario::load_scenario_file(baseline_file);
    const std::string file = ehsim::fuzz::write_input("scenarios/walsall/options/fuzzed-option.yaml", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(
        file, [&] { ehsim::experiment::load_comparison(baseline, baseline_file, {file}); });
    return 0;
}
