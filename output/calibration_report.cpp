#include "output/calibration_report.hpp"

#include <stdexcept>

namespace ehsim::output {

// Placeholder until the calibration report lands (same session): refuses clearly rather than writing a page.
std::string render_calibration_report(const std::string& path, const ReportLibraries&, const ReportOptions&) {
    throw std::runtime_error(path + ": the report of a calibration file is not written yet");
}

}  // namespace ehsim::output
