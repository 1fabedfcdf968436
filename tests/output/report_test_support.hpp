// What the report tests share: chart libraries that are only placeholders (the HTML is checked as text, not drawn)
// and the ehsim binary run as a user would, its output kept in a log.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "output/report_html.hpp"

namespace ehsim::output::report_test {

inline ReportLibraries fake_libraries() {
    return {"var vega = {};", "var vegaLite = {};", "var vegaEmbed = function () {};", "5.0.0", "5.1.0", "6.2.0"};
}

// Runs the ehsim binary (EHSIM_BINARY) with `arguments`; its output goes to `log`. Returns the exit status.
inline int run_ehsim(const std::string& arguments, const std::filesystem::path& log) {
    const std::string line = std::string(EHSIM_BINARY) + " " + arguments + " > '" + log.string() + "' 2>&1";
    const int status = std::system(line.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace ehsim::output::report_test
