// The subcommands of the ehsim binary. Each takes the arguments after its name and returns the
// process exit status; each throws UsageError for a bad command line.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace ehsim::cli {

// A mistake on the command line: reported as one line, exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

int run_command(const std::vector<std::string>& arguments);
int validate_command(const std::vector<std::string>& arguments);
int compare_command(const std::vector<std::string>& arguments);
int calibrate_command(const std::vector<std::string>& arguments);
int report_command(const std::vector<std::string>& arguments);
int demo_command(const std::vector<std::string>& arguments);

}  // namespace ehsim::cli
