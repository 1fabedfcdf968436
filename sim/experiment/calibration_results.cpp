#include "sim/experiment/calibration_results.hpp"

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "ehsim/version.hpp"
#include "sim/experiment/run_records.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::experiment {

namespace {

output::InferenceVariable draws(const std::string& name, const std::vector<double>& values, const std::string& about) {
    return output::InferenceVariable{name, {"chain", "draw"}, {1, values.size()}, values, about};
}

// The equal-weight resample, and as many draws of the prior for comparison.
std::pair<output::InferenceGroup, output::InferenceGroup> posterior_and_prior(
    const calibration::CalibrationSetup& setup, const kernel::RandomStreams& streams,
    const CalibrationOutcome& outcome) {
    output::InferenceGroup posterior{"posterior", {}, {}, {}}, prior{"prior", {}, {}, {}};
    const std::size_t parameter_count = setup.parameters.size();
    kernel::RandomEngine prior_draws = streams.stream(0, "prior draws", 0);
    std::vector<std::vector<double>> prior_values(parameter_count);
    for (std::size_t draw = 0; draw < outcome.chosen.size(); ++draw)
        for (std::size_t p = 0; p < parameter_count; ++p)
            prior_values[p].push_back(setup.parameters[p].prior.sample(prior_draws));
    for (std::size_t p = 0; p < parameter_count; ++p) {
        const std::string about =
            std::string(calibration::to_string(setup.parameters[p].prior.kind)) + " prior; " + setup.parameters[p].why;
        posterior.variables.push_back(draws(setup.parameters[p].path, outcome.resampled(p), about));
        prior.variables.push_back(draws(setup.parameters[p].path, prior_values[p], about));
    }
    return {posterior, prior};
}

output::InferenceGroup sample_stats(const CalibrationOutcome& outcome) {
    output::InferenceGroup group{"sample_stats", {}, {}, {}};
    std::vector<double> distance, particle_index;
    for (const std::size_t particle : outcome.chosen) {
        distance.push_back(outcome.result.population.distances[particle]);
        particle_index.push_back(static_cast<double>(particle));
    }
    group.variables.push_back(draws("distance", distance, "ABC distance of the particle drawn"));
    group.variables.push_back(draws("particle", particle_index, "index of the weighted particle drawn"));
    return group;
}

output::InferenceGroup posterior_predictive(const calibration::TargetsFile& targets,
                                            const std::vector<std::vector<double>>& predicted) {
    output::InferenceGroup group{"posterior_predictive", {}, {}, {}};
    for (std::size_t k = 0; k < targets.targets.size(); ++k) {
        const calibration::Target& target = targets.targets[k];
        std::vector<double> column;
        for (const auto& row : predicted) column.push_back(row[k]);
        group.variables.push_back(
            draws(target.name, column, target.indicator + " from " + target.from + " to " + target.to));
    }
    return group;
}

// What each figure is, as the targets file gives it: group attributes "<key>:<target>" (a variable has no
// attributes but its description), so that the report need not guess (docs/output-format.md).
output::InferenceGroup observed_data(const calibration::TargetsFile& targets) {
    output::InferenceGroup observed{"observed_data", {}, {}, {}};
    for (const calibration::Target& target : targets.targets)
        observed.variables.push_back(output::InferenceVariable{target.name, {}, {}, {target.value}, target.source});
    observed.attributes.push_back({"council", targets.council});
    for (const calibration::Target& target : targets.targets) {
        const auto attribute = [&](const std::string& key, const std::string& value) {
            observed.attributes.push_back({key + ":" + target.name, value});
        };
        attribute("kind", calibration::to_string(target.kind));
        attribute("indicator", target.indicator);
        attribute("from", target.from);
        attribute("to", target.to);
        if (target.kind == calibration::TargetKind::difference) {
            attribute("compared_with_from", target.compared_with_from);
            attribute("compared_with_to", target.compared_with_to);
        }
        attribute("source", target.source);
        if (!target.not_fitted.empty()) attribute("not_fitted", target.not_fitted);
        if (!target.known_gap.empty()) attribute("known_gap", target.known_gap);
    }
    return observed;
}

std::vector<std::string> target_names(const calibration::TargetsFile& targets) {
    std::vector<std::string> names;
    for (const auto& target : targets.targets) names.push_back(target.name);
    return names;
}

// Each figure's bounds, error and distance scale along `target`.
void add_figure_constants(output::InferenceGroup& constant, const calibration::TargetsFile& targets,
                          const std::vector<double>& scales) {
    std::vector<double> lower, upper, error_sd;
    for (const auto& target : targets.targets) {
        lower.push_back(target.lower);
        upper.push_back(target.upper);
        error_sd.push_back(target.error_sd());
    }
    const std::size_t n = targets.targets.size();
    constant.coordinates.push_back({"target", target_names(targets)});
    constant.variables.push_back({"lower", {"target"}, {n}, lower, "published value, or the lower end of a range"});
    constant.variables.push_back({"upper", {"target"}, {n}, upper, "published value, or the upper end of a range"});
    constant.variables.push_back(
        {"error_sd", {"target"}, {n}, error_sd, "sampling error and discrepancy, in quadrature"});
    constant.variables.push_back({"distance_scale", {"target"}, {n}, scales, "each figure's scale in the distance"});
}

// What a prior distribution's two numbers are called; uniform and log_uniform have the bounds alone ("").
std::pair<const char*, const char*> prior_number_names(calibration::PriorKind kind) {
    switch (kind) {
        case calibration::PriorKind::normal:
            return {"mean", "sd"};
        case calibration::PriorKind::beta:
            return {"alpha", "beta"};
        case calibration::PriorKind::gamma:
            return {"shape", "scale"};
        default:
            return {"", ""};
    }
}

// Each parameter's prior as the set-up file gives it: the numbers as variables along `parameter`, the
// distribution and what its two numbers mean as attributes "<key>:<parameter path>".
void add_prior_constants(output::InferenceGroup& constant, const calibration::CalibrationSetup& setup) {
    std::vector<std::string> parameter_paths;
    std::vector<double> prior_first, prior_second, prior_lower, prior_upper;
    for (const calibration::UncertainParameter& parameter : setup.parameters) {
        const calibration::Prior& distribution = parameter.prior;
        const auto [first_name, second_name] = prior_number_names(distribution.kind);
        const bool has_numbers = *first_name != '\0';
        const double nan = std::numeric_limits<double>::quiet_NaN();
        parameter_paths.push_back(parameter.path);
        prior_first.push_back(has_numbers ? distribution.first : nan);
        prior_second.push_back(has_numbers ? distribution.second : nan);
        prior_lower.push_back(distribution.lower);
        prior_upper.push_back(distribution.upper);
        constant.attributes.push_back(
            {"prior_distribution:" + parameter.path, calibration::to_string(distribution.kind)});
        if (has_numbers) {
            constant.attributes.push_back({"prior_first:" + parameter.path, first_name});
            constant.attributes.push_back({"prior_second:" + parameter.path, second_name});
        }
    }
    constant.coordinates.push_back({"parameter", parameter_paths});
    const auto per_parameter = [&](const char* key, const std::vector<double>& column, const char* about) {
        constant.variables.push_back({key, {"parameter"}, {parameter_paths.size()}, column, about});
    };
    per_parameter("prior_first", prior_first,
                  "the prior's first number (normal: mean, beta: alpha, gamma: shape; named by the attribute "
                  "prior_first:<parameter>); NaN for uniform and log_uniform");
    per_parameter("prior_second", prior_second,
                  "the prior's second number (normal: sd, beta: beta, gamma: scale; named by the attribute "
                  "prior_second:<parameter>); NaN for uniform and log_uniform");
    per_parameter("prior_lower", prior_lower, "the prior's lower bound (-inf when unbounded)");
    per_parameter("prior_upper", prior_upper, "the prior's upper bound (inf when unbounded)");
}

output::InferenceGroup abc_particles(const calibration::CalibrationSetup& setup,
                                     const calibration::TargetsFile& targets,
                                     const calibration::Population& population) {
    output::InferenceGroup group{"abc_particles", {}, {}, {}};
    group.coordinates.push_back({"target", target_names(targets)});
    const std::size_t count = population.size(), n = targets.targets.size();
    for (std::size_t p = 0; p < setup.parameters.size(); ++p) {
        std::vector<double> column;
        for (std::size_t i = 0; i < count; ++i) column.push_back(population.value(i, p));
        group.variables.push_back({setup.parameters[p].path, {"particle"}, {count}, column, ""});
    }
    group.variables.push_back({"weight", {"particle"}, {count}, population.weights, "importance weight"});
    group.variables.push_back({"distance", {"particle"}, {count}, population.distances, "ABC distance"});
    group.variables.push_back(
        {"simulated", {"particle", "target"}, {count, n}, population.simulated, "figures of the accepted simulation"});
    return group;
}

output::InferenceGroup abc_generations(const std::vector<calibration::GenerationSummary>& history) {
    output::InferenceGroup group{"abc_generations", {}, {}, {}};
    auto per_generation = [&](const char* key, auto field, const char* about) {
        std::vector<double> column;
        for (const auto& summary : history) column.push_back(static_cast<double>(field(summary)));
        group.variables.push_back({key, {"generation"}, {history.size()}, column, about});
    };
    using Summary = calibration::GenerationSummary;
    per_generation(
        "tolerance", [](const Summary& s) { return s.tolerance; }, "acceptance tolerance (scaled distance)");
    per_generation(
        "acceptance_rate", [](const Summary& s) { return s.acceptance_rate; },
        "accepted / simulated (mcmc_moves: accepted steps / steps, those outside the prior included)");
    per_generation(
        "effective_sample_size", [](const Summary& s) { return s.effective_sample_size; }, "(sum w)^2 / sum w^2");
    per_generation(
        "simulations", [](const Summary& s) { return s.simulations; }, "model runs in the generation");
    per_generation(
        "proposals_outside_prior", [](const Summary& s) { return s.proposals_outside_prior; },
        "proposals with zero prior density (not simulated)");
    per_generation(
        "proposals_screened", [](const Summary& s) { return s.proposals_screened; },
        "delayed acceptance: steps the emulators' screen refused (not simulated; 0 without it)");
    per_generation(
        "wall_seconds", [](const Summary& s) { return s.wall_seconds; }, "wall time of the generation");
    per_generation(
        "kernel_scale", [](const Summary& s) { return s.kernel_scale; },
        "the perturbation kernel's scale, or with mcmc_moves the steps' (0: drawn from the prior)");
    per_generation(
        "distinct_particles", [](const Summary& s) { return s.distinct_particles; },
        "different parameter sets among the particles");
    per_generation(
        "moves", [](const Summary& s) { return s.moves; },
        "Metropolis-Hastings steps each copy took (mcmc_moves; 0 for the first generation and importance weights)");
    return group;
}

// Matrices row-major, as InferenceData's variables are.
std::vector<double> row_major(const Eigen::MatrixXd& matrix) {
    std::vector<double> values;
    for (Eigen::Index i = 0; i < matrix.rows(); ++i)
        for (Eigen::Index j = 0; j < matrix.cols(); ++j) values.push_back(matrix(i, j));
    return values;
}

// History matching's waves: one row per wave (and per wave and figure), then (history_matching_runs) every
// design point's values, mean figures and leave-one-out errors, so that a researcher can redo any wave's emulators.
output::InferenceGroup history_matching_waves(const calibration::TargetsFile& targets,
                                              const calibration::HistoryMatchingResult& matched) {
    const std::size_t waves = matched.waves.size(), n = targets.targets.size();
    output::InferenceGroup per_wave{"history_matching_waves", {}, {{"target", target_names(targets)}}, {}};
    auto column = [&](const char* key, auto field, const char* about) {
        std::vector<double> values;
        for (const calibration::WaveRecord& wave : matched.waves) values.push_back(static_cast<double>(field(wave)));
        per_wave.variables.push_back({key, {"wave"}, {waves}, values, about});
    };
    using Wave = calibration::WaveRecord;
    column(
        "volume", [](const Wave& w) { return w.volume; }, "share of the priors' box not ruled out after the wave");
    column(
        "volume_standard_error", [](const Wave& w) { return w.volume_standard_error; }, "Monte Carlo error");
    column(
        "points", [](const Wave& w) { return w.design.rows(); }, "design points");
    column(
        "simulations", [](const Wave& w) { return w.simulations; }, "model runs");
    column(
        "wall_seconds", [](const Wave& w) { return w.wall_seconds; }, "wall time of the wave");
    column(
        "simulation_seconds", [](const Wave& w) { return w.simulation_seconds; }, "of which running the design");
    column(
        "emulation_seconds", [](const Wave& w) { return w.emulation_seconds; }, "of which fitting emulators");
    auto by_target = [&](const char* key, auto field, const char* about) {
        std::vector<double> values;
        for (const calibration::WaveRecord& wave : matched.waves)
            for (std::size_t t = 0; t < n; ++t) {
                const Eigen::VectorXd& vector = field(wave);
                values.push_back(vector.size() == static_cast<Eigen::Index>(n) ? vector(static_cast<Eigen::Index>(t))
                                                                               : std::nan(""));
            }
        per_wave.variables.push_back({key, {"wave", "target"}, {waves, n}, values, about});
    };
    by_target(
        "loo_within_2", [](const Wave& w) -> const Eigen::VectorXd& { return w.loo_within_2; },
        "share of leave-one-out standardised errors within +-2");
    by_target(
        "emulator_variance", [](const Wave& w) -> const Eigen::VectorXd& { return w.emulator_variance; },
        "median emulator variance over the space left");
    by_target(
        "other_variance", [](const Wave& w) -> const Eigen::VectorXd& { return w.other_variance; },
        "observation + discrepancy + run-to-run variance");
    by_target(
        "run_variance", [](const Wave& w) -> const Eigen::VectorXd& { return w.run_variance; },
        "pooled variance of one run about its design point's mean");
    by_target(
        "closest", [](const Wave& w) -> const Eigen::VectorXd& { return w.closest; },
        "closest design point's mean to the observed value, in sd of the other variances");
    const auto& s = matched.settings;
    per_wave.attributes = {
        {"stop_reason", matched.stop_reason},
        {"simulations", std::to_string(matched.simulations)},
        {"cutoff", std::to_string(s.cutoff)},
        {"implausibility", s.rule == calibration::ImplausibilityRule::maximum ? "maximum" : "second_largest"},
        {"points_per_wave", std::to_string(s.points_per_wave)},
        {"replications_per_point", std::to_string(s.replications)}};
    for (std::size_t w = 0; w < matched.warnings.size(); ++w)
        per_wave.attributes.emplace_back("warning_" + std::to_string(w + 1), matched.warnings[w]);
    return per_wave;
}

output::InferenceGroup history_matching_runs(const calibration::CalibrationSetup& setup,
                                             const calibration::TargetsFile& targets,
                                             const calibration::HistoryMatchingResult& matched) {
    using Wave = calibration::WaveRecord;
    const std::size_t waves = matched.waves.size(), n = targets.targets.size(), k = setup.parameters.size();
    output::InferenceGroup runs{"history_matching_runs", {}, {{"target", target_names(targets)}}, {}};
    std::vector<double> wave_of;
    Eigen::MatrixXd design(0, static_cast<Eigen::Index>(k)), means(0, static_cast<Eigen::Index>(n)),
        errors(0, static_cast<Eigen::Index>(n));
    for (std::size_t w = 0; w < waves; ++w) {
        const Wave& wave = matched.waves[w];
        for (Eigen::Index i = 0; i < wave.design.rows(); ++i) wave_of.push_back(static_cast<double>(w));
        design.conservativeResize(design.rows() + wave.design.rows(), Eigen::NoChange);
        design.bottomRows(wave.design.rows()) = wave.design;
        means.conservativeResize(means.rows() + wave.means.rows(), Eigen::NoChange);
        means.bottomRows(wave.means.rows()) = wave.means;
        errors.conservativeResize(errors.rows() + wave.loo_errors.rows(), Eigen::NoChange);
        errors.bottomRows(wave.loo_errors.rows()) = wave.loo_errors;
    }
    const std::size_t points = wave_of.size();
    runs.variables.push_back({"wave", {"point"}, {points}, wave_of, "the wave whose design the point is in (from 0)"});
    for (std::size_t p = 0; p < k; ++p) {
        std::vector<double> values(points);
        for (std::size_t i = 0; i < points; ++i)
            values[i] = design(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(p));
        runs.variables.push_back({setup.parameters[p].path, {"point"}, {points}, values, "the design point's value"});
    }
    runs.variables.push_back(
        {"mean", {"point", "target"}, {points, n}, row_major(means), "mean figure over the point's runs"});
    runs.variables.push_back(
        {"loo_standardised_error", {"point", "target"}, {points, n}, row_major(errors), "leave-one-out error"});
    return runs;
}

}  // namespace

std::string file_hash(const std::string& path) {
    const std::uint64_t hash = kernel::purpose_id(file_text(path));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

output::InferenceData calibration_results(const Calibration& calibration, const calibration::AbcSettings& settings,
                                          const CalibrationOutcome& outcome) {
    const calibration::CalibrationSetup& setup = calibration.setup();
    const calibration::TargetsFile& targets = calibration.targets();
    const kernel::RandomStreams streams(settings.seed);
    auto [posterior, prior] = posterior_and_prior(setup, streams, outcome);
    output::InferenceGroup constant{"constant_data", {}, {}, {}};
    add_figure_constants(constant, targets, outcome.result.scales);
    add_prior_constants(constant, setup);
    output::InferenceData data;
    data.groups = {std::move(posterior),
                   std::move(prior),
                   sample_stats(outcome),
                   posterior_predictive(targets, outcome.predicted),
                   observed_data(targets),
                   std::move(constant),
                   abc_particles(setup, targets, outcome.result.population),
                   abc_generations(outcome.result.history)};
    if (outcome.history_matching) {
        // History matching matched the fitted figures only.
        const calibration::TargetsFile matched = calibration::fitted_targets(targets);
        data.groups.push_back(history_matching_waves(matched, *outcome.history_matching));
        data.groups.push_back(history_matching_runs(setup, matched, *outcome.history_matching));
    }
    data.attributes = {
        {"format", "ehsim-calibration"},
        {"ehsim_version", kVersion},
        {"git_commit", kGitCommit},
        {"created_utc", utc_now()},
        {"seed", std::to_string(settings.seed)},
        {"particles", std::to_string(settings.particles)},
        {"abc_method", settings.method == calibration::AbcMethod::mcmc_moves ? "mcmc_moves" : "importance_weights"},
        {"stop_reason", outcome.result.stop_reason},
        {"total_simulations", std::to_string(outcome.result.total_simulations)},
        {"setup_file", calibration.setup_file()},
        {"setup_fnv1a64", file_hash(calibration.setup_file())},
        {"scenario_file", setup.scenario_file},
        {"scenario_fnv1a64", file_hash(setup.scenario_file)},
        {"targets_file", setup.targets_file},
        {"targets_fnv1a64", file_hash(setup.targets_file)},
        {"scenario_resolved", scenario::resolved_yaml(calibration.scenario())}};
    return data;
}

}  // namespace ehsim::experiment
