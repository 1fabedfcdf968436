// ABC-SMC's perturbation kernels side by side on a toy with many parameters: each generation's tolerance,
// acceptance rate and effective sample size, and the simulations to the same tolerance, for the global
// kernel and the local one at several scales, and for replenishment with Metropolis-Hastings moves at the
// scales of their steps (docs/calibration.md, "The algorithm").
//
//   build/bench/abc_kernels [parameters] [scales...]       (default: 16 parameters; local scales 1 2 2.5)
//
// The toy: half the parameters log-uniform on [0.01, 100] (moved on their logarithm), half uniform on [-3, 3];
// figure d is x_d + x_{d+1} / 2 + N(0, 0.3^2), with x the base-10 logarithm of a log-uniform parameter, all
// observed at 0.5 with error 1: correlated figures, a posterior far narrower than the prior.
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sim/calibration/abc_smc.hpp"

namespace {

using namespace ehsim;
using namespace ehsim::calibration;

void run(std::size_t dimensions, AbcMethod method, PerturbationKernel kind, double scale) {
    AbcSettings settings;
    settings.particles = 1000;
    settings.method = method;
    settings.kernel = kind;
    settings.kernel_scale = scale;
    settings.minimum_tolerance = 0.3;
    settings.minimum_acceptance_rate = 0.01;
    settings.minimum_tolerance_change = 0;
    settings.maximum_generations = 12;
    settings.threads = 2;
    std::vector<Prior> priors;
    std::vector<Observation> observations;
    for (std::size_t d = 0; d < dimensions; ++d) {
        Prior prior;
        prior.kind = d % 2 ? PriorKind::uniform : PriorKind::log_uniform;
        prior.lower = d % 2 ? -3 : 0.01;
        prior.upper = d % 2 ? 3 : 100;
        priors.push_back(prior);
        observations.push_back(Observation{0.5, 0.5, 1.0});
    }
    const kernel::RandomStreams streams(31);
    AbcSmc abc(priors, observations, settings);
    const auto coordinate = [](const std::vector<double>& theta, std::size_t d) {
        return d % 2 ? theta[d] : std::log10(theta[d]);
    };
    const AbcResult result =
        abc.run([&](const std::vector<double>& theta, std::uint64_t generation, std::uint64_t index) {
            kernel::RandomEngine random = streams.stream(generation, "toy figures", index);
            boost::random::normal_distribution<double> noise(0, 0.3);
            std::vector<double> figures;
            for (std::size_t d = 0; d < dimensions; ++d)
                figures.push_back(coordinate(theta, d) + (d + 1 < dimensions ? 0.5 * coordinate(theta, d + 1) : 0.0) +
                                  noise(random));
            return figures;
        });
    const bool moves = method == AbcMethod::mcmc_moves;
    std::printf("%s, scale %.2g: %llu simulations (%s)\n  ",
                moves ? "mcmc moves" : (kind == PerturbationKernel::local ? "local kernel" : "global kernel"), scale,
                static_cast<unsigned long long>(result.total_simulations), result.stop_reason.c_str());
    for (const GenerationSummary& generation : result.history)
        if (moves)
            std::printf(" [%.2f %.0f%% %zu %zu]", generation.tolerance, 100 * generation.acceptance_rate,
                        generation.distinct_particles, generation.moves);
        else
            std::printf(" [%.2f %.0f%% %.0f]", generation.tolerance, 100 * generation.acceptance_rate,
                        generation.effective_sample_size);
    std::printf(moves ? "   ([tolerance step-acceptance distinct steps] by generation)\n"
                      : "   ([tolerance acceptance ESS] by generation)\n");
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t dimensions = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 16;
    if (dimensions < 1) {
        std::fprintf(stderr, "usage: abc_kernels [parameters >= 1] [scales...]\n");
        return 2;
    }
    std::vector<double> scales;
    for (int i = 2; i < argc; ++i) scales.push_back(std::atof(argv[i]));
    if (scales.empty()) scales = {1, 2, 2.5};
    run(dimensions, AbcMethod::importance_weights, PerturbationKernel::global, 2);
    for (const double scale : scales) run(dimensions, AbcMethod::importance_weights, PerturbationKernel::local, scale);
    for (const double scale : {0.25, 0.5, 1.0})
        run(dimensions, AbcMethod::mcmc_moves, PerturbationKernel::global, scale);
    return 0;
}
