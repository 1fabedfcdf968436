// The sections of a run's or comparison's report that report_writer.cpp does not write itself: localities,
// where families go, and published figures. Each returns its whole <section> element and adds its charts to
// `charts`. Private to output/*.cpp.
#pragma once

#include <string>
#include <vector>

#include "output/report_content.hpp"
#include "output/report_html.hpp"

namespace ehsim::output {

std::string locality_section(const ReportInput& input, const std::vector<LocalityRow>& rows,
                             std::vector<html::PageChart>& charts);
std::string flow_section(const ReportInput& input, const std::vector<FlowItem>& items,
                         std::vector<html::PageChart>& charts);
std::string published_section(const ReportInput& input, const std::vector<PublishedRow>& rows,
                              std::vector<html::PageChart>& charts);

}  // namespace ehsim::output
