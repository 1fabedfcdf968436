// An option's paired effect as a function of uncertain parameters (`ehsim sensitivity --option`): at each parameter
// set, the baseline and the option rebuilt on it run on the same replications' streams, and the effect is the
// option minus the baseline averaged over replications, as `ehsim compare` measures it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/parameters.hpp"
#include "sim/scenario/option_loader.hpp"

namespace ehsim::experiment {

// The indicators whose effects are measured when none is named: social-care demand and cost.
inline constexpr const char* kDefaultEffectIndicators[] = {"children_in_need_per_10000", "social_care_referrals",
                                                           "cost_total"};

// One effect measured: an indicator in a reported year.
struct EffectOutput {
    std::string indicator;
    std::size_t year = 0;    // index among the reported years
    std::string year_label;  // "2020-04 to 2021-03"
};

class OptionEffects {
public:
    // Loads the option as `ehsim compare` does (it must extend `baseline_file`, whose scenario is `baseline`)
    // and rebuilds both on the numbers at `paths`. `indicators` are the model's (empty: kDefaultEffectIndicators);
    // `years` are reported years by their label or first month ("2020-04"; empty: the last). Throws
    // scenario::ScenarioError naming the option file (its line and key) and std::invalid_argument for an unknown
    // indicator or year, or fewer than two replications (the effect's noise needs two).
    OptionEffects(const model::Scenario& baseline, const std::string& baseline_file, const std::string& option_file,
                  const std::vector<std::string>& paths, const std::vector<std::string>& indicators,
                  const std::vector<std::string>& years, std::uint64_t seed, std::uint64_t replications);

    const std::vector<EffectOutput>& outputs() const { return outputs_; }
    const std::string& option_name() const { return option_name_; }
    // What the option changes, in words (as the comparison's report gives them).
    const std::vector<std::string>& option_changes() const { return option_changes_; }

    // With the parameters at `values`: each output's mean paired effect, then each one's standard error (the
    // replication noise of the difference). Every call runs the same replications' streams.
    std::vector<double> at(const std::vector<double>& values) const;

private:
    std::vector<std::string> files_;  // the baseline's, then the option's
    std::vector<scenario::DrawnScenario> drawn_;
    std::vector<EffectOutput> outputs_;
    std::string option_name_;
    std::vector<std::string> option_changes_;
    std::uint64_t seed_, replications_;
    kernel::RandomStreams streams_;
};

}  // namespace ehsim::experiment
