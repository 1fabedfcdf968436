// Indicator values from one replication's tallies, computed the way the councils define them: a
// closure-based % is over closures in the period; a 12-month cohort % is undefined (NaN) until its
// 12 months have passed.
#pragma once

#include <vector>

#include "sim/model/early_help_model.hpp"
#include "sim/model/indicators.hpp"

namespace ehsim::model {

// The value over reported months [first, last] (from 0 at the start date): flows summed, stocks at the
// last month, ratios of sums; NaN for a 12-month cohort whose 12 months run past the horizon.
double value_over(const ReplicationResult& result, const IndicatorDefinition& indicator, int first, int last);

// One value per reported month.
std::vector<double> monthly_values(const ReplicationResult& result, const IndicatorDefinition& indicator);

// One value per whole reported year (12 months from the start date); a trailing part-year is dropped.
std::vector<double> annual_values(const ReplicationResult& result, const IndicatorDefinition& indicator);

// True for indicators over 12-month cohorts (re-referral, re-assessment, step-down return).
bool is_twelve_month_cohort(const IndicatorDefinition& indicator);

}  // namespace ehsim::model
