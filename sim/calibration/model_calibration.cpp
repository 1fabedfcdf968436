#include "sim/calibration/model_calibration.hpp"

#include <algorithm>
#include <cmath>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/indicator_values.hpp"
#include "sim/model/indicators.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::calibration {

namespace {

// Months from the scenario's first reported month to "YYYY-MM".
int month_index(const model::Scenario& scenario, const std::string& month) {
    const int year = std::stoi(month.substr(0, 4)), number = std::stoi(month.substr(5, 2));
    return (year - scenario.time.start_year) * 12 + (number - scenario.time.start_month);
}

}  // namespace

scenario::ScenarioNumbers ModelCalibration::numbers_of(const model::Scenario& scenario,
                                                       const std::vector<UncertainParameter>& parameters,
                                                       const std::string& setup_file) {
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        // One at a time, so that the error names the parameter at fault.
        try {
            scenario::ScenarioNumbers(scenario, {parameters[i].path});
        } catch (const std::invalid_argument& error) {
            const std::string where = parameters[i].written_at.empty()
                                          ? setup_file + ": parameters[" + std::to_string(i) + "]"
                                          : parameters[i].written_at;
            throw scenario::ScenarioError(where + ".path: " + error.what());
        }
        paths.push_back(parameters[i].path);
    }
    return scenario::ScenarioNumbers(scenario, paths);
}

TargetFigures::TargetFigures(const model::Scenario& scenario, const TargetsFile& targets) {
    for (const Target& target : targets.targets) {
        Figure figure{};
        for (std::size_t i = 0; i < model::kIndicators.size(); ++i)
            if (model::kIndicators[i].name == target.indicator) figure.indicator = i;
        figure.first = month_index(scenario, target.from);
        figure.last = month_index(scenario, target.to);
        if (target.kind == TargetKind::difference) {
            figure.compared_first = month_index(scenario, target.compared_with_from);
            figure.compared_last = month_index(scenario, target.compared_with_to);
        }
        const int earliest =
            target.kind == TargetKind::difference ? std::min(figure.first, figure.compared_first) : figure.first;
        if (earliest < 0)
            throw scenario::ScenarioError(target.written_at +
                                          ": the period starts before the scenario's first reported month (" +
                                          scenario.time.start_date.substr(0, 7) + ")");
        // A 12-month rate needs the 12 months after its period (and the month after those) simulated.
        const bool cohort = model::is_twelve_month_cohort(model::kIndicators[figure.indicator]);
        const int last = std::max(figure.last, figure.compared_last) + (cohort ? 13 : 0) + 1;
        if (last > 1200) throw scenario::ScenarioError(target.written_at + ": the period is more than 100 years ahead");
        months_needed_ = std::max(months_needed_, last);
        figures_.push_back(figure);
    }
}

std::vector<double> TargetFigures::figures(const model::ReplicationResult& result) const {
    std::vector<double> values;
    for (const Figure& figure : figures_) {
        const auto& indicator = model::kIndicators[figure.indicator];
        const int last = std::max(figure.last, figure.compared_last);
        if (last >= result.months) {
            values.push_back(std::nan(""));
            continue;
        }
        double value = model::value_over(result, indicator, figure.first, figure.last);
        if (figure.compared_first >= 0)
            value -= model::value_over(result, indicator, figure.compared_first, figure.compared_last);
        values.push_back(value);
    }
    return values;
}

ModelCalibration::ModelCalibration(const model::Scenario& scenario, const TargetsFile& targets,
                                   const std::vector<UncertainParameter>& parameters, const std::string& setup_file,
                                   std::uint64_t seed)
    : numbers_(numbers_of(scenario, parameters, setup_file)),
      figures_(scenario, targets),
      targets_(targets.targets),
      seed_(seed) {
    for (const UncertainParameter& parameter : parameters) priors_.push_back(parameter.prior);
    // Every value a prior can give must make a valid scenario: try each parameter at the extremes of its
    // prior (its bounds, or its 1e-9 and 1 - 1e-9 quantiles where a bound is infinite), the others at
    // their medians. (Values of several parameters that are valid alone but not together are caught when
    // a proposal is simulated.)
    std::vector<double> middle;
    for (const Prior& prior : priors_) middle.push_back(prior.quantile(0.5));
    for (std::size_t i = 0; i < priors_.size(); ++i)
        for (const double extreme :
             {std::isfinite(priors_[i].lower) ? priors_[i].lower : priors_[i].quantile(1e-9),
              std::isfinite(priors_[i].upper) ? priors_[i].upper : priors_[i].quantile(1.0 - 1e-9)}) {
            std::vector<double> values = middle;
            values[i] = extreme;
            try {
                numbers_.with(values, figures_.months_needed());
            } catch (const scenario::ScenarioError& error) {
                const std::string message = error.what();
                const std::size_t cut = message.find(": ");
                const std::string where = parameters[i].written_at.empty()
                                              ? setup_file + ": parameters[" + std::to_string(i) + "]"
                                              : parameters[i].written_at;
                throw scenario::ScenarioError(where + ".prior: it reaches " + scenario::format_number(extreme) +
                                              ", which makes the scenario invalid: " +
                                              (cut == std::string::npos ? message : message.substr(cut + 2)));
            }
        }
}

std::vector<double> ModelCalibration::simulate(const std::vector<double>& values, std::uint64_t generation,
                                               std::uint64_t index) const {
    model::Scenario scenario;
    try {
        scenario = numbers_.with(values, figures_.months_needed());
    } catch (const scenario::ScenarioError& error) {
        std::string drawn;
        for (std::size_t p = 0; p < values.size(); ++p)
            drawn += (p ? ", " : "") + numbers_.paths()[p] + " = " + scenario::format_number(values[p]);
        throw scenario::ScenarioError("calibration: the parameters " + drawn +
                                      " make the scenario invalid: " + error.what());
    }
    // Streams per generation: a different master seed for each, the proposal's index as the replication.
    const kernel::RandomStreams streams(kernel::mix64(seed_ ^ (0x9e3779b97f4a7c15ULL * (generation + 1))));
    return figures_.figures(model::EarlyHelpModel(scenario, streams, index).run());
}

std::vector<Observation> ModelCalibration::observations() const {
    std::vector<Observation> observations;
    for (const Target& target : targets_) observations.push_back(target.observation());
    return observations;
}

std::vector<Prior> ModelCalibration::priors() const { return priors_; }

}  // namespace ehsim::calibration
