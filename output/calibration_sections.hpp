// The calibration report's two sections of tables and charts: each published figure beside the model's, and each
// parameter before and after. Each returns its whole <section> element and adds its chart to `charts`. Private
// to output/*.cpp.
#pragma once

#include <string>
#include <vector>

#include "output/calibration_content.hpp"
#include "output/report_html.hpp"

namespace ehsim::output {

std::string fit_section(const std::vector<FitRow>& fit, std::vector<html::PageChart>& charts);
std::string parameter_section(const std::vector<ParameterRow>& rows, std::vector<html::PageChart>& charts);

}  // namespace ehsim::output
