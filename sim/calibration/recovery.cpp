#include "sim/calibration/recovery.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "sim/calibration/model_calibration.hpp"
#include "sim/kernel/statistics.hpp"

namespace ehsim::calibration {

double weighted_quantile(const Population& population, std::size_t parameter, double share) {
    std::vector<double> column(population.size());
    for (std::size_t i = 0; i < population.size(); ++i) column[i] = population.value(i, parameter);
    return kernel::weighted_quantile(column, population.weights, share);
}

TargetsFile synthetic_targets(const TargetsFile& targets, const std::vector<double>& figures) {
    if (figures.size() != targets.targets.size())
        throw std::invalid_argument("synthetic_targets: one figure per target is needed");
    TargetsFile synthetic = targets;
    for (std::size_t k = 0; k < figures.size(); ++k) {
        Target& target = synthetic.targets[k];
        if (!std::isfinite(figures[k]))
            throw std::invalid_argument("synthetic_targets: the simulated '" + target.name + "' is not a number");
        const double half_width = 0.5 * (target.upper - target.lower);
        target.value = figures[k];
        target.lower = target.kind == TargetKind::range ? figures[k] - half_width : figures[k];
        target.upper = target.kind == TargetKind::range ? figures[k] + half_width : figures[k];
    }
    return synthetic;
}

Recovery recover(const model::Scenario& scenario, const TargetsFile& targets,
                 const std::vector<UncertainParameter>& parameters, const std::vector<double>& truth,
                 std::uint64_t dataset, const AbcSettings& settings, double credible) {
    if (truth.size() != parameters.size()) throw std::invalid_argument("recover: one true value per parameter");
    // The data: one replication at the truth, on streams no calibration proposal uses.
    const ModelCalibration truth_model(scenario, targets, parameters, "(recovery)",
                                       settings.seed + 7919 * (dataset + 1));
    std::vector<double> figures = truth_model.simulate(truth, 2'000'000 + dataset, dataset);
    // The replication's own randomness is the figures' sampling error: nothing is added to it.
    const TargetsFile synthetic = synthetic_targets(targets, figures);
    AbcSettings run_settings = settings;
    run_settings.seed = settings.seed + 104729 * (dataset + 1);
    const ModelCalibration model(scenario, synthetic, parameters, "(recovery)", run_settings.seed);
    AbcSmc abc(model.priors(), model.observations(), run_settings);
    Recovery recovery;
    for (const Target& target : synthetic.targets) recovery.data.push_back(target.value);
    recovery.abc = abc.run([&](const std::vector<double>& values, std::uint64_t generation, std::uint64_t index) {
        return model.simulate(values, generation, index);
    });
    recovery.truth = truth;
    const Population& population = recovery.abc.population;
    kernel::RandomEngine prior_draws = kernel::RandomStreams(settings.seed).stream(dataset, "recovery prior", 0);
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        recovery.lower.push_back(weighted_quantile(population, p, (1 - credible) / 2));
        recovery.upper.push_back(weighted_quantile(population, p, (1 + credible) / 2));
        recovery.covered.push_back(truth[p] >= recovery.lower.back() && truth[p] <= recovery.upper.back());
        double mean = 0, square = 0;
        for (std::size_t i = 0; i < population.size(); ++i) {
            mean += population.weights[i] * population.value(i, p);
            square += population.weights[i] * population.value(i, p) * population.value(i, p);
        }
        recovery.posterior_mean.push_back(mean);
        recovery.posterior_sd.push_back(std::sqrt(std::max(0.0, square - mean * mean)));
        kernel::RunningStatistics prior;
        for (int i = 0; i < 4000; ++i) prior.add(parameters[p].prior.sample(prior_draws));
        recovery.prior_sd.push_back(prior.standard_deviation());
    }
    return recovery;
}

}  // namespace ehsim::calibration
