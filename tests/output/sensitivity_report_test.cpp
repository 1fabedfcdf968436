// The sensitivity report: a hand-made file with known numbers reads back as written, and its report has, for every
// output, its ranked charts (Morris and Sobol, with their specifications) and its table in rank order, the
// replication noise beside them, each parameter's reason, and the parameter that matters for nothing named in
// words. End to end, `ehsim sensitivity --option ... --report` on the minimal scenario writes a report whose
// option-effect table ranks first the one parameter the effect depends on, and `ehsim report` of the same file
// writes it too. A missing file is refused in one line.
#include "output/sensitivity_report.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "tests/output/hdf5_read_back.hpp"
#include "tests/output/report_test_support.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;
using namespace report_test;

// The page without the break opportunities that long names get.
std::string plain(std::string html) { return std::regex_replace(html, std::regex("<wbr>"), ""); }

// The parameters of a table in its rows' order.
std::vector<std::string> table_order(const std::string& html, const std::string& table_id) {
    const std::size_t start = html.find("id=\"" + table_id + "\""), end = html.find("</table>", start);
    if (start == std::string::npos) return {};
    const std::string table = html.substr(start, end - start);
    std::vector<std::string> order;
    const std::regex row("<tr data-parameter=\"([^\"]+)\"");
    for (auto match = std::sregex_iterator(table.begin(), table.end(), row); match != std::sregex_iterator(); ++match)
        order.push_back((*match)[1]);
    return order;
}

// Three parameters, a figure and an option's effect; the assessment's price matters for nothing.
SensitivityRecord known_record() {
    SensitivityRecord record;
    record.setup_file = "setup.yaml", record.scenario_file = "minimal.yaml", record.targets_file = "targets.yaml";
    record.version = "0.0.0 (commit test)";
    record.seed = 7, record.replications = 3;
    record.inputs = {"need.incidence", "costs.per_fte_year_family_support.pounds", "costs.per_assessment.pounds"};
    record.input_why = {"no local <figure>", "", "a guess"};
    record.input_lower = {0.01, 20000, 100};
    record.input_upper = {0.1, 50000, 1000};
    record.outputs = {"open", "effect of more on cost_staff, 2021-04 to 2022-03"};
    record.indicators = {"open_early_help_cases", "cost_staff"};
    record.output_periods = {"2021-03", "2021-04 to 2022-03"};
    record.output_kinds = {kFigureOutput, kEffectOutput};
    record.replication_noise = {0.5, 0.0};
    record.negligible = {"costs.per_assessment.pounds"};
    record.negligible_for = {0, 1, 1, 0, 1, 1};  // [input][output]
    record.option_file = "more.yaml", record.option_name = "more", record.option_changes = {"one more worker"};
    record.has_morris = true, record.trajectories = 4, record.levels = 4;
    record.mu = record.mu_star = {10, 0, 0, 30000, 0.01, 0};
    record.sigma = {2, 0, 0, 0, 0.01, 0};
    record.has_sobol = true, record.base_samples = 8, record.evaluations = 40;
    record.first = {0.9, 0, 0, 1, 0, 0};
    record.first_lower = {0.8, 0, 0, 1, 0, 0};
    record.first_upper = {1, 0, 0.01, 1, 0.01, 0};
    record.total = {0.95, 0, 0.01, 1, 0.001, 0};
    record.total_lower = {0.85, 0, 0, 1, 0, 0};
    record.total_upper = {1, 0, 0.02, 1, 0.01, 0};
    record.output_variance = {4, 1e8};
    return record;
}

TEST(SensitivityReport, AFileReadsBackAsWritten) {
    const TemporaryFolder folder;
    const fs::path file = folder.path() / "sensitivity.h5";
    const SensitivityRecord written = known_record();
    write_sensitivity_hdf5(written, file.string());
    const SensitivityRecord read = read_sensitivity_hdf5(file.string());
    EXPECT_EQ(read.inputs, written.inputs);
    EXPECT_EQ(read.input_why, written.input_why);
    EXPECT_EQ(read.output_periods, written.output_periods);
    EXPECT_EQ(read.output_kinds, written.output_kinds);
    EXPECT_EQ(read.negligible_for, written.negligible_for);
    EXPECT_EQ(read.option_name, "more");
    EXPECT_EQ(read.option_changes, written.option_changes);
    EXPECT_EQ(read.mu_star, written.mu_star);
    EXPECT_EQ(read.total_upper, written.total_upper);
    EXPECT_EQ(read.output_variance, written.output_variance);
    EXPECT_EQ(read.negligible_threshold, 0.05);
}

TEST(SensitivityReport, EachOutputHasItsChartsAndItsRankedTableAndTheNegligibleAreNamed) {
    const TemporaryFolder folder;
    const fs::path file = folder.path() / "sensitivity.h5";
    write_sensitivity_hdf5(known_record(), file.string());
    const std::string html = plain(render_sensitivity_report(file.string(), fake_libraries(), {}));
    for (const std::string output : {"0", "1"}) {
        for (const std::string chart : {"morris-", "sobol-"}) {
            EXPECT_NE(html.find("id=\"" + chart + output + "\" data-chart"), std::string::npos) << chart << output;
            EXPECT_NE(html.find("\"" + chart + output + "\":{"), std::string::npos)
                << "specification " << chart << output;
        }
        EXPECT_NE(html.find("id=\"table-" + output + "\""), std::string::npos) << output;
    }
    // Ranked by the total index: incidence first for the figure, the worker's cost first for the effect.
    EXPECT_EQ(table_order(html, "table-0"),
              (std::vector<std::string>{"need.incidence", "costs.per_fte_year_family_support.pounds",
                                        "costs.per_assessment.pounds"}));
    EXPECT_EQ(table_order(html, "table-1").front(), "costs.per_fte_year_family_support.pounds");
    // The replication noise beside each output's numbers, exactly and in words.
    EXPECT_NE(html.find("data-replication-noise=\"0.5\""), std::string::npos);
    EXPECT_NE(html.find("replication noise <span class=\"n\">0.500</span>"), std::string::npos);
    const std::size_t named = html.find("id=\"negligible-inputs\"");
    ASSERT_NE(named, std::string::npos);
    const std::string sentence = html.substr(named, html.find("</p>", named) - named);
    EXPECT_NE(sentence.find("This parameter matters for none of the outputs: <code>costs.per_assessment.pounds"),
              std::string::npos)
        << sentence;
    EXPECT_EQ(sentence.find("need.incidence"), std::string::npos);
    EXPECT_NE(html.find("no local &lt;figure&gt;"), std::string::npos);  // the set-up's why, escaped
    EXPECT_NE(html.find("The option's effect"), std::string::npos);
    EXPECT_NE(html.find("one more worker"), std::string::npos);
}

TEST(SensitivityReport, AnOptionStudyEndToEndRanksTheParameterItsEffectDependsOnFirst) {
    const TemporaryFolder folder;
    const fs::path setup = folder.path() / "setup.yaml", log = folder.path() / "log.txt";
    const std::string data = EHSIM_TEST_DATA;
    std::ofstream(setup) << "scenario: " << data << "/minimal.yaml\ntargets: " << data << "/minimal-targets.yaml\n"
                         << "parameters:\n"
                            "  - path: need.incidence_level_3_per_family_per_year\n"
                            "    prior: {distribution: log_uniform, lower: 0.005, upper: 0.15}\n"
                            "  - path: costs.per_fte_year_family_support.pounds\n"
                            "    prior: {distribution: uniform, lower: 20000, upper: 50000}\n"
                            "    why: what a worker costs the council\n"
                            "  - path: costs.per_assessment.pounds\n"
                            "    prior: {distribution: uniform, lower: 100, upper: 1000}\n";
    const fs::path out = folder.path() / "study.h5", report = folder.path() / "study.html";
    ASSERT_EQ(run_ehsim("sensitivity '" + setup.string() + "' --option " + data +
                            "/more-family-support-option.yaml --effect-indicator cost_staff --trajectories 3 -r 2 -q "
                            "--out '" +
                            out.string() + "' --report '" + report.string() + "'",
                        log),
              0)
        << bytes_of(log);
    const std::string html = plain(bytes_of(report));
    // Three figures, then the effect on staff cost (output 3).
    EXPECT_EQ(table_order(html, "table-3").front(), "costs.per_fte_year_family_support.pounds");
    EXPECT_NE(html.find("what a worker costs the council"), std::string::npos);
    EXPECT_NE(html.find("matters for none of the outputs: <code>costs.per_assessment.pounds"), std::string::npos);
    const fs::path again = folder.path() / "again.html";
    ASSERT_EQ(run_ehsim("report '" + out.string() + "' --out '" + again.string() + "'", log), 0) << bytes_of(log);
    EXPECT_NE(bytes_of(again).find("id=\"table-3\""), std::string::npos);
}

TEST(SensitivityReport, AMissingFileIsRefusedInOneLine) {
    try {
        read_sensitivity_hdf5("no-such-sensitivity.h5");
        ADD_FAILURE() << "a missing file was read";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "no-such-sensitivity.h5: no such file");
    }
}

}  // namespace
}  // namespace ehsim::output
