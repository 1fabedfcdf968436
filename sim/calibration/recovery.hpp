// Recovery checks: make synthetic "published figures" from the model at known parameter values, calibrate
// to them, and see whether the posterior finds the truth. Used by the tests (one data set) and by
// bench/calibration_coverage (many: the coverage of the credible intervals).
#pragma once

#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::calibration {

struct Recovery {
    std::vector<double> truth, lower, upper;  // per parameter: the truth and the central credible interval
    std::vector<double> posterior_mean, posterior_sd, prior_sd;
    std::vector<bool> covered;
    std::vector<double> data;  // the synthetic figures calibrated to
    AbcResult abc;
};

// The targets with other values (synthetic data): each figure's value replaced by `figures`' (a range keeps
// its width about the new value), its kind, definition and error model unchanged. Throws
// std::invalid_argument for a figure that is not finite.
TargetsFile synthetic_targets(const TargetsFile& targets, const std::vector<double>& figures);

// Data set `dataset`: the targets' figures from one replication at `truth`, on streams of its own (the
// replication's randomness is the figures' sampling error). Then ABC-SMC with `settings`; the interval is
// the weighted central `credible` interval of the posterior. The targets file gives the figures' kinds and
// errors (computed from the synthetic values); its values are replaced (synthetic_targets).
Recovery recover(const model::Scenario& scenario, const TargetsFile& targets,
                 const std::vector<UncertainParameter>& parameters, const std::vector<double>& truth,
                 std::uint64_t dataset, const AbcSettings& settings, double credible);

// The weighted quantile of one parameter of a population.
double weighted_quantile(const Population& population, std::size_t parameter, double share);

}  // namespace ehsim::calibration
