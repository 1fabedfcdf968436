// The calibration report's numbers are the file's: a real calibration (`ehsim calibrate` on the minimal
// scenario, a few particles) is read back here independently through the HDF5 C API, and the report's tables
// carry exactly its figures (the published value, the posterior-predictive median and 5th and 95th
// percentiles, inside or outside), its parameters' prior and posterior percentiles and its generations, in
// machine-readable data-* attributes, and each figure's kind and period and each prior's distribution, numbers and
// bounds exactly as the targets and set-up files give them. A hand-made file with known numbers checks a range,
// undefined draws and escaping, and still renders without the attributes that older files lack; another shows
// a difference and priors of every form in words; files of another kind, missing files and files without a
// group are refused in one line.
#include "output/calibration_report.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/inference_data_writer.hpp"
#include "output/sensitivity_writer.hpp"
#include "tests/output/hdf5_read_back.hpp"
#include "tests/output/report_test_support.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;
using namespace report_test;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Percentile q of the finite values: linear interpolation between order statistics (R's type 7, numpy's
// default), written here apart from the report's own.
double percentile(std::vector<double> values, double q) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.empty()) return kNaN;
    std::sort(values.begin(), values.end());
    const double h = q * static_cast<double>(values.size() - 1);
    const std::size_t low = static_cast<std::size_t>(h), high = std::min(low + 1, values.size() - 1);
    return values[low] + (h - static_cast<double>(low)) * (values[high] - values[low]);
}

double number_of(const std::string& text) {
    double value = kNaN;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    EXPECT_TRUE(result.ec == std::errc() && result.ptr == text.data() + text.size()) << "not a number: " << text;
    return value;
}

// Exactly equal, NaN equal to NaN.
void expect_same(double actual, double expected, const std::string& what) {
    if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(actual)) << what << ": " << actual;
    } else {
        EXPECT_EQ(actual, expected) << what;
    }
}

// The value of attribute `name` of the first element in `html` that has it.
std::string attribute_in(const std::string& html, const std::string& name) {
    const std::regex pattern(" " + name + "=\"([^\"]*)\"");
    std::smatch match;
    if (!std::regex_search(html, match, pattern)) {
        ADD_FAILURE() << "no attribute " << name << " in " << html.substr(0, 200);
        return "";
    }
    return match[1];
}

// The rows of the table with id `table`, keyed by their attribute `key` (data-target, data-parameter).
std::map<std::string, std::string> rows_of(const std::string& html, const std::string& table, const std::string& key) {
    std::map<std::string, std::string> rows;
    const std::size_t begin = html.find("id=\"" + table + "\"");
    if (begin == std::string::npos) {
        ADD_FAILURE() << "no table " << table;
        return rows;
    }
    const std::string body = html.substr(begin, html.find("</table>", begin) - begin);
    const std::regex row("<tr " + key + "=\"([^\"]*)\">([\\s\\S]*?)</tr>");
    for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator(); ++it)
        rows[(*it)[1]] = (*it)[2];
    return rows;
}

// The cells (opening tags and contents) of a row.
std::vector<std::string> cells_of(const std::string& row) {
    std::vector<std::string> cells;
    const std::regex cell("<td[^>]*>[\\s\\S]*?</td>");
    for (auto it = std::sregex_iterator(row.begin(), row.end(), cell); it != std::sregex_iterator(); ++it)
        cells.push_back((*it)[0]);
    return cells;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
    return count;
}

// A one-line std::runtime_error that starts with "<path>: " and mentions `fragment`.
template <typename Call>
void expect_refused(const Call& call, const std::string& path, const std::string& fragment) {
    try {
        call();
        ADD_FAILURE() << "expected an error with " << fragment;
    } catch (const std::runtime_error& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

// What a test data file (tests/data) says, read here with patterns of its own flow-map lines, apart from ehsim's
// loaders: each target's name, indicator, period and kind; each parameter's prior.
struct TargetInFile {
    std::string indicator, from, to, kind;
};
std::map<std::string, TargetInFile> targets_in(const std::string& yaml) {
    std::map<std::string, TargetInFile> targets;
    const std::regex target(
        "\\{name: ([A-Za-z_]+), indicator: ([a-z0-9_]+), from: ([0-9-]+), to: ([0-9-]+), kind: ([a-z0-9_]+),");
    for (auto it = std::sregex_iterator(yaml.begin(), yaml.end(), target); it != std::sregex_iterator(); ++it)
        targets[(*it)[1]] = {(*it)[2], (*it)[3], (*it)[4], (*it)[5]};
    return targets;
}

struct PriorInFile {
    std::string distribution, lower, upper;
};
std::map<std::string, PriorInFile> priors_in(const std::string& yaml) {
    std::map<std::string, PriorInFile> priors;
    const std::regex parameter(
        "- path: ([a-z0-9_.]+)\n +prior: \\{distribution: ([a-z_]+), lower: ([0-9.]+), upper: ([0-9.]+)\\}");
    for (auto it = std::sregex_iterator(yaml.begin(), yaml.end(), parameter); it != std::sregex_iterator(); ++it)
        priors[(*it)[1]] = {(*it)[2], (*it)[3], (*it)[4]};
    return priors;
}

// ---------------------------------------------------------------------------------------------------
// A real calibration, made once for the suite.

class CalibrationReport : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        folder_ = new TemporaryFolder();
        file_ = (folder_->path() / "minimal-posterior.h5").string();
        const std::string data = EHSIM_TEST_DATA;
        const int status =
            run_ehsim("calibrate " + data + "/minimal-calibration.yaml --threads 2 -q --out '" + file_ + "'",
                      folder_->path() / "calibrate.log");
        ASSERT_EQ(status, 0) << bytes_of(folder_->path() / "calibrate.log");
        html_ = new std::string(render_calibration_report(file_, fake_libraries(), {"", "2024-06-02T10:00:00Z"}));
    }
    static void TearDownTestSuite() {
        delete html_;
        delete folder_;
    }

    static TemporaryFolder* folder_;
    static std::string file_;
    static std::string* html_;
};

TemporaryFolder* CalibrationReport::folder_ = nullptr;
std::string CalibrationReport::file_;
std::string* CalibrationReport::html_ = nullptr;

TEST_F(CalibrationReport, TheFitTableCarriesTheFilesFiguresAndPredictivePercentiles) {
    ASSERT_NE(html_, nullptr);
    const Id file = open_file(file_);
    const std::vector<std::string> targets = read_strings(file, "/constant_data/target");
    ASSERT_EQ(targets, (std::vector<std::string>{"open", "requests", "met"}));
    const std::vector<double> lower = read_doubles(file, "/constant_data/lower").values,
                              upper = read_doubles(file, "/constant_data/upper").values;
    const std::map<std::string, std::string> rows = rows_of(*html_, "fit-table", "data-target");
    ASSERT_EQ(rows.size(), targets.size());
    std::size_t inside_count = 0;
    for (std::size_t k = 0; k < targets.size(); ++k) {
        SCOPED_TRACE(targets[k]);
        ASSERT_TRUE(rows.count(targets[k]));
        const std::string& row = rows.at(targets[k]);
        const Doubles predictive = read_doubles(file, "/posterior_predictive/" + targets[k]);
        ASSERT_EQ(predictive.shape.size(), 2u);
        const double low = percentile(predictive.values, 0.05), median = percentile(predictive.values, 0.5),
                     high = percentile(predictive.values, 0.95);
        const double observed = read_doubles(file, "/observed_data/" + targets[k]).values.at(0);
        const std::vector<std::string> cells = cells_of(row);
        ASSERT_EQ(cells.size(), 8u);  // indicator, period, kind, published, source, median, interval, inside
        expect_same(number_of(attribute_in(cells[3], "data-published")), observed, "published");
        expect_same(number_of(attribute_in(cells[3], "data-published-lower")), lower[k], "published lower");
        expect_same(number_of(attribute_in(cells[3], "data-published-upper")), upper[k], "published upper");
        expect_same(number_of(attribute_in(cells[5], "data-model-low")), low, "5th percentile");
        expect_same(number_of(attribute_in(cells[5], "data-model-median")), median, "median");
        expect_same(number_of(attribute_in(cells[5], "data-model-high")), high, "95th percentile");
        const bool inside = upper[k] >= low && lower[k] <= high;
        inside_count += inside;
        EXPECT_EQ(attribute_in(cells[7], "data-inside"), inside ? "yes" : "no");
        // The source is the file's, escaped; the indicator and period come from the predictive's description.
        Id dataset = open_dataset(file, "/observed_data/" + targets[k]);
        EXPECT_NE(cells[4].find(string_attribute(dataset, "description")), std::string::npos) << cells[4];
        EXPECT_NE(cells[4].find("tests: made up"), std::string::npos);
    }
    EXPECT_NE(rows.at("met").find("needs_<wbr>met_<wbr>pct"), std::string::npos);
    EXPECT_NE(rows.at("met").find("April 2020 to March 2021"), std::string::npos);
    EXPECT_NE(rows.at("open").find("March 2021"), std::string::npos);
    EXPECT_NE(rows.at("met").find("proportion (%)"), std::string::npos);
    EXPECT_NE(html_->find("reproduces " + std::to_string(inside_count) + " of the 3 published figures"),
              std::string::npos);
}

TEST_F(CalibrationReport, EachFiguresKindPeriodAndCouncilAreTheTargetsFiles) {
    ASSERT_NE(html_, nullptr);
    const std::string data = EHSIM_TEST_DATA;
    std::smatch match;
    const std::string setup = bytes_of(fs::path(data) / "minimal-calibration.yaml");
    ASSERT_TRUE(std::regex_search(setup, match, std::regex("\ntargets: (\\S+)")));
    const std::string yaml = bytes_of(fs::path(data) / std::string(match[1]));
    const std::map<std::string, TargetInFile> expected = targets_in(yaml);
    ASSERT_EQ(expected.size(), 3u);
    ASSERT_TRUE(std::regex_search(yaml, match, std::regex("\ncouncil: ([^\n]+)")));
    const std::string council = match[1];

    // In the file: observed_data's attributes, strings.
    const Id file = open_file(file_);
    const Id observed(H5Gopen2(file, "/observed_data", H5P_DEFAULT), H5Gclose, "open /observed_data");
    EXPECT_EQ(string_attribute(observed, "council"), council);
    const std::map<std::string, std::string> rows = rows_of(*html_, "fit-table", "data-target");
    ASSERT_EQ(rows.size(), expected.size());
    for (const auto& [name, target] : expected) {
        SCOPED_TRACE(name);
        EXPECT_EQ(string_attribute(observed, "kind:" + name), target.kind);
        EXPECT_EQ(string_attribute(observed, "indicator:" + name), target.indicator);
        EXPECT_EQ(string_attribute(observed, "from:" + name), target.from);
        EXPECT_EQ(string_attribute(observed, "to:" + name), target.to);
        EXPECT_EQ(string_attribute(observed, "source:" + name), "tests: made up");
        EXPECT_EQ(H5Aexists(observed, ("compared_with_from:" + name).c_str()), 0);  // no difference here

        // In the report: the kind and period exactly.
        ASSERT_TRUE(rows.count(name));
        const std::vector<std::string> cells = cells_of(rows.at(name));
        ASSERT_EQ(cells.size(), 8u);
        EXPECT_EQ(attribute_in(cells[1], "data-from"), target.from);
        EXPECT_EQ(attribute_in(cells[1], "data-to"), target.to);
        EXPECT_EQ(attribute_in(cells[2], "data-kind"), target.kind);
        EXPECT_NE(cells[2].find(target.kind == "proportion" ? ">proportion (%)<" : ">" + target.kind + "<"),
                  std::string::npos)
            << cells[2];
    }
    EXPECT_NE(html_->find("Kind and period are as the targets file gives them."), std::string::npos);
    EXPECT_NE(html_->find("published figures</strong> of " + council + " ("), std::string::npos);
}

TEST_F(CalibrationReport, TheParameterTableCarriesThePriorAndPosteriorPercentiles) {
    ASSERT_NE(html_, nullptr);
    const Id file = open_file(file_);
    std::vector<std::string> parameters;
    for (const std::string& name : link_names(file, "/posterior", H5_INDEX_CRT_ORDER))
        if (name != "chain" && name != "draw") parameters.push_back(name);
    ASSERT_EQ(parameters, (std::vector<std::string>{"need.incidence_level_3_per_family_per_year",
                                                    "early_help.needs_met_probability"}));
    const std::map<std::string, std::string> rows = rows_of(*html_, "parameter-table", "data-parameter");
    ASSERT_EQ(rows.size(), parameters.size());
    for (const std::string& parameter : parameters) {
        SCOPED_TRACE(parameter);
        ASSERT_TRUE(rows.count(parameter));
        const std::vector<std::string> cells = cells_of(rows.at(parameter));
        ASSERT_EQ(cells.size(), 5u);  // why, prior kind, prior, posterior, width
        const std::vector<double> prior = read_doubles(file, "/prior/" + parameter).values,
                                  posterior = read_doubles(file, "/posterior/" + parameter).values;
        for (const auto& [name, cell, draws] :
             {std::tuple{"prior", cells[2], prior}, std::tuple{"posterior", cells[3], posterior}}) {
            const std::string prefix = std::string("data-") + name;
            expect_same(number_of(attribute_in(cell, prefix + "-low")), percentile(draws, 0.05), prefix + "-low");
            expect_same(number_of(attribute_in(cell, prefix + "-median")), percentile(draws, 0.5), prefix + "-median");
            expect_same(number_of(attribute_in(cell, prefix + "-high")), percentile(draws, 0.95), prefix + "-high");
        }
        const double ratio = (percentile(posterior, 0.95) - percentile(posterior, 0.05)) /
                             (percentile(prior, 0.95) - percentile(prior, 0.05));
        expect_same(number_of(attribute_in(cells[4], "data-width-ratio")), ratio, "width ratio");
    }
    EXPECT_NE(rows.at("early_help.needs_met_probability").find(">uniform from 0.2 to 1<"), std::string::npos);
    EXPECT_NE(rows.at("need.incidence_level_3_per_family_per_year").find(">log-uniform from 0.005 to 0.15<"),
              std::string::npos);
}

TEST_F(CalibrationReport, EachPriorsDistributionAndBoundsAreTheSetUpFiles) {
    ASSERT_NE(html_, nullptr);
    const std::map<std::string, PriorInFile> expected =
        priors_in(bytes_of(fs::path(EHSIM_TEST_DATA) / "minimal-calibration.yaml"));
    ASSERT_EQ(expected.size(), 2u);
    const Id file = open_file(file_);
    const Id constant(H5Gopen2(file, "/constant_data", H5P_DEFAULT), H5Gclose, "open /constant_data");
    const std::vector<std::string> paths = read_strings(file, "/constant_data/parameter");
    ASSERT_EQ(paths.size(), expected.size());
    const std::vector<double> lower = read_doubles(file, "/constant_data/prior_lower").values,
                              upper = read_doubles(file, "/constant_data/prior_upper").values,
                              first = read_doubles(file, "/constant_data/prior_first").values,
                              second = read_doubles(file, "/constant_data/prior_second").values;
    const std::map<std::string, std::string> rows = rows_of(*html_, "parameter-table", "data-parameter");
    for (std::size_t p = 0; p < paths.size(); ++p) {
        SCOPED_TRACE(paths[p]);
        ASSERT_TRUE(expected.count(paths[p]));
        const PriorInFile& prior = expected.at(paths[p]);
        // In the file: the distribution as an attribute, the bounds as numbers; a uniform has no other numbers.
        EXPECT_EQ(string_attribute(constant, "prior_distribution:" + paths[p]), prior.distribution);
        expect_same(lower.at(p), number_of(prior.lower), "prior_lower");
        expect_same(upper.at(p), number_of(prior.upper), "prior_upper");
        EXPECT_TRUE(std::isnan(first.at(p)) && std::isnan(second.at(p)));
        EXPECT_EQ(H5Aexists(constant, ("prior_first:" + paths[p]).c_str()), 0);
        // In the report: the same, exactly.
        ASSERT_TRUE(rows.count(paths[p]));
        const std::vector<std::string> cells = cells_of(rows.at(paths[p]));
        ASSERT_EQ(cells.size(), 5u);
        EXPECT_EQ(attribute_in(cells[1], "data-prior-distribution"), prior.distribution);
        expect_same(number_of(attribute_in(cells[1], "data-prior-lower")), number_of(prior.lower), "lower");
        expect_same(number_of(attribute_in(cells[1], "data-prior-upper")), number_of(prior.upper), "upper");
    }
    EXPECT_NE(html_->find("Each prior is as the set-up file gives it"), std::string::npos);
}

TEST_F(CalibrationReport, TheGenerationTableAndMethodNotesAreTheFiles) {
    ASSERT_NE(html_, nullptr);
    const Id file = open_file(file_);
    const std::vector<double> tolerance = read_doubles(file, "/abc_generations/tolerance").values,
                              simulations = read_doubles(file, "/abc_generations/simulations").values;
    const std::size_t begin = html_->find("id=\"generation-table\"");
    ASSERT_NE(begin, std::string::npos);
    const std::string table = html_->substr(begin, html_->find("</table>", begin) - begin);
    const std::regex row("<tr><th scope=\"row\">([0-9]+)</th>([\\s\\S]*?)</tr>");
    std::size_t generation = 0;
    for (auto it = std::sregex_iterator(table.begin(), table.end(), row); it != std::sregex_iterator();
         ++it, ++generation) {
        ASSERT_LT(generation, tolerance.size());
        EXPECT_EQ((*it)[1], std::to_string(generation));
        const std::vector<std::string> cells = cells_of((*it)[2]);
        ASSERT_EQ(cells.size(), 8u);
        expect_same(number_of(attribute_in(cells[0], "data-value")), tolerance[generation], "tolerance");
        expect_same(number_of(attribute_in(cells[5], "data-value")), simulations[generation], "simulations");
    }
    EXPECT_EQ(generation, tolerance.size());
    EXPECT_EQ(generation, 2u);  // minimal-calibration.yaml: maximum_generations 2
    EXPECT_NE(html_->find("maximum number of generations reached"), std::string::npos);

    // Provenance: seed, particles, version, commit and the files' fingerprints.
    const Id root(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, "open /");
    for (const char* name : {"seed", "particles", "ehsim_version", "git_commit", "setup_fnv1a64", "scenario_fnv1a64",
                             "targets_fnv1a64", "setup_file", "scenario_file", "targets_file"}) {
        const std::string value = string_attribute(root, name);
        EXPECT_NE(html_->find(value), std::string::npos) << name << " = " << value;
    }
    EXPECT_NE(html_->find("<dt>Random seed</dt><dd>3</dd>"), std::string::npos);
    EXPECT_NE(html_->find("<dt>Particles</dt><dd>30 "), std::string::npos);
}

TEST_F(CalibrationReport, IsOnePageWithItsSectionsAndAccessibleCharts) {
    ASSERT_NE(html_, nullptr);
    const std::string& html = *html_;
    std::size_t at = 0;
    for (const char* id : {"summary", "fit", "parameters", "progress", "method"}) {
        const std::size_t found = html.find("<section id=\"" + std::string(id) + "\" class=\"report-section\"");
        ASSERT_NE(found, std::string::npos) << id;
        EXPECT_GT(found, at) << id << " out of order";
        at = found;
    }
    EXPECT_NE(html.find("data-charts=\"2\""), std::string::npos);
    for (const char* id : {"fit-chart", "parameter-chart"}) {
        const std::regex chart("<div class=\"chart\" id=\"" + std::string(id) +
                               "\" data-chart role=\"img\" aria-label=\"([^\"]{40,})\"></div>\n<figcaption>");
        std::smatch match;
        EXPECT_TRUE(std::regex_search(html, match, chart)) << id;
        EXPECT_NE(html.find("\"" + std::string(id) + "\":{\"description\":"), std::string::npos) << id;
    }
    EXPECT_EQ(count_of(html, "<details class=\"data-table\">"), 2u);
    EXPECT_EQ(count_of(html, "<script src"), 0u);
    EXPECT_EQ(count_of(html, "http://"), count_of(html, "http://www.w3.org/"));
    EXPECT_NE(html.find("<title>Calibration of the model to Minimal Council&#39;s published figures</title>"),
              std::string::npos);
}

// ---------------------------------------------------------------------------------------------------
// A hand-made file with known numbers.

InferenceVariable draws_of(const std::string& name, const std::vector<double>& values, const std::string& about) {
    return {name, {"chain", "draw"}, {1, values.size()}, values, about};
}

// Draws 1, 2, ..., 101: 5th percentile 6, median 51, 95th percentile 96 (times `scale`), and `nans` NaNs.
std::vector<double> ramp(double scale, std::size_t nans = 0) {
    std::vector<double> values(101);
    std::iota(values.begin(), values.end(), 1.0);
    for (double& value : values) value *= scale;
    values.insert(values.begin() + 10, nans, kNaN);
    values.resize(101);  // as many draws as every other variable of the group
    return values;
}

InferenceData hand_made(bool with_generations) {
    InferenceData data;
    InferenceGroup posterior{"posterior", {draws_of("a.rate", ramp(0.01), "log_uniform prior; <why> & how")}, {}, {}};
    InferenceGroup prior{"prior", {draws_of("a.rate", ramp(0.02), "log_uniform prior; <why> & how")}, {}, {}};
    InferenceGroup predictive{"posterior_predictive",
                              {draws_of("share", ramp(1.0), "needs_met_pct from 2020-04 to 2021-03"),
                               draws_of("<many & more>", ramp(1.0, 20), "early_help_requests from 2021-01 to 2021-03")},
                              {},
                              {}};
    InferenceGroup observed{"observed_data",
                            {{"share", {}, {}, {50.0}, "Council paper, table 3 <script>alert(1)</script>"},
                             {"<many & more>", {}, {}, {250.0}, "About 200 to 300 a quarter"}},
                            {},
                            {}};
    InferenceGroup constant{"constant_data",
                            {{"lower", {"target"}, {2}, {50.0, 200.0}, ""},
                             {"upper", {"target"}, {2}, {50.0, 300.0}, ""},
                             {"error_sd", {"target"}, {2}, {5.0, 30.0}, ""},
                             {"distance_scale", {"target"}, {2}, {5.0, 30.0}, ""}},
                            {{"target", {"share", "<many & more>"}}},
                            {}};
    InferenceGroup generations{"abc_generations",
                               {{"tolerance", {"generation"}, {2}, {4.0, 0.8}, ""},
                                {"acceptance_rate", {"generation"}, {2}, {1.0, 0.25}, ""},
                                {"effective_sample_size", {"generation"}, {2}, {101.0, 90.5}, ""},
                                {"simulations", {"generation"}, {2}, {101.0, 404.0}, ""},
                                {"wall_seconds", {"generation"}, {2}, {1.5, 3.25}, ""}},
                               {},
                               {}};
    data.groups = {posterior, prior, predictive, observed, constant};
    if (with_generations) data.groups.push_back(generations);
    data.attributes = {{"format", "ehsim-calibration"},
                       {"ehsim_version", "9.9.9"},
                       {"git_commit", "feedbee"},
                       {"seed", "77"},
                       {"particles", "101"},
                       {"stop_reason", "tolerance below the minimum"},
                       {"scenario_resolved", "name: test\ncouncil: \"Tests <&> Borough\"\ntime:\n  start_date: x\n"}};
    return data;
}

TEST(CalibrationReportOfKnownNumbers, CountsRangesAndUndefinedDrawsAndEscapesTheFilesText) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "known.nc").string();
    write_inference_data(hand_made(true), path);
    const CalibrationResults results = read_calibration_results(path);
    EXPECT_EQ(results.council, "Tests <&> Borough");
    EXPECT_EQ(results.scenario_name, "test");
    ASSERT_EQ(results.targets.size(), 2u);
    EXPECT_EQ(results.targets[0].indicator, "needs_met_pct");
    EXPECT_EQ(results.targets[1].from, "2021-01");
    EXPECT_TRUE(results.targets[1].range());
    const std::vector<FitRow> fit = calibration_fit(results);
    EXPECT_EQ(fit[0].model.p05, 6.0);
    EXPECT_EQ(fit[0].model.p50, 51.0);
    EXPECT_EQ(fit[0].model.p95, 96.0);
    EXPECT_TRUE(fit[0].inside);
    EXPECT_FALSE(fit[1].inside);  // 200 to 300 against a model's interval below 100
    EXPECT_EQ(fit[1].model.p50, percentile(ramp(1.0, 20), 0.5));
    const std::vector<ParameterRow> parameters = calibration_parameters(results);
    ASSERT_EQ(parameters.size(), 1u);
    EXPECT_DOUBLE_EQ(parameters[0].width_ratio, 0.5);
    EXPECT_EQ(results.parameters[0].prior_kind, "log_uniform");
    EXPECT_EQ(results.parameters[0].why, "<why> & how");
    // Written as files were before ehsim recorded kinds, periods' comparisons, the council and priors' bounds:
    // what the descriptions say, and nothing made up.
    EXPECT_EQ(results.targets_council, "");
    EXPECT_EQ(results.targets[0].kind, "");
    EXPECT_EQ(results.targets[0].compared_with_from, "");
    EXPECT_EQ(results.targets[0].source, "Council paper, table 3 <script>alert(1)</script>");
    EXPECT_TRUE(std::isnan(results.parameters[0].lower) && std::isnan(results.parameters[0].upper));

    const std::string html = render_calibration_report(path, fake_libraries(), {"", ""});
    EXPECT_NE(html.find("reproduces 1 of the 2 published figures"), std::string::npos);
    EXPECT_NE(html.find("not reproduced</strong>, the model's values are lower than the published figure"),
              std::string::npos);
    EXPECT_NE(html.find("data-inside=\"no\""), std::string::npos);
    EXPECT_NE(html.find(">range<"), std::string::npos);
    EXPECT_NE(html.find(">proportion (%)<"), std::string::npos);  // guessed from needs_met_pct
    EXPECT_NE(html.find("Kind is read from the indicator's name where the file does not record it"), std::string::npos);
    EXPECT_NE(html.find("<td data-label=\"Prior\">log-uniform</td>"), std::string::npos);
    EXPECT_NE(html.find("Where a prior shows only its kind"), std::string::npos);
    EXPECT_EQ(html.find("data-kind="), std::string::npos);
    EXPECT_EQ(html.find("data-prior-lower="), std::string::npos);
    EXPECT_NE(html.find("Council paper, table 3 &lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("Calibration of the model to Tests &lt;&amp;&gt; Borough&#39;s published figures"),
              std::string::npos);
    EXPECT_EQ(html.find("<many & more>"), std::string::npos);
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_NE(html.find("&lt;why&gt; &amp; how"), std::string::npos);
    EXPECT_NE(html.find("tolerance below the minimum"), std::string::npos);
    // The range is drawn as a line in the chart (ends at 80% and 120% of its midpoint, 250).
    EXPECT_NE(html.find("\"pl\":0.8,\"ph\":1.2"), std::string::npos);
    // A title given replaces the made one.
    EXPECT_NE(
        render_calibration_report(path, fake_libraries(), {"Panel & co", ""}).find("<title>Panel &amp; co</title>"),
        std::string::npos);
}

// A calibration by replenishment and moves: its steps and distinct particles read back and shown, with the words
// that fit the method; a file from before they were recorded says so.
TEST(CalibrationReportOfKnownNumbers, ReplenishmentShowsStepsAndDistinctParticles) {
    InferenceData data = hand_made(true);
    data.groups.back().variables.push_back({"distinct_particles", {"generation"}, {2}, {101.0, 77.0}, ""});
    data.groups.back().variables.push_back({"moves", {"generation"}, {2}, {0.0, 12.0}, ""});
    data.attributes.emplace_back("abc_method", "mcmc_moves");
    TemporaryFolder folder;
    const std::string path = (folder.path() / "moves.nc").string();
    write_inference_data(data, path);
    const CalibrationResults results = read_calibration_results(path);
    ASSERT_EQ(results.generations.size(), 2u);
    EXPECT_EQ(results.generations[1].distinct_particles, 77.0);
    EXPECT_EQ(results.generations[1].moves, 12.0);
    const std::string html = render_calibration_report(path, fake_libraries(), {"", ""});
    EXPECT_NE(html.find("the share of steps accepted"), std::string::npos);
    EXPECT_NE(html.find("<td data-value=\"12\">12</td>"), std::string::npos);
    EXPECT_NE(html.find("<td data-value=\"0\">none</td>"), std::string::npos);
    EXPECT_NE(html.find("holds only 77 distinct particles"), std::string::npos);
    // Without the columns or the method (files written before them): not recorded, and the weights' words.
    write_inference_data(hand_made(true), path);
    const std::string before = render_calibration_report(path, fake_libraries(), {"", ""});
    EXPECT_NE(before.find("not recorded"), std::string::npos);
    EXPECT_NE(before.find("the share of simulations kept"), std::string::npos);
}

// History matching's waves, when the calibration ran it first: read back as written, and a section that gives
// each wave's runs, the emulators' check and the space left, why it stopped, and the figures no run met.
TEST(CalibrationReportOfKnownNumbers, ShowsHistoryMatchingsWavesAndTheFiguresNoRunMet) {
    InferenceData data = hand_made(true);
    InferenceGroup waves{"history_matching_waves",
                         {{"volume", {"wave"}, {2}, {0.0037, 0.00000042}, ""},
                          {"volume_standard_error", {"wave"}, {2}, {0.0004, 0.0000001}, ""},
                          {"points", {"wave"}, {2}, {70, 70}, ""},
                          {"simulations", {"wave"}, {2}, {140, 140}, ""},
                          {"wall_seconds", {"wave"}, {2}, {12.5, 10.25}, ""},
                          {"loo_within_2", {"wave", "target"}, {2, 2}, {0.9, 1.0, 0.8, 0.95}, ""},
                          {"closest", {"wave", "target"}, {2, 2}, {0.5, 2.0, 0.2, 4.5}, ""}},
                         {{"target", {"share", "<many & more>"}}},
                         {{"stop_reason", "maximum number of waves reached"},
                          {"cutoff", "3.000000"},
                          {"implausibility", "maximum"},
                          {"warning_1", "a <note>"}}};
    data.groups.push_back(waves);
    TemporaryFolder folder;
    const std::string path = (folder.path() / "waves.nc").string();
    write_inference_data(data, path);
    const CalibrationResults results = read_calibration_results(path);
    ASSERT_EQ(results.waves.size(), 2u);
    EXPECT_EQ(results.waves[1].volume, 0.00000042);
    EXPECT_EQ(results.waves[1].loo_within_2, (std::vector<double>{0.8, 0.95}));
    EXPECT_EQ(results.waves[1].closest, (std::vector<double>{0.2, 4.5}));
    EXPECT_EQ(results.history_matching_cutoff, 3.0);
    EXPECT_EQ(results.history_matching_warnings, (std::vector<std::string>{"a <note>"}));
    const std::string html = render_calibration_report(path, fake_libraries(), {"", ""});
    EXPECT_NE(html.find("Ruling out first: history matching"), std::string::npos);
    EXPECT_NE(html.find("2 waves of simulations"), std::string::npos);
    EXPECT_NE(html.find("whose largest miss"), std::string::npos);
    EXPECT_NE(html.find("<td>95%, 90%</td>"), std::string::npos);  // wave 1: mean and lowest of 0.9 and 1.0
    EXPECT_NE(html.find(">0.37%<"), std::string::npos);
    EXPECT_NE(html.find(">less than 0.001%<"), std::string::npos);
    EXPECT_NE(html.find("<strong>maximum number of waves reached</strong>. a &lt;note&gt;."), std::string::npos);
    // Only the second figure's closest run of the last wave (4.5) is beyond the cut-off.
    EXPECT_NE(html.find("came within the cut-off of: &lt;many &amp; more&gt; (closest run 4.5 uncertainties away)"),
              std::string::npos);
    EXPECT_EQ(html.find("share (closest run"), std::string::npos);
    // A file without the group has no such section.
    EXPECT_EQ(render_calibration_report(read_calibration_results([&] {
                                            const std::string plain = (folder.path() / "plain.nc").string();
                                            write_inference_data(hand_made(true), plain);
                                            return plain;
                                        }()),
                                        fake_libraries(), {"", ""})
                  .find("Ruling out first"),
              std::string::npos);
}

// A figure shown but not fitted has no emulator: the waves name the fitted figures only, and each is read back at
// its own figure's place (Walsall's file, two of 26 figures not fitted, failed before).
TEST(CalibrationReportOfKnownNumbers, WavesOverTheFittedFiguresOnlyAreReadAtTheirFigures) {
    InferenceData data = hand_made(true);
    data.groups.push_back({"history_matching_waves",
                           {{"volume", {"wave"}, {1}, {0.01}, ""},
                            {"volume_standard_error", {"wave"}, {1}, {0.001}, ""},
                            {"points", {"wave"}, {1}, {70}, ""},
                            {"simulations", {"wave"}, {1}, {140}, ""},
                            {"wall_seconds", {"wave"}, {1}, {12.5}, ""},
                            {"loo_within_2", {"wave", "target"}, {1, 1}, {0.9}, ""},
                            {"closest", {"wave", "target"}, {1, 1}, {4.5}, ""}},
                           {{"target", {"<many & more>"}}},
                           {{"stop_reason", "maximum number of waves reached"}, {"cutoff", "3.000000"}}});
    TemporaryFolder folder;
    const std::string path = (folder.path() / "fitted-only.nc").string();
    write_inference_data(data, path);
    const CalibrationResults results = read_calibration_results(path);
    ASSERT_EQ(results.waves.size(), 1u);
    ASSERT_EQ(results.waves[0].closest.size(), 2u);
    EXPECT_TRUE(std::isnan(results.waves[0].closest[0]));
    EXPECT_EQ(results.waves[0].closest[1], 4.5);
    EXPECT_NE(render_calibration_report(path, fake_libraries(), {"", ""})
                  .find("came within the cut-off of: &lt;many &amp; more&gt; (closest run 4.5 uncertainties away)"),
              std::string::npos);
    // A wave naming a figure the file does not hold is refused, naming it.
    data.groups.back().coordinates = {{"target", {"elsewhere"}}};
    write_inference_data(data, path);
    EXPECT_THROW(read_calibration_results(path), std::runtime_error);
}

// With a sensitivity study of the same set-up, the report ranks the calibrated parameters by the figures they
// move, beside how far the calibration narrowed each, and names those that move nothing.
TEST(CalibrationReportOfKnownNumbers, RanksTheParametersByASensitivityStudyOfTheSameSetUp) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "known.nc").string(), study_file = (folder.path() / "study.h5").string();
    write_inference_data(hand_made(true), path);
    SensitivityRecord study;
    study.setup_file = "setup.yaml";
    study.inputs = {"b.other", "a.rate", "c.nothing"};
    study.input_why = {"", "", ""};
    study.input_lower = {0, 0.01, 1};
    study.input_upper = {1, 0.1, 2};
    study.outputs = study.indicators = {"share", "count"};
    study.output_periods = {"2021-03", "2021-03"};
    study.output_kinds = {kFigureOutput, kFigureOutput};
    study.replication_noise = {0.1, 0.1};
    study.negligible = {"c.nothing"};
    study.negligible_for = {0, 1, 0, 0, 1, 1};
    study.has_morris = true, study.trajectories = 5, study.levels = 4;
    // [input][output]: a.rate leads both figures, b.other moves the first a little.
    study.mu = study.mu_star = {2, 0, 8, 5, 0, 0};
    study.sigma = {0, 0, 0, 0, 0, 0};
    write_sensitivity_hdf5(study, study_file);
    const std::string html = render_calibration_report(path, fake_libraries(), {"", ""}, study_file);
    const std::size_t section = html.find("<section id=\"sensitivity\"");
    ASSERT_NE(section, std::string::npos);
    const std::size_t first = html.find("a.rate", section), second = html.find("b.other", section);
    ASSERT_NE(first, std::string::npos);
    EXPECT_LT(first, second);  // leads two figures against one
    EXPECT_NE(html.find("<td>2 of 2</td><td>share</td><td>1.00</td><td>0.500</td>", section), std::string::npos);
    EXPECT_NE(html.find("<td>1 of 2</td><td>share</td><td>0.250</td><td>not calibrated</td>", section),
              std::string::npos);
    EXPECT_NE(html.find("could be fixed at their scenario values): <code>c.nothing</code>", section),
              std::string::npos);
    // Without the study, no such section; a study that cannot be read is one line naming it.
    EXPECT_EQ(render_calibration_report(path, fake_libraries(), {"", ""}).find("<section id=\"sensitivity\""),
              std::string::npos);
    EXPECT_THROW(render_calibration_report(path, fake_libraries(), {"", ""}, (folder.path() / "missing.h5").string()),
                 std::runtime_error);
}

// The hand-made file with what `ehsim calibrate` now records: a difference against an earlier period, a
// rate, and priors of every form, unbounded, half-bounded and bounded.
TEST(CalibrationReportOfKnownNumbers, ShowsRecordedKindsPeriodsCouncilAndPriorsInWords) {
    InferenceData data = hand_made(true);
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<std::string> paths{"a.rate", "b.share", "c.shift", "d.days", "e.level"};
    for (const char* group : {"posterior", "prior"}) {
        InferenceGroup& draws = *std::find_if(data.groups.begin(), data.groups.end(),
                                              [&](const InferenceGroup& g) { return g.name == group; });
        for (std::size_t p = 1; p < paths.size(); ++p) draws.variables.push_back(draws_of(paths[p], ramp(0.01), ""));
    }
    InferenceGroup& observed = data.groups[3];
    InferenceGroup& constant = data.groups[4];
    ASSERT_EQ(observed.name, "observed_data");
    ASSERT_EQ(constant.name, "constant_data");
    observed.attributes = {{"council", "Recorded & Borough"},
                           {"kind:share", "rate_per_10000"},
                           {"indicator:share", "early_help_requests_per_10000"},
                           {"from:share", "2020-04"},
                           {"to:share", "2021-03"},
                           {"source:share", "Recorded source"},
                           {"not_fitted:share", "counted <differently>"},
                           {"known_gap:share", "a <gap> for share"},
                           {"known_gap:<many & more>", "a <gap> for many"},
                           {"kind:<many & more>", "difference"},
                           {"from:<many & more>", "2021-01"},
                           {"to:<many & more>", "2021-03"},
                           {"compared_with_from:<many & more>", "2020-01"},
                           {"compared_with_to:<many & more>", "2020-03"}};
    constant.coordinates.push_back({"parameter", paths});
    constant.variables.push_back({"prior_first", {"parameter"}, {5}, {kNaN, 4.0, -0.5, 2.0, kNaN}, ""});
    constant.variables.push_back({"prior_second", {"parameter"}, {5}, {kNaN, 2.0, 0.1, 0.5, kNaN}, ""});
    constant.variables.push_back({"prior_lower", {"parameter"}, {5}, {0.1, 0.0, -inf, 0.0, -1.5}, ""});
    constant.variables.push_back({"prior_upper", {"parameter"}, {5}, {2.0, 1.0, inf, inf, 2.5}, ""});
    constant.attributes = {{"prior_distribution:a.rate", "log_uniform"},
                           {"prior_distribution:b.share", "beta"},
                           {"prior_first:b.share", "alpha"},
                           {"prior_second:b.share", "beta"},
                           {"prior_distribution:c.shift", "normal"},
                           {"prior_first:c.shift", "mean"},
                           {"prior_second:c.shift", "sd"},
                           {"prior_distribution:d.days", "gamma"},
                           {"prior_first:d.days", "shape"},
                           {"prior_second:d.days", "scale"},
                           {"prior_distribution:e.level", "uniform"}};
    TemporaryFolder folder;
    const std::string path = (folder.path() / "recorded.nc").string();
    write_inference_data(data, path);

    const CalibrationResults results = read_calibration_results(path);
    EXPECT_EQ(results.targets_council, "Recorded & Borough");
    EXPECT_EQ(results.council, "Tests <&> Borough");  // the scenario's, still read
    ASSERT_EQ(results.targets.size(), 2u);
    EXPECT_EQ(results.targets[0].kind, "rate_per_10000");
    EXPECT_EQ(results.targets[0].indicator, "early_help_requests_per_10000");  // the attribute, not the description
    EXPECT_EQ(results.targets[0].from, "2020-04");
    EXPECT_EQ(results.targets[0].source, "Recorded source");
    EXPECT_EQ(results.targets[0].not_fitted, "counted <differently>");
    EXPECT_EQ(results.targets[1].not_fitted, "");
    EXPECT_EQ(results.targets[0].known_gap, "a <gap> for share");
    EXPECT_EQ(results.targets[1].known_gap, "a <gap> for many");
    EXPECT_EQ(results.targets[1].kind, "difference");
    EXPECT_EQ(results.targets[1].compared_with_to, "2020-03");
    EXPECT_EQ(results.targets[1].source, "About 200 to 300 a quarter");  // no attribute: the description
    ASSERT_EQ(results.parameters.size(), 5u);
    EXPECT_EQ(results.parameters[2].prior_kind, "normal");
    EXPECT_EQ(results.parameters[2].first_name, "mean");
    EXPECT_EQ(results.parameters[2].first, -0.5);
    EXPECT_EQ(results.parameters[3].upper, inf);

    const std::string html = render_calibration_report(results, fake_libraries(), {"", ""});
    const std::map<std::string, std::string> targets = rows_of(html, "fit-table", "data-target");
    ASSERT_EQ(targets.size(), 2u);
    EXPECT_NE(targets.at("share").find(">rate per 10,000<"), std::string::npos);
    // A figure shown but not fitted says so, with its reason, in the table and in the summary.
    EXPECT_NE(targets.at("share").find("not fitted: counted &lt;differently&gt;"), std::string::npos);
    EXPECT_EQ(targets.at("&lt;many &amp; more&gt;").find("not fitted"), std::string::npos);
    EXPECT_NE(html.find("Shown, not fitted: counted &lt;differently&gt;"), std::string::npos);
    // What the model lacks is said beside a figure outside its interval, never beside one inside.
    std::size_t outside_rows = 0;
    for (const auto& [name, row] : targets) {
        const bool outside = row.find("data-inside=\"no\"") != std::string::npos;
        outside_rows += outside ? 1 : 0;
        EXPECT_EQ(row.find("what the model lacks: a &lt;gap&gt; for") != std::string::npos, outside) << name;
    }
    EXPECT_EQ(outside_rows, 1u);
    EXPECT_EQ(count_of(html, "What the model lacks: a &lt;gap&gt; for"), 1u);  // and in the summary's list
    EXPECT_NE(targets.at("&lt;many &amp; more&gt;").find(">difference<"), std::string::npos);
    EXPECT_NE(targets.at("&lt;many &amp; more&gt;")
                  .find(">January 2021 to March 2021, compared with January 2020 to March 2020<"),
              std::string::npos);
    EXPECT_NE(targets.at("&lt;many &amp; more&gt;").find("data-compared-with-from=\"2020-01\""), std::string::npos);
    EXPECT_NE(html.find("Kind and period are as the targets file gives them."), std::string::npos);
    EXPECT_NE(html.find("<title>Calibration of the model to Recorded &amp; Borough&#39;s published figures</title>"),
              std::string::npos);
    EXPECT_NE(html.find("published figures</strong> of Recorded &amp; Borough"), std::string::npos);

    const std::map<std::string, std::string> priors = rows_of(html, "parameter-table", "data-parameter");
    ASSERT_EQ(priors.size(), 5u);
    const std::map<std::string, std::string> words{{"a.rate", "log-uniform from 0.1 to 2"},
                                                   {"b.share", "beta(4, 2) on [0, 1]"},
                                                   {"c.shift", "normal(mean \u22120.5, sd 0.1)"},
                                                   {"d.days", "gamma(shape 2, scale 0.5) on [0, \u221e)"},
                                                   {"e.level", "uniform from \u22121.5 to 2.5"}};
    for (const auto& [parameter, text] : words) {
        SCOPED_TRACE(parameter);
        const std::vector<std::string> cells = cells_of(priors.at(parameter));
        ASSERT_EQ(cells.size(), 5u);
        EXPECT_NE(cells[1].find(">" + text + "</td>"), std::string::npos) << cells[1];
    }
    EXPECT_EQ(attribute_in(cells_of(priors.at("d.days"))[1], "data-prior-upper"), "inf");
    EXPECT_EQ(attribute_in(cells_of(priors.at("c.shift"))[1], "data-prior-lower"), "-inf");
    EXPECT_NE(html.find("Each prior is as the set-up file gives it"), std::string::npos);
}

TEST(CalibrationReportOfKnownNumbers, RefusesWhatIsNotACalibrationFileInOneLine) {
    TemporaryFolder folder;
    const std::string missing = (folder.path() / "none.nc").string();
    expect_refused([&] { render_calibration_report(missing, fake_libraries(), {}); }, missing, "no such file");

    const std::string text = (folder.path() / "text.nc").string();
    std::ofstream(text) << "not HDF5\n";
    expect_refused([&] { render_calibration_report(text, fake_libraries(), {}); }, text, "not an HDF5 file");

    const std::string run = (folder.path() / "run.h5").string();
    ASSERT_EQ(run_ehsim("run " + std::string(EHSIM_TEST_DATA) + "/minimal.yaml -n 2 -q --out '" + run + "'",
                        folder.path() / "run.log"),
              0)
        << bytes_of(folder.path() / "run.log");
    expect_refused([&] { render_calibration_report(run, fake_libraries(), {}); }, run,
                   "is an 'ehsim-run' file (the results of ehsim run), not a calibration file");

    const std::string partial = (folder.path() / "partial.nc").string();
    write_inference_data(hand_made(false), partial);
    expect_refused([&] { render_calibration_report(partial, fake_libraries(), {}); }, partial,
                   "the group /abc_generations is missing");

    InferenceData unformatted = hand_made(true);
    unformatted.attributes.erase(unformatted.attributes.begin());
    const std::string other = (folder.path() / "other.nc").string();
    write_inference_data(unformatted, other);
    expect_refused([&] { render_calibration_report(other, fake_libraries(), {}); }, other,
                   "not an ehsim calibration file (no root attribute 'format')");
}

}  // namespace
}  // namespace ehsim::output
