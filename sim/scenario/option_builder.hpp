// Applies an option's changes to a typed scenario: each change kind in the commissioners' words (close a
// site, add staff, ...) as the values it changes, every value set through the scenario table with the
// loader's checks. Checks across the whole scenario are made by the caller after each day's changes.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sim/model/parameters.hpp"
#include "sim/scenario/option_changes.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

class OptionBuilder {
public:
    OptionBuilder(const ReadContext& context, model::Scenario scenario)
        : context_(context), scenario_(std::move(scenario)) {}

    const model::Scenario& scenario() const { return scenario_; }

    // `first_time`: the change is applied on its own date (checked strictly); later dates apply it again
    // on top of the baseline in force then, where a site may already have become a spoke or closed.
    void apply(const OptionChange& change, bool first_time);

    // The scenario as it stands, checked as a loaded file is; a failure is named as this change's.
    model::Scenario checked(const OptionChange& change) const;

private:
    void close_site(const OptionChange& change, bool first_time);
    void open_site(const OptionChange& change);
    void team_fte(const OptionChange& change);
    void co_locate_health_visitors(const OptionChange& change);
    void demand(const OptionChange& change);
    void response_targets(const OptionChange& change);
    void triage(const OptionChange& change);
    void set(const OptionChange& change);

    [[noreturn]] void fail(const OptionChange& change, const std::string& problem) const;
    // Sets the value at `path` from YAML written in the option, as the loader reads that key; a bad value
    // makes the scenario invalid, named as the change's fault.
    void set_value(const std::string& path, const YAML::Node& value, const OptionChange& change);
    std::pair<YAML::Mark, std::string> where(const YAML::Node& node, const OptionChange& change) const;
    std::string text(const YAML::Node& node, const OptionChange& change) const;
    double number(const YAML::Node& node, const OptionChange& change) const;
    void require_keys(const OptionChange& change, const std::vector<std::string>& required,
                      const std::vector<std::string>& optional) const;
    std::size_t find_site(const std::string& name, const OptionChange& change) const;
    std::vector<std::string> locality_names() const;
    void check_locality(const std::string& name, const OptionChange& change) const;
    std::vector<std::size_t> localities(const YAML::Node& names, const OptionChange& change) const;
    std::vector<std::size_t> teams(const OptionChange& change, bool create_with_set);
    void cut_staff(const std::string& locality, const YAML::Node& cuts, const OptionChange& change);
    void set_health_share(double health, const OptionChange& change);

    const ReadContext& context_;
    model::Scenario scenario_;
};

}  // namespace ehsim::scenario
