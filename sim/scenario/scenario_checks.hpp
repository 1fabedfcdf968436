// The checks a scenario must pass beyond each value's own: names that must exist and be unique, catchment
// shares, dated changes within the horizon. They run on typed values, so that a scenario changed by an option
// or a calibration is checked exactly as a loaded one, without writing it out and reading it again.
#pragma once

#include "sim/model/parameters.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

// Checks across keys, and fills what follows from them (the start date's parts, each dated change's day).
// Fails through `context`, whose recorded positions name the place when the scenario was read from a file.
void check_across_keys(model::Scenario& scenario, ReadContext& context);

// Every check of the loader on a typed scenario: each value's (as the table reads it), then across keys.
// The first failure is the one a file with these values would give, without its position.
void check_scenario(model::Scenario& scenario, ReadContext& context);

}  // namespace ehsim::scenario
