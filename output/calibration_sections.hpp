// The calibration report's sections of tables and charts: each published figure beside the model's, each
// parameter before and after, and (calibration_sensitivity.cpp) which parameters matter. Each returns its whole
// <section> element and adds its chart to `charts`. Private to output/*.cpp.
#pragma once

#include <string>
#include <vector>

#include "output/calibration_content.hpp"
#include "output/report_html.hpp"
#include "output/sensitivity_writer.hpp"

namespace ehsim::output {

std::string fit_section(const std::vector<FitRow>& fit, std::vector<html::PageChart>& charts);
std::string parameter_section(const std::vector<ParameterRow>& rows, std::vector<html::PageChart>& charts);
// Which calibrated parameters move which figure, from a sensitivity study of the same set-up (a table, no chart).
std::string sensitivity_section(const std::vector<ParameterRow>& rows, const SensitivityRecord& study,
                                const std::string& study_file);

}  // namespace ehsim::output
