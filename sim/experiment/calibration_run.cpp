#include "sim/experiment/calibration_run.hpp"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "sim/cluster/cluster.hpp"
#include "sim/experiment/calibration_results.hpp"
#include "sim/experiment/posterior_draws.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_paths.hpp"

namespace ehsim::experiment {

namespace {

// What the set-up names (its scenario, its targets, the model built from both) is read on its behalf: an error there
// also names the set-up, whose choice of files may be what is wrong (libFuzzer's finding: a scenario whose reported
// months miss the targets' period was reported against the targets file alone).
template <class Read>
auto on_behalf_of(const std::string& setup_file, Read read) {
    try {
        return read();
    } catch (const std::exception& error) {
        const std::string message = error.what();
        if (message.find(setup_file) != std::string::npos) throw;
        throw std::runtime_error(setup_file + ": " + message);
    }
}

// The generation index of posterior-predictive runs and history matching's first wave: far from any ABC
// generation and from each other, so their streams differ.
constexpr std::uint64_t kPredictiveGeneration = 1'000'000;
constexpr std::uint64_t kFirstWaveGeneration = 2'000'000;

// The targets as history matching reads them: the observation's error apart from the discrepancy allowance.
std::vector<calibration::MatchedFigure> matched_figures(const calibration::TargetsFile& targets) {
    std::vector<calibration::MatchedFigure> figures;
    for (const calibration::Target& target : targets.targets) {
        const calibration::Observation observed = target.observation();
        const double discrepancy = std::pow(target.discrepancy_sd(), 2);
        figures.push_back({observed.lower, observed.upper,
                           std::max(0.0, observed.error_sd * observed.error_sd - discrepancy), discrepancy});
    }
    return figures;
}

}  // namespace

std::vector<double> CalibrationOutcome::resampled(std::size_t parameter) const {
    std::vector<double> values;
    for (const std::size_t particle : chosen) values.push_back(result.population.value(particle, parameter));
    return values;
}

Calibration::Calibration(const std::string& setup_file)
    : setup_file_(setup_file),
      setup_(calibration::load_calibration_setup(setup_file)),
      scenario_(on_behalf_of(setup_file, [&] { return scenario::load_scenario_file(setup_.scenario_file); })),
      targets_(on_behalf_of(setup_file, [&] { return calibration::load_targets_file(setup_.targets_file); })),
      model_(on_behalf_of(setup_file, [&] {
          return calibration::ModelCalibration(scenario_, targets_, setup_.parameters, setup_file,
                                               setup_.algorithm.seed);
      })) {}

Calibration::Calibration(const std::string& setup_file, calibration::TargetsFile targets, std::uint64_t seed)
    : setup_file_(setup_file),
      setup_(calibration::load_calibration_setup(setup_file)),
      scenario_(scenario::load_scenario_file(setup_.scenario_file)),
      targets_(std::move(targets)),
      model_(scenario_, targets_, setup_.parameters, setup_file, seed) {
    setup_.algorithm.seed = seed;
    if (setup_.history_matching) setup_.history_matching->seed = seed;
}

std::vector<double> Calibration::scenario_values() const {
    model::Scenario copy = scenario_;
    std::vector<double> values;
    // A path with selectors: its first place's value (the places a calibration sets together usually agree).
    for (const auto& parameter : setup_.parameters)
        values.push_back(scenario::scenario_number(copy, scenario::matching_paths(copy, parameter.path).front()));
    return values;
}

calibration::AbcSettings Calibration::settings(const CalibrationOverrides& overrides) const {
    calibration::AbcSettings settings = setup_.algorithm;
    settings.threads = overrides.threads;
    if (overrides.particles) settings.particles = *overrides.particles;
    if (overrides.budget_minutes) settings.wall_time_budget_seconds = 60.0 * *overrides.budget_minutes;
    settings.checkpoint_file = overrides.checkpoint_file;
    std::string decides = scenario::resolved_yaml(scenario_) + file_text(setup_.targets_file);
    for (const auto& parameter : setup_.parameters) decides += "\n" + parameter.path;
    settings.salt = kernel::purpose_id(decides);
    return settings;
}

std::optional<calibration::HistoryMatchingSettings> Calibration::history_matching(
    const CalibrationOverrides& overrides) const {
    if (overrides.history_match == false) return std::nullopt;
    std::optional<calibration::HistoryMatchingSettings> settings = setup_.history_matching;
    if (!settings && overrides.history_match == true) {
        settings.emplace();
        settings->seed = setup_.algorithm.seed;
    }
    if (settings) settings->threads = overrides.threads;
    return settings;
}

void Calibration::check(const calibration::AbcSettings& settings) const {
    [[maybe_unused]] const calibration::AbcSmc refused_or_not(model_.priors(), model_.observations(), settings);
}

// What history matching's first wave's runs depend on: the set-up, its scenario and targets, the matching's design
// and the streams' seed (a shard of another is refused when joined).
std::string Calibration::first_wave_identity(const calibration::HistoryMatchingSettings& matching,
                                             const calibration::AbcSettings& settings) const {
    return "history matching, wave 1\n" + files_identity({setup_file_, setup_.scenario_file, setup_.targets_file}) +
           "points " + std::to_string(calibration::points_per_wave(matching, model_.priors().size())) +
           " replications " + std::to_string(matching.replications) + " seed " + std::to_string(matching.seed) +
           " streams " + std::to_string(settings.seed) + "\n";
}

CalibrationOutcome Calibration::run(const calibration::AbcSettings& settings,
                                    const std::optional<calibration::HistoryMatchingSettings>& history_matching,
                                    bool resume, std::size_t predictive_runs, const CalibrationProgress& progress,
                                    const DesignShardRequest& design_shards) const {
    CalibrationOutcome outcome;
    calibration::AbcSettings abc_settings = settings;
    if (design_shards.active() && !history_matching)
        throw std::runtime_error(
            "--shard and --from-shards split history matching's first wave, and this calibration "
            "has no history matching (add --history-match)");
    if (history_matching) {
        // Only the fitted figures are matched: one that is shown but not fitted must not rule anything out.
        std::vector<std::size_t> fitted;
        for (std::size_t k = 0; k < targets_.targets.size(); ++k)
            if (targets_.targets[k].not_fitted.empty()) fitted.push_back(k);
        // The first wave's design is fixed before anything runs: its runs may come from, or go to, shards.
        calibration::HistoryMatchingSettings matching = *history_matching;
        const std::uint64_t first_wave_runs =
            calibration::points_per_wave(matching, model_.priors().size()) * matching.replications;
        DesignShardRequest request = design_shards;
        request.identity = first_wave_identity(matching, settings);
        const DesignShards shards(request, first_wave_runs);
        matching.first_wave_runs_only = shards.is_shard();
        outcome.history_matching = calibration::history_match(
            model_.priors(), matched_figures(calibration::fitted_targets(targets_)),
            [&](const std::vector<double>& parameters, std::uint64_t wave, std::uint64_t run) {
                if (wave == 0 && !request.from_shards.empty()) return shards.kept(run);
                if (wave == 0 && !shards.evaluates(run)) return std::vector<double>(fitted.size(), std::nan(""));
                const std::vector<double> all = model_.simulate(parameters, kFirstWaveGeneration + wave, run);
                std::vector<double> figures;
                for (const std::size_t k : fitted) figures.push_back(all[k]);
                return figures;
            },
            matching, progress.history_matching);
        if (shards.is_shard()) {
            shards.write_shard(outcome.history_matching->first_wave_runs);
            outcome.shard_only = true;
            outcome.design_runs = first_wave_runs;
            outcome.shard_first = shards.first();
            outcome.shard_end = shards.end();
            return outcome;
        }
        abc_settings.support = outcome.history_matching->contains;
        abc_settings.support_all = outcome.history_matching->contains_all;
        abc_settings.support_lower = outcome.history_matching->box_lower;
        abc_settings.support_upper = outcome.history_matching->box_upper;
        abc_settings.salt ^= outcome.history_matching->fingerprint * 0x9e3779b97f4a7c15ULL + 1;
        abc_settings.surrogate = outcome.history_matching->predict_runs;
    }
    if (abc_settings.delayed_acceptance && !abc_settings.surrogate)
        throw std::runtime_error(
            "the set-up's delayed_acceptance screens steps with history matching's emulators, and no wave of history "
            "matching stands (run without --no-history-match, or set delayed_acceptance: false)");
    calibration::AbcSmc abc(model_.priors(), model_.observations(), abc_settings);
    outcome.result = abc.run([&](const std::vector<double>& parameters, std::uint64_t generation,
                                 std::uint64_t index) { return model_.simulate(parameters, generation, index); },
                             resume, progress.abc);
    const calibration::Population& population = outcome.result.population;
    const kernel::RandomStreams streams(settings.seed);
    kernel::RandomEngine resampling = streams.stream(0, "posterior resample", 0);
    outcome.chosen = calibration::AbcSmc::resample(population.weights, population.size(), resampling);
    // Shuffled: systematic resampling lists copies side by side, which a chain's diagnostics would misread,
    // and the predictive runs take the first draws.
    std::vector<std::size_t>& chosen = outcome.chosen;
    for (std::size_t i = chosen.size(); i > 1; --i)
        std::swap(chosen[i - 1], chosen[static_cast<std::size_t>(resampling.uniform() * static_cast<double>(i))]);
    const std::size_t parameter_count = setup_.parameters.size();
    outcome.predicted = cluster::run_number_tasks(
        predictive_runs, settings.threads,
        [&](std::uint64_t draw) {
            std::vector<double> parameters(parameter_count);
            for (std::size_t p = 0; p < parameter_count; ++p) parameters[p] = population.value(chosen[draw], p);
            return model_.simulate(parameters, kPredictiveGeneration, draw);
        },
        true);
    add_discrepancy(outcome.predicted, targets_, streams);
    return outcome;
}

void add_discrepancy(std::vector<std::vector<double>>& predicted, const calibration::TargetsFile& targets,
                     const kernel::RandomStreams& streams) {
    for (std::size_t draw = 0; draw < predicted.size(); ++draw) {
        kernel::RandomEngine random = streams.stream(draw, "predictive discrepancy", 0);
        boost::random::normal_distribution<double> standard;
        for (std::size_t k = 0; k < targets.targets.size(); ++k)
            predicted[draw][k] += targets.targets[k].discrepancy_sd() * standard(random);
    }
}

Prediction predict(const std::string& targets_file, const std::string& scenario_file, const std::string& posterior_file,
                   std::uint64_t replications, std::uint64_t seed, unsigned threads) {
    Prediction prediction{calibration::load_targets_file(targets_file), {}, false};
    const model::Scenario scenario = scenario::load_scenario_or_option_file(scenario_file);
    const calibration::TargetFigures figures(scenario, prediction.targets);
    const int horizon = static_cast<int>(std::lround(scenario.time.horizon_years * 12.0));
    if (figures.months_needed() > horizon)
        throw scenario::ScenarioError(scenario_file + ": its " + std::to_string(horizon) +
                                      " reported months end before " + targets_file + " needs (" +
                                      std::to_string(figures.months_needed()) + ")");
    const kernel::RandomStreams streams(seed);
    const ParameterDraws draws(posterior_file, {scenario_file}, streams);
    prediction.drawn = draws.active();
    prediction.predicted = cluster::run_number_tasks(
        replications, threads,
        [&](std::uint64_t replication) {
            const model::Scenario run = draws.active() ? draws.scenarios(replication).front() : scenario;
            return figures.figures(model::EarlyHelpModel(run, streams, replication).run());
        },
        true);
    add_discrepancy(prediction.predicted, prediction.targets, streams);
    return prediction;
}

std::vector<FigureFit> figure_fits(const calibration::TargetsFile& targets,
                                   const std::vector<std::vector<double>>& predicted) {
    std::vector<FigureFit> fits;
    for (std::size_t k = 0; k < targets.targets.size(); ++k) {
        std::vector<double> column;
        for (const auto& row : predicted) column.push_back(row[k]);
        const double low = kernel::quantile_of_finite(column, 0.05), median = kernel::quantile_of_finite(column, 0.5),
                     high = kernel::quantile_of_finite(column, 0.95);
        fits.push_back({low, median, high, targets.targets[k].upper >= low && targets.targets[k].lower <= high});
    }
    return fits;
}

}  // namespace ehsim::experiment
