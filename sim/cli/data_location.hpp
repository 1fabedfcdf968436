// Where ehsim's bundled files are (scenarios, calibration set-ups, targets and posteriors, docs): beside an
// installed program (<prefix>/share/ehsim, found from the program's own path, so a moved prefix still works) or,
// for a program run from its build folder, the source tree it was built from.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace ehsim::cli {

struct DataLocation {
    std::filesystem::path folder;  // holds scenarios/, calibration/ and docs/
    bool installed = false;        // true: <prefix>/share/ehsim; false: the source tree
    std::string describe() const;  // e.g. "/usr/share/ehsim (installed with the program)"
    // DfE's published tables: <prefix>/share/ehsim/dfe when installed, else ../shared/data/dfe beside the source
    // tree (README there).
    std::filesystem::path dfe_tables() const;
};

// The installed data beside the program, else the source tree it was built from; nothing when neither holds
// scenarios/ (a program copied away from both).
std::optional<DataLocation> find_data_location();

// The bundled default scenario (Walsall 2016's baseline), as a path relative to the working folder when it lies
// below it. Throws UsageError when no bundled data can be found.
std::string default_scenario();

}  // namespace ehsim::cli
