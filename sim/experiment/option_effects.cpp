#include "sim/experiment/option_effects.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include "sim/experiment/comparison.hpp"
#include "sim/experiment/paired_effects.hpp"
#include "sim/experiment/posterior_draws.hpp"
#include "sim/experiment/run_records.hpp"
#include "sim/model/indicators.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::experiment {

namespace {

// The model's annual indicators by name; an unknown name is refused with a suggestion.
std::vector<std::string> checked_indicators(const std::vector<std::string>& asked) {
    std::vector<std::string> known;
    for (const auto& definition : model::kIndicators) known.emplace_back(definition.name);
    std::vector<std::string> names = asked;
    if (names.empty()) names.assign(std::begin(kDefaultEffectIndicators), std::end(kDefaultEffectIndicators));
    for (const std::string& name : names) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        const std::string suggestion = scenario::closest_match(name, known);
        throw std::invalid_argument("sensitivity: effect indicator '" + name +
                                    "' is not an indicator of the model (ehsim run --indicators lists them" +
                                    (suggestion.empty() ? std::string() : "; did you mean '" + suggestion + "'?") +
                                    ")");
    }
    return names;
}

// Reported years by label or first month; none: the last.
std::vector<std::size_t> checked_years(const std::vector<std::string>& labels, const std::vector<std::string>& asked) {
    if (labels.empty()) throw std::invalid_argument("sensitivity: the scenario reports no whole year");
    if (asked.empty()) return {labels.size() - 1};
    std::vector<std::size_t> years;
    for (const std::string& year : asked) {
        const auto found = std::find_if(labels.begin(), labels.end(), [&](const std::string& label) {
            return label == year || label.substr(0, 7) == year;
        });
        if (found == labels.end()) {
            std::string known;
            for (const std::string& label : labels) known += (known.empty() ? "" : ", ") + label.substr(0, 7);
            throw std::invalid_argument("sensitivity: effect year '" + year +
                                        "' is not a reported year of the scenario (they start " + known + ")");
        }
        years.push_back(static_cast<std::size_t>(found - labels.begin()));
    }
    return years;
}

}  // namespace

OptionEffects::OptionEffects(const model::Scenario& baseline, const std::string& baseline_file,
                             const std::string& option_file, const std::vector<std::string>& paths,
                             const std::vector<std::string>& indicators, const std::vector<std::string>& years,
                             std::uint64_t seed, std::uint64_t replications)
    : seed_(seed), replications_(replications), streams_(seed) {
    const ComparedScenarios compared = load_comparison(baseline, baseline_file, {option_file});
    files_ = compared.files;
    option_name_ = compared.scenarios[1].name;
    option_changes_ = compared.notes[1].changes_in_words;
    for (const std::string& file : files_) drawn_.emplace_back(file, paths);
    const std::vector<std::string> names = checked_indicators(indicators);
    const int months = static_cast<int>(std::lround(baseline.time.horizon_years * 12.0));
    const std::vector<std::string> labels = year_labels(baseline.time.start_date, months);
    for (const std::size_t year : checked_years(labels, years))
        for (const std::string& name : names) outputs_.push_back({name, year, labels[year]});
    if (replications < 2)
        throw std::invalid_argument("sensitivity: an option's effect needs at least 2 replications per point");
}

std::vector<double> OptionEffects::at(const std::vector<double>& values) const {
    std::vector<model::Scenario> scenarios;
    for (const scenario::DrawnScenario& drawn : drawn_) scenarios.push_back(drawn.with(values));
    // One thread: the design's points already run in parallel.
    const ParameterDraws own_values("", files_, streams_);
    const auto results = run_on_common_random_numbers(scenarios, own_values, streams_, replications_, 1);
    std::vector<output::RunRecord> records;
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
        std::vector<model::ReplicationResult> of_scenario;
        for (const auto& replication : results) of_scenario.push_back(replication[k]);
        records.push_back(build_run_record(scenarios[k], files_[k], seed_, of_scenario));
    }
    std::vector<double> out(2 * outputs_.size());
    for (std::size_t k = 0; k < outputs_.size(); ++k) {
        const PairedEffect effect = paired_effect(records[0], records[1], outputs_[k].indicator, outputs_[k].year);
        out[k] = effect.difference_mean;
        out[outputs_.size() + k] = effect.difference_standard_error;
    }
    return out;
}

}  // namespace ehsim::experiment
