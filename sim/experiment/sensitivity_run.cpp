#include "sim/experiment/sensitivity_run.hpp"

#include <algorithm>
#include <cmath>

#include "sim/calibration/model_calibration.hpp"
#include "sim/experiment/design_shards.hpp"
#include "sim/experiment/option_effects.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::experiment {

namespace {

// The replication streams' generation: one no ABC-SMC run reaches, and the same for every design point.
constexpr std::uint64_t kSensitivityGeneration = 1'000'000;
// A prior other than uniform (normal, beta, gamma) is explored between these quantiles: its tails may be open,
// and where they are not, the quantile function's ends are not always computable.
constexpr double kTail = 0.001;

calibration::SensitivityInput input_of(const calibration::UncertainParameter& parameter) {
    const calibration::Prior prior = parameter.prior;
    const bool uniform =
        prior.kind == calibration::PriorKind::uniform || prior.kind == calibration::PriorKind::log_uniform;
    const double tail = uniform ? 0.0 : kTail;
    calibration::SensitivityInput input;
    input.name = parameter.path;
    input.from_unit = [prior, tail](double unit) { return prior.quantile(tail + (1.0 - 2.0 * tail) * unit); };
    input.lower = input.from_unit(0.0);
    input.upper = input.from_unit(1.0);
    return input;
}

// Columns [first, first + count) of a table.
calibration::Table columns_of(const calibration::Table& table, std::size_t first, std::size_t count) {
    calibration::Table part(table.rows, count);
    for (std::size_t row = 0; row < table.rows; ++row)
        for (std::size_t column = 0; column < count; ++column) part(row, column) = table(row, first + column);
    return part;
}

// Mean over the rows of each of the table's columns.
std::vector<double> column_means(const calibration::Table& table) {
    std::vector<double> means(table.columns, 0.0);
    for (std::size_t row = 0; row < table.rows; ++row)
        for (std::size_t column = 0; column < table.columns; ++column) means[column] += table(row, column);
    for (double& mean : means) mean /= static_cast<double>(std::max<std::size_t>(table.rows, 1));
    return means;
}

std::vector<std::string> both(const std::vector<std::string>& one, const std::vector<std::string>& other) {
    std::vector<std::string> common;
    for (const std::string& name : one)
        if (std::find(other.begin(), other.end(), name) != other.end()) common.push_back(name);
    return common;
}

std::string period_of(const calibration::Target& target) {
    std::string period = target.from == target.to ? target.from : target.from + " to " + target.to;
    if (!target.compared_with_from.empty())
        period += " against " + (target.compared_with_from == target.compared_with_to
                                     ? target.compared_with_from
                                     : target.compared_with_from + " to " + target.compared_with_to);
    return period;
}

// The study's inputs and outputs, before anything runs.
void describe(SensitivityStudy& study, const calibration::CalibrationSetup& setup,
              const calibration::TargetsFile& targets, const OptionEffects* effects,
              std::vector<calibration::SensitivityInput>& inputs) {
    for (const calibration::UncertainParameter& parameter : setup.parameters) {
        inputs.push_back(input_of(parameter));
        study.inputs.push_back(parameter.path);
        study.why.push_back(parameter.why);
        study.lower.push_back(inputs.back().lower);
        study.upper.push_back(inputs.back().upper);
    }
    for (const calibration::Target& target : targets.targets) {
        study.outputs.push_back(target.name);
        study.indicators.push_back(target.indicator);
        study.periods.push_back(period_of(target));
        study.is_effect.push_back(false);
    }
    if (effects == nullptr) return;
    study.option_name = effects->option_name();
    study.option_changes = effects->option_changes();
    for (const EffectOutput& effect : effects->outputs()) {
        study.outputs.push_back("effect of " + effects->option_name() + " on " + effect.indicator + ", " +
                                effect.year_label);
        study.indicators.push_back(effect.indicator);
        study.periods.push_back(effect.year_label);
        study.is_effect.push_back(true);
    }
}

// The design's points' identity for shards: what their values depend on (not the bootstrap or the threshold, which
// only the indices do).
std::string design_identity(const std::string& setup_file, const calibration::CalibrationSetup& setup,
                            const SensitivitySettings& settings) {
    std::string identity =
        "sensitivity\n" + files_identity({setup_file, setup.scenario_file, setup.targets_file, settings.option_file});
    identity += "morris " + std::to_string(settings.morris) + " sobol " + std::to_string(settings.sobol) +
                " trajectories " + std::to_string(settings.trajectories) + " levels " +
                std::to_string(settings.levels) + " samples " + std::to_string(settings.base_samples) +
                " replications " + std::to_string(settings.replications) + " seed " + std::to_string(settings.seed) +
                "\n";
    for (const auto* list : {&settings.effect_indicators, &settings.effect_years})
        for (const std::string& item : *list) identity += item + "\n";
    return identity;
}

// Morris and/or Sobol' over the design, each output's indices and the replication noise averaged over methods.
// Morris's points then Sobol''s make one design, evaluated at once and numbered for shards.
void run_methods(SensitivityStudy& study, const std::vector<calibration::SensitivityInput>& inputs,
                 const calibration::SensitivityModel& means_and_errors, const std::string& identity) {
    const SensitivitySettings& settings = study.settings;
    const std::size_t outputs = study.outputs.size();
    std::optional<calibration::MorrisDesign> morris_design;
    calibration::SobolSettings sobol;
    sobol.base_samples = settings.base_samples;
    sobol.seed = settings.seed;
    sobol.bootstrap_resamples = settings.bootstrap;
    sobol.threads = settings.threads;
    calibration::Table design(0, inputs.size());
    if (settings.morris) {
        morris_design = calibration::morris_design(
            inputs.size(), {settings.trajectories, settings.levels, settings.seed, settings.threads});
        design = morris_design->points;
    }
    const std::size_t morris_points = design.rows;
    if (settings.sobol) {
        const calibration::Table saltelli = calibration::saltelli_design(inputs.size(), sobol);
        design.values.insert(design.values.end(), saltelli.values.begin(), saltelli.values.end());
        design.rows += saltelli.rows;
    }
    const DesignShards shards(
        [&] {
            DesignShardRequest request = settings.design_shards;
            request.identity = identity;
            return request;
        }(),
        design.rows);
    const calibration::SensitivityModel point = [&](const std::vector<double>& values, std::uint64_t index) {
        if (!settings.design_shards.from_shards.empty()) return shards.kept(index);
        if (!shards.evaluates(index)) return std::vector<double>(2 * outputs, std::nan(""));  // another shard's
        return means_and_errors(values, index);
    };
    const calibration::Table values = calibration::evaluate(inputs, point, design, settings.threads);
    study.design_points = design.rows;
    if (shards.is_shard()) {
        std::vector<std::vector<double>> rows(values.rows);
        for (std::size_t row = shards.first(); row < shards.end(); ++row)
            rows[row].assign(values.values.begin() + static_cast<std::ptrdiff_t>(row * values.columns),
                             values.values.begin() + static_cast<std::ptrdiff_t>((row + 1) * values.columns));
        shards.write_shard(rows);
        study.shard_only = true;
        study.shard_first = shards.first();
        study.shard_end = shards.end();
        return;
    }
    const auto rows_of = [&](std::size_t first, std::size_t count) {
        calibration::Table part(count, values.columns);
        std::copy(values.values.begin() + static_cast<std::ptrdiff_t>(first * values.columns),
                  values.values.begin() + static_cast<std::ptrdiff_t>((first + count) * values.columns),
                  part.values.begin());
        return part;
    };
    std::vector<std::vector<double>> noise;
    if (settings.morris) {
        const calibration::Table morris_values = rows_of(0, morris_points);
        study.morris = calibration::morris_effects(*morris_design, columns_of(morris_values, 0, outputs));
        noise.push_back(column_means(columns_of(morris_values, outputs, outputs)));
    }
    if (settings.sobol) {
        const calibration::Table sobol_values = rows_of(morris_points, values.rows - morris_points);
        study.sobol = calibration::sobol_estimates(columns_of(sobol_values, 0, outputs), inputs.size(), sobol);
        noise.push_back(column_means(columns_of(sobol_values, outputs, outputs)));
    }
    study.replication_noise.assign(outputs, 0.0);
    for (const std::vector<double>& method : noise)
        for (std::size_t k = 0; k < outputs; ++k) study.replication_noise[k] += method[k] / noise.size();
}

// Where the methods agree (both when both ran): the inputs that matter little, for every output and for each.
void name_negligible(SensitivityStudy& study, const std::vector<calibration::SensitivityInput>& inputs) {
    const double threshold = study.settings.negligible_threshold;
    study.negligible_for.assign(study.inputs.size() * study.outputs.size(), true);
    if (study.morris) {
        study.negligible = calibration::negligible_inputs(inputs, *study.morris, threshold);
        const std::vector<bool> flags = calibration::negligible_for(*study.morris, threshold);
        for (std::size_t i = 0; i < flags.size(); ++i) study.negligible_for[i] = study.negligible_for[i] && flags[i];
    }
    if (study.sobol) {
        const std::vector<std::string> negligible = calibration::negligible_inputs(inputs, *study.sobol, threshold);
        study.negligible = study.morris ? both(study.negligible, negligible) : negligible;
        const std::vector<bool> flags = calibration::negligible_for(*study.sobol, threshold);
        for (std::size_t i = 0; i < flags.size(); ++i) study.negligible_for[i] = study.negligible_for[i] && flags[i];
    }
}

}  // namespace

SensitivityStudy run_sensitivity(const std::string& setup_file, const SensitivitySettings& settings) {
    const calibration::CalibrationSetup setup = calibration::load_calibration_setup(setup_file);
    const model::Scenario scenario = scenario::load_scenario_file(setup.scenario_file);
    const calibration::TargetsFile targets = calibration::load_targets_file(setup.targets_file);
    const calibration::ModelCalibration model(scenario, targets, setup.parameters, setup_file, settings.seed);
    std::vector<std::string> paths;
    for (const calibration::UncertainParameter& parameter : setup.parameters) paths.push_back(parameter.path);
    std::optional<OptionEffects> effects;
    if (!settings.option_file.empty())
        effects.emplace(scenario, setup.scenario_file, settings.option_file, paths, settings.effect_indicators,
                        settings.effect_years, settings.seed, settings.replications);
    SensitivityStudy study;
    study.setup_file = setup_file;
    study.scenario_file = setup.scenario_file;
    study.targets_file = setup.targets_file;
    study.settings = settings;
    std::vector<calibration::SensitivityInput> inputs;
    describe(study, setup, targets, effects ? &*effects : nullptr, inputs);
    const std::size_t figures = targets.targets.size(), outputs = study.outputs.size();
    // Each design point: the mean of every output over the same replications, then its standard error.
    const calibration::SensitivityModel means_and_errors = [&](const std::vector<double>& values, std::uint64_t) {
        std::vector<double> sum(figures, 0.0), squares(figures, 0.0);
        for (std::uint64_t replication = 0; replication < settings.replications; ++replication) {
            const std::vector<double> figure = model.simulate(values, kSensitivityGeneration, replication);
            for (std::size_t k = 0; k < figures; ++k) sum[k] += figure[k], squares[k] += figure[k] * figure[k];
        }
        const double runs = static_cast<double>(settings.replications);
        std::vector<double> out(2 * outputs);
        for (std::size_t k = 0; k < figures; ++k) {
            const double mean = sum[k] / runs;
            const double variance = runs > 1 ? std::max(0.0, (squares[k] - runs * mean * mean) / (runs - 1)) : 0.0;
            out[k] = mean;
            out[outputs + k] = std::sqrt(variance / runs);
        }
        if (effects) {
            const std::vector<double> effect = effects->at(values);
            const std::size_t count = outputs - figures;
            for (std::size_t k = 0; k < count; ++k)
                out[figures + k] = effect[k], out[outputs + figures + k] = effect[count + k];
        }
        return out;
    };
    run_methods(study, inputs, means_and_errors, design_identity(setup_file, setup, settings));
    if (!study.shard_only) name_negligible(study, inputs);
    return study;
}

}  // namespace ehsim::experiment
