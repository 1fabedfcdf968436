// A calibration checkpoint as `ehsim calibrate --resume` reads it: the bytes are resumed into a small ABC-SMC run
// (one uniform parameter, one figure, the parameter as the simulator), which then runs on to its budget.
// EHSIM_FUZZ_WRITE_SEED=<file>: write that run's checkpoint after two generations (a seed for the corpus) and exit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using namespace ehsim::calibration;

AbcSmc small_run(const std::string& checkpoint, std::size_t generations) {
    Prior uniform;
    uniform.kind = PriorKind::uniform;
    uniform.lower = 0;
    uniform.upper = 1;
    AbcSettings settings;
    settings.particles = 20;
    settings.threads = 1;
    settings.seed = 7;
    settings.maximum_generations = generations;
    settings.simulation_budget = 2000;
    settings.checkpoint_file = checkpoint;
    return AbcSmc({uniform, uniform}, {Observation{0.4, 0.6, 0.05}}, settings);
}

std::vector<double> simulate(const std::vector<double>& parameters, std::uint64_t, std::uint64_t) {
    return {parameters[0] + 0.1 * parameters[1]};
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* seed = std::getenv("EHSIM_FUZZ_WRITE_SEED")) {
        std::filesystem::remove(seed);
        small_run(seed, 2).run(simulate);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = ehsim::fuzz::write_input("fuzzed.checkpoint", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] { small_run(file, 4).run(simulate, /*resume=*/true); });
    return 0;
}
