// Calibration figures and priors in words, for the calibration report's page (calibration_report.cpp and
// calibration_sections.cpp). Private to output/*.cpp.
#pragma once

#include <string>
#include <vector>

#include "output/calibration_content.hpp"
#include "output/report_html.hpp"

namespace ehsim::output::calibration_text {

// How a figure's values are written: from its kind where the file records it (a proportion in %, a rate per
// 10,000), otherwise, and for counts, ranges and differences, from its indicator's name.
ValueKind value_kind(const CalibrationTarget& target);
// The targets file's kind in words; for files that do not record it, a guess from the indicator's name.
std::string kind_text(const CalibrationTarget& target);
bool kinds_recorded(const std::vector<FitRow>& fit);
// A figure's value as a reader sees it, with % for a proportion.
std::string figure_value(double value, ValueKind kind, int decimals);
// The decimals of a row's figures, alike: as many as the largest of them needs.
int figure_decimals(const FitRow& row, ValueKind kind);
std::string published_text(const FitRow& row);
std::string interval_text(const DrawSummary& summary, ValueKind kind, int decimals);
// Three significant digits, without an exponent: parameters range from thousandths to thousands.
std::string significant(double value);
// A long name (a scenario path, an indicator) that may break after its dots and underscores, escaped.
std::string breakable(const std::string& name);
// The months a figure covers; for a difference, and the months it is compared with.
std::string period_text(const CalibrationTarget& target);
bool prior_recorded(const CalibrationParameter& parameter);
// A prior in words with its bounds, e.g. "log-uniform from 0.1 to 2", "beta(4, 2) on [0, 1]",
// "normal(mean 0.5, sd 0.1) on [0, ∞)"; only the kind for files that do not record the rest.
std::string prior_text(const CalibrationParameter& parameter);
// "a", "a and b", "a, b and c".
std::string list_of(const std::vector<std::string>& items);
// data-<prefix>-low, -median and -high attributes with the exact numbers.
std::string data_attributes(const char* prefix, const DrawSummary& summary);
// Where the published value lies against the model's interval, in words.
std::string miss_text(const FitRow& row);
double total_simulations(const CalibrationResults& results);
// A whole number with commas, or "not available".
std::string whole(double value);
// `value` as a whole percentage of `of`.
std::string percent_of(double value, double of);

}  // namespace ehsim::output::calibration_text
