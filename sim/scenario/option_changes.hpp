// An option file's changes as written: each with its kind, its body, where it was written and the date it
// takes effect; a demand ramp as its monthly steps; the baseline's own dated changes as changes too, so that
// one mechanism (parameter changes) carries everything dated.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/model/calendar.hpp"
#include "sim/model/parameters.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

struct OptionChange {
    std::string kind;  // close_site, hub_to_spoke, open_site, team_fte, caseload, ... set
    YAML::Node body;
    YAML::Mark mark;
    std::string path;                              // "changes[3].close_site"
    std::string date;                              // ISO date it takes effect
    std::int64_t date_days = 0;                    // days since 1970 (for ordering)
    double incidence_step = 1, contacts_step = 1;  // demand: this step's factors
    bool from_baseline = false;                    // one of the baseline's own dated changes
};

// The changes the option file lists (`list`, its `changes:`), from `start` (the first reported day) to
// `end` (exclusive). A change with no date takes effect on the first reported day.
std::vector<OptionChange> read_option_changes(const YAML::Node& list, const model::Scenario& baseline,
                                              ReadContext& context);

// The baseline's own dated changes, each as the option change that has the same effect.
std::vector<OptionChange> baseline_changes(const model::Scenario& baseline);

// A key as written; a key that is not plain text (a list, a section) is refused with its place.
std::string key_text(const YAML::Node& key, const ReadContext& context, const std::string& path);
std::string suggestion_text(const std::string& word, const std::vector<std::string>& known);

}  // namespace ehsim::scenario
