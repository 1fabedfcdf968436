// Sections of the scenario table kept in their own files (scenario_schema.cpp assembles the whole table).
#pragma once

#include "sim/model/parameters.hpp"
#include "sim/scenario/schema_table.hpp"

namespace ehsim::scenario {

Section<model::Cost> cost_table();
Section<model::SocialCareParameters> social_care_table();
Section<model::CostParameters> costs_table();

}  // namespace ehsim::scenario
