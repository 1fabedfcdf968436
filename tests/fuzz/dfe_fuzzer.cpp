// DfE's CSV tables as `ehsim new-scenario` reads them (../shared/data/dfe): the input is one of the eight tables
// (its first byte chooses which), the other seven are Walsall's and England's rows of the published ones. The
// tables must be read, an authority found and its two files generated and loaded, or refused in one line naming
// the table or the authority; a generated file that the scenario or targets loader refuses is a finding (the
// command checks its files so that a user never meets one).
//
// EHSIM_FUZZ_WRITE_SEEDS=FOLDER writes the eight trimmed tables there as seed inputs and exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/authority/authority_figures.hpp"
#include "sim/authority/authority_files.hpp"
#include "sim/authority/dfe_tables.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

namespace fs = std::filesystem;

constexpr const char* kTables[] = {"b1_children_in_need.csv",     "c1_children_in_need_referrals_and_rereferrals.csv",
                                   "d3_cpps_subsequent_plan.csv", "d5_cpps_at31march_by_duration.csv",
                                   "cla_sfr_2015_to_2017.csv",    "cla_number_and_rate_per_10k_children.csv",
                                   "csww_indicators.csv",         "ons_mid-year_population_estimates.csv"};

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A published table cut to its header and the rows of Walsall and of England as a whole: small enough to fuzz.
std::string trimmed(const std::string& table) {
    std::string out;
    std::size_t start = 0;
    for (bool header = true; start < table.size(); header = false) {
        const std::size_t end = std::min(table.find('\n', start), table.size());
        const std::string line = table.substr(start, end - start + (end < table.size() ? 1 : 0));
        if (header || line.find(",Walsall,") != std::string::npos || line.find(",National,") != std::string::npos)
            out += line;
        start = end + 1;
    }
    return out;
}

// The scratch DfE folder, each table trimmed from the published one, made once.
const fs::path& dfe_folder() {
    static const fs::path folder = [] {
        const fs::path published = fs::path(EHSIM_SOURCE_DIR) / ".." / "shared" / "data" / "dfe";
        const fs::path made = ehsim::fuzz::scratch() / "dfe";
        fs::create_directories(made);
        for (const char* table : kTables) {
            const std::string text = read_all(published / table);
            if (text.empty()) {
                std::fprintf(stderr, "dfe fuzzer: %s is missing or empty\n", (published / table).c_str());
                std::abort();
            }
            std::ofstream(made / table, std::ios::binary) << trimmed(text);
        }
        return made;
    }();
    return folder;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* seeds = std::getenv("EHSIM_FUZZ_WRITE_SEEDS")) {
        fs::create_directories(seeds);
        for (std::size_t k = 0; k < std::size(kTables); ++k)
            std::ofstream(fs::path(seeds) / kTables[k], std::ios::binary)
                << static_cast<char>(k) << read_all(dfe_folder() / kTables[k]);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const char* table = kTables[data[0] % std::size(kTables)];
    const fs::path folder = dfe_folder();
    const std::string original = read_all(folder / table);
    ehsim::fuzz::write_input("dfe/" + std::string(table), data + 1, size - 1);
    static const std::string template_text =
        read_all(fs::path(EHSIM_SOURCE_DIR) / "scenarios" / "england" / "authority-template.yaml.in");
    std::string authority = "Walsall";
    ehsim::fuzz::expect_one_line_naming(std::vector<std::string>{table, authority}, [&] {
        const auto tables = ehsim::authority::DfeTables::read(folder);
        ehsim::authority::all_authorities(tables);
        const ehsim::authority::Authority place = ehsim::authority::find_authority(tables, "Walsall");
        authority = place.name;
        for (const int year : place.years) {
            std::string baseline, targets;
            try {
                baseline = ehsim::authority::baseline_text(ehsim::authority::baseline_figures(tables, place, year),
                                                           template_text);
                targets =
                    ehsim::authority::targets_text(place, year, ehsim::authority::target_figures(tables, place, year));
            } catch (const ehsim::authority::DfeDataError&) {
                continue;  // that year cannot be made from these tables: refused, as the command refuses it
            }
            // What the command generates must load: a refusal here is a finding, whatever the tables held.
            ehsim::fuzz::expect_loads(baseline,
                                      [&] { ehsim::scenario::load_scenario_text(baseline, "generated.yaml"); });
            ehsim::fuzz::expect_loads(targets,
                                      [&] { ehsim::calibration::load_targets_text(targets, "generated.yaml"); });
        }
    });
    std::ofstream(folder / table, std::ios::binary) << original;  // the next input starts from the trimmed table
    return 0;
}
