// The table of a scenario file (schema_table.hpp): every key with its unit, meaning, bounds, default and
// source. The loader reads with it, options and calibration set values through it, and the defaults live
// only here: the parameter structs (sim/model/parameters.hpp) hold zeros until the table fills them.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "sim/model/parameters.hpp"
#include "sim/scenario/schema_table.hpp"

namespace ehsim::scenario {

// Names as scenario and option files spell them, in the order of the model's indices.
inline constexpr std::array<const char*, model::kLeadAgencies> kLeadAgencyNames{"family_support", "school", "health",
                                                                                "voluntary_sector"};
inline constexpr std::array<const char*, model::kTriageOutcomes> kTriageOutcomeNames{
    "no_further_action", "single_agency", "early_help", "social_care"};
inline constexpr std::array<const char*, model::kPriorities> kPriorityNames{"red", "amber", "green"};

// Each role's name with the role (model::kRoleNames is the one spelling), for tables and messages.
const std::vector<std::pair<std::string, model::Role>>& role_words();
std::vector<std::string> role_names();

// The whole scenario's table, built once.
const Section<model::Scenario>& scenario_schema();

// The table's defaults: every value that has one; values without one (required) are zero and lists empty.
model::Scenario default_scenario();
model::Site default_site();

// docs/scenario-reference.md, generated from the loader's own table.
std::string reference_markdown();

}  // namespace ehsim::scenario
