#include "sim/cli/data_location.hpp"

#include <system_error>

#include "sim/cli/commands.hpp"

#if !defined(EHSIM_DATA_FROM_BINARY) || !defined(EHSIM_SOURCE_TREE)
#error \
    "EHSIM_DATA_FROM_BINARY (share/ehsim relative to bin/) and EHSIM_SOURCE_TREE must be defined (sim/CMakeLists.txt)"
#endif

namespace ehsim::cli {
namespace {

bool holds_scenarios(const std::filesystem::path& folder) {
    std::error_code error;
    return std::filesystem::is_directory(folder / "scenarios", error);
}

}  // namespace

std::string DataLocation::describe() const {
    return folder.string() + (installed ? " (installed with the program)" : " (the source tree it was built from)");
}

std::filesystem::path DataLocation::dfe_tables() const {
    return installed ? folder / "dfe" : (folder / ".." / "shared" / "data" / "dfe").lexically_normal();
}

std::optional<DataLocation> find_data_location() {
    std::error_code error;
    // The program's own path, not the working folder: an installed ehsim works from any folder.
    const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const std::filesystem::path beside = (program.parent_path() / EHSIM_DATA_FROM_BINARY).lexically_normal();
        if (holds_scenarios(beside)) return DataLocation{beside, true};
    }
    const std::filesystem::path source_tree = EHSIM_SOURCE_TREE;
    if (holds_scenarios(source_tree)) return DataLocation{source_tree, false};
    return std::nullopt;
}

std::string default_scenario() {
    const std::optional<DataLocation> data = find_data_location();
    if (!data)
        throw UsageError(
            "no scenario given, and this ehsim finds no bundled scenarios (neither installed beside it nor in the "
            "source tree " EHSIM_SOURCE_TREE "): give a scenario file");
    const std::filesystem::path scenario = data->folder / "scenarios" / "walsall" / "baseline.yaml";
    std::error_code error;
    const std::filesystem::path here = std::filesystem::current_path(error);
    if (!error) {
        const std::filesystem::path relative = scenario.lexically_relative(here);
        if (!relative.empty() && *relative.begin() != "..") return relative.string();
    }
    return scenario.string();
}

}  // namespace ehsim::cli
