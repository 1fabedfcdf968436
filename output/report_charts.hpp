// The Vega-Lite specification of every chart of the reports, made from the numbers of report_content.hpp and
// calibration_content.hpp and returned as JSON text for the page (html::PageChart). Data keys are one or two
// letters: a chart carries every month of every scenario. Private to output/*.cpp.
#pragma once

#include <string>
#include <vector>

#include "output/calibration_content.hpp"
#include "output/report_content.hpp"

namespace ehsim::output::charts {

// A fan chart: one panel per scenario; the 90% and 50% bands and the median and, with `with_baseline_line`, in
// each option's panel the baseline's median, dashed.
std::string fan_chart(const FanChart& chart, const std::vector<std::string>& months, const std::string& description,
                      bool with_baseline_line);

// Small multiples, one panel per locality: the baseline's 50% and 90% bands and every scenario's median.
std::string locality_chart(const LocalityChart& chart, const RunRecord& baseline,
                           const std::vector<std::string>& scenarios, const std::string& description);

// One bar per scenario for each stage of the flow, split by what happened; each stage its own colours.
std::string flow_chart(const std::vector<FlowItem>& items, const std::vector<std::string>& stages,
                       const std::vector<std::string>& scenarios, const std::string& description);

// Each published figure at 100%: the model's median, its middle 90% and that range widened, as percentages of the
// published value. `labels[i]` names rows[i]. Empty when no row can be drawn (no published value other than
// zero, or no model value).
bool drawable(const PublishedRow& row);
std::string published_chart(const std::vector<PublishedRow>& rows, const std::vector<std::string>& labels,
                            const std::string& description);

// The calibration's figures, each divided by its published value: the model's 90% interval, its median and the
// published value (a range as a line). Only rows that are drawable.
std::string fit_chart(const std::vector<FitRow>& drawn, const std::string& description);

// One panel per parameter, each on its own scale: the 90% interval and median of the prior and the posterior.
std::string parameter_chart(const std::vector<ParameterRow>& rows, const std::string& description);

}  // namespace ehsim::output::charts
