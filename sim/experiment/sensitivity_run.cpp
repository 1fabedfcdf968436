#include "sim/experiment/sensitivity_run.hpp"

#include <algorithm>
#include <cmath>

#include "sim/calibration/model_calibration.hpp"
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

}  // namespace

SensitivityStudy run_sensitivity(const std::string& setup_file, const SensitivitySettings& settings) {
    const calibration::CalibrationSetup setup = calibration::load_calibration_setup(setup_file);
    const model::Scenario scenario = scenario::load_scenario_file(setup.scenario_file);
    const calibration::TargetsFile targets = calibration::load_targets_file(setup.targets_file);
    const calibration::ModelCalibration model(scenario, targets, setup.parameters, setup_file, settings.seed);
    SensitivityStudy study;
    study.setup_file = setup_file;
    study.scenario_file = setup.scenario_file;
    study.targets_file = setup.targets_file;
    study.settings = settings;
    std::vector<calibration::SensitivityInput> inputs;
    for (const calibration::UncertainParameter& parameter : setup.parameters) {
        inputs.push_back(input_of(parameter));
        study.inputs.push_back(parameter.path);
        study.lower.push_back(inputs.back().lower);
        study.upper.push_back(inputs.back().upper);
    }
    for (const calibration::Target& target : targets.targets) {
        study.outputs.push_back(target.name);
        study.indicators.push_back(target.indicator);
    }
    const std::size_t figures = study.outputs.size();
    // Each design point: the mean of every figure over the same replications, and its standard error.
    const calibration::SensitivityModel means_and_errors = [&](const std::vector<double>& values, std::uint64_t) {
        std::vector<double> sum(figures, 0.0), squares(figures, 0.0);
        for (std::uint64_t replication = 0; replication < settings.replications; ++replication) {
            const std::vector<double> figure = model.simulate(values, kSensitivityGeneration, replication);
            for (std::size_t k = 0; k < figures; ++k) sum[k] += figure[k], squares[k] += figure[k] * figure[k];
        }
        const double runs = static_cast<double>(settings.replications);
        std::vector<double> out(2 * figures);
        for (std::size_t k = 0; k < figures; ++k) {
            const double mean = sum[k] / runs;
            const double variance = runs > 1 ? std::max(0.0, (squares[k] - runs * mean * mean) / (runs - 1)) : 0.0;
            out[k] = mean;
            out[figures + k] = std::sqrt(variance / runs);
        }
        return out;
    };
    std::vector<std::vector<double>> noise;
    if (settings.morris) {
        const calibration::MorrisSettings morris{settings.trajectories, settings.levels, settings.seed,
                                                 settings.threads};
        const calibration::MorrisDesign design = calibration::morris_design(inputs.size(), morris);
        const calibration::Table outputs =
            calibration::evaluate(inputs, means_and_errors, design.points, settings.threads);
        study.morris = calibration::morris_effects(design, columns_of(outputs, 0, figures));
        noise.push_back(column_means(columns_of(outputs, figures, figures)));
        study.negligible = calibration::negligible_inputs(inputs, *study.morris, settings.negligible_threshold);
    }
    if (settings.sobol) {
        calibration::SobolSettings sobol;
        sobol.base_samples = settings.base_samples;
        sobol.seed = settings.seed;
        sobol.bootstrap_resamples = settings.bootstrap;
        sobol.threads = settings.threads;
        const calibration::Table design = calibration::saltelli_design(inputs.size(), sobol);
        const calibration::Table outputs = calibration::evaluate(inputs, means_and_errors, design, settings.threads);
        study.sobol = calibration::sobol_estimates(columns_of(outputs, 0, figures), inputs.size(), sobol);
        noise.push_back(column_means(columns_of(outputs, figures, figures)));
        const std::vector<std::string> negligible =
            calibration::negligible_inputs(inputs, *study.sobol, settings.negligible_threshold);
        study.negligible = settings.morris ? both(study.negligible, negligible) : negligible;
    }
    study.replication_noise.assign(figures, 0.0);
    for (const std::vector<double>& method : noise)
        for (std::size_t k = 0; k < figures; ++k) study.replication_noise[k] += method[k] / noise.size();
    return study;
}

}  // namespace ehsim::experiment
