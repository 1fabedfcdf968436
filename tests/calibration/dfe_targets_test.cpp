// The DfE and ONS figures in calibration/targets: every value is the one the named CSV row holds (when the data
// folder, ../shared/data/dfe beside the source tree, is present), each rate is recomputed from its count and the
// ONS population, and every council scenario has a targets file. A source names its CSV row in a fixed form:
//   "DfE, Characteristics of children in need, year to 31 March 2017: b1_children_in_need.csv, Walsall,
//    At31_episodes; per 10,000 of ONS mid-year population estimates, mid-2016: ons_mid-year_population_estimates.csv,
//    Walsall, population_estimate"
// that is, "<when> <year>: <file>.csv, <authority>, [<another cell of the row>, ]<column>", once for a count or a
// percentage and twice (count, then population) for a rate per 10,000.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "sim/authority/authority_files.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = EHSIM_SOURCE_DIR;
const fs::path kData = EHSIM_DFE_DATA;

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// One CSV row and column named in a source.
struct Reference {
    std::string when;  // "year to 31 March ", "at 30 September " or "mid-"
    int year = 0;
    std::string file;
    std::string authority;
    std::vector<std::string> also;  // other cells the row holds (a population type)
    std::string column;
};

// The cells of one CSV line; a quoted cell may hold commas and doubled quotes.
std::vector<std::string> cells_of(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
            cells.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            cells.emplace_back();
        } else if (c != '\r') {
            cells.back() += c;
        }
    }
    return cells;
}

std::vector<Reference> references_in(const std::string& source) {
    static const std::regex pattern(
        R"((year to 31 March |at 30 September |mid-)(\d{4}): ([A-Za-z0-9_.-]+\.csv), ([^;(]+))");
    std::vector<Reference> found;
    for (auto match = std::sregex_iterator(source.begin(), source.end(), pattern); match != std::sregex_iterator();
         ++match) {
        Reference reference{(*match)[1].str(), std::stoi((*match)[2].str()), (*match)[3].str(), "", {}, ""};
        // Split as a CSV line, so that a name holding a comma is written quoted ("Bristol, City of").
        std::vector<std::string> parts;
        for (const std::string& part : cells_of(trimmed((*match)[4].str()))) parts.push_back(trimmed(part));
        if (parts.size() >= 2) {
            reference.authority = parts.front();
            reference.column = parts.back();
            reference.also.assign(parts.begin() + 1, parts.end() - 1);
        }
        found.push_back(reference);
    }
    return found;
}

class CsvTable {
public:
    explicit CsvTable(const fs::path& path) {
        std::ifstream in(path);
        std::string line;
        if (std::getline(in, line)) header_ = cells_of(line);
        while (std::getline(in, line))
            if (!line.empty()) rows_.push_back(cells_of(line));
    }
    bool has_column(const std::string& name) const {
        return std::find(header_.begin(), header_.end(), name) != header_.end();
    }
    // The cell in `column` of the one row of the year and authority holding every cell of `also`; "" if none or
    // several rows match.
    std::string cell(const Reference& reference, const std::string& column) const {
        if (!has_column("time_period") || !has_column("la_name")) return "";
        const std::size_t year = index("time_period"), authority = index("la_name"), wanted = index(column);
        std::vector<const std::vector<std::string>*> matches;
        for (const auto& row : rows_) {
            if (row.size() != header_.size() || row[year] != std::to_string(reference.year) ||
                lower(row[authority]) != lower(reference.authority))
                continue;
            const bool holds_all = std::all_of(reference.also.begin(), reference.also.end(), [&](const auto& text) {
                return std::find(row.begin(), row.end(), text) != row.end();
            });
            if (holds_all) matches.push_back(&row);
        }
        return matches.size() == 1 ? (*matches.front())[wanted] : "";
    }

private:
    std::size_t index(const std::string& name) const {
        return static_cast<std::size_t>(std::find(header_.begin(), header_.end(), name) - header_.begin());
    }
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

const CsvTable& table(const std::string& file) {
    static std::map<std::string, CsvTable> tables;
    auto found = tables.find(file);
    if (found == tables.end()) found = tables.emplace(file, CsvTable(kData / file)).first;
    return found->second;
}

// The number a reference names, or NaN (with a test failure) when the file, column or row is not there.
double number_at(const Reference& reference, const std::string& column, const std::string& where) {
    std::string problem, text;
    if (!fs::exists(kData / reference.file)) {
        problem = "no file " + reference.file;
    } else if (!table(reference.file).has_column(column)) {
        problem = reference.file + " has no column " + column;
    } else {
        text = table(reference.file).cell(reference, column);
        if (text.empty() || text.find_first_not_of("0123456789.-") != std::string::npos)
            problem = "no single number in " + reference.file + " for " + reference.authority + " " +
                      std::to_string(reference.year) + " " + column + " (found '" + text + "')";
    }
    if (problem.empty()) return std::stod(text);
    ADD_FAILURE() << where << ": " << problem;
    return std::numeric_limits<double>::quiet_NaN();
}

struct Entry {
    std::string file, name, kind, to, source;
    double value = 0, denominator = 0;
    std::string where() const { return file + ": " + name; }
};

std::vector<fs::path> targets_files() {
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(kSource / "calibration" / "targets"))
        if (item.path().extension() == ".yaml") files.push_back(item.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<Entry> entries_of(const YAML::Node& root, const std::string& file) {
    std::vector<Entry> entries;
    for (const YAML::Node& target : root["targets"]) {
        Entry entry{file, target["name"].as<std::string>(), target["kind"].as<std::string>(),
                    target["to"].as<std::string>(), target["source"].as<std::string>()};
        if (target["value"]) entry.value = target["value"].as<double>();
        if (target["denominator"]) entry.denominator = target["denominator"].as<double>();
        entries.push_back(entry);
    }
    return entries;
}

std::vector<Entry> entries_of(const fs::path& file) {
    return entries_of(YAML::LoadFile(file.string()), file.filename().string());
}

// The DfE count a binomial percentage of this file is over.
const std::map<std::string, std::string> kPercentOf{
    {"c1_children_in_need_referrals_and_rereferrals.csv", "referral_count"},
    {"d3_cpps_subsequent_plan.csv", "CPP_start"},
    {"d5_cpps_at31march_by_duration.csv", "CPP_At31"}};

void check_against_the_data(const Entry& entry, const std::vector<Reference>& references) {
    const Reference& first = references.front();
    if (entry.kind == "rate_per_10000") {
        ASSERT_EQ(references.size(), 2u) << entry.where() << ": a rate names its count and its population";
        const double count = number_at(first, first.column, entry.where());
        const double population = number_at(references[1], references[1].column, entry.where());
        if (!std::isnan(count / population)) {
            EXPECT_NEAR(entry.value, count / population * 10000.0, 0.05 + 1e-9) << entry.where();
        }
        EXPECT_EQ(entry.denominator, population) << entry.where() << ": the Poisson denominator is the population";
        return;
    }
    ASSERT_EQ(references.size(), 1u) << entry.where() << ": a " << entry.kind << " names one CSV cell";
    const double published = number_at(first, first.column, entry.where());
    if (!std::isnan(published)) {
        EXPECT_NEAR(entry.value, published, 1e-9) << entry.where();
    }
    const auto over = kPercentOf.find(first.file);
    if (entry.kind == "proportion" && over != kPercentOf.end()) {
        EXPECT_EQ(entry.denominator, number_at(first, over->second, entry.where()))
            << entry.where() << ": a percentage's binomial denominator is DfE's " << over->second;
    }
}

TEST(DfeTargets, SourcesNameTheirCsvRow) {
    const auto references = references_in(
        "DfE, Children looked after in England, year to 31 March 2023: cla_number_and_rate_per_10k_children.csv, "
        "Sandwell, Children looked after on 31 March each year, children_count; per 10,000 of ONS mid-year "
        "population estimates, mid-2022: ons_mid-year_population_estimates.csv, Sandwell, population_estimate");
    ASSERT_EQ(references.size(), 2u);
    EXPECT_EQ(references[0].year, 2023);
    EXPECT_EQ(references[0].file, "cla_number_and_rate_per_10k_children.csv");
    EXPECT_EQ(references[0].authority, "Sandwell");
    EXPECT_EQ(references[0].also, std::vector<std::string>{"Children looked after on 31 March each year"});
    EXPECT_EQ(references[0].column, "children_count");
    EXPECT_EQ(references[1].when, "mid-");
    EXPECT_EQ(references[1].year, 2022);
    EXPECT_EQ(references[1].column, "population_estimate");
    const auto nearest = references_in(
        "DfE, Children looked after in England, year to 31 March 2017: cla_sfr_2015_to_2017.csv, Wirral, "
        "looked_after_at_31_march (nearest year: these files hold no Wirral row for 2019)");
    ASSERT_EQ(nearest.size(), 1u);
    EXPECT_EQ(nearest[0].column, "looked_after_at_31_march");
    EXPECT_TRUE(references_in("3.10 table: referrals for early help, Mar 2018 - Feb 2019").empty());
}

TEST(DfeTargets, EveryDfeFigureIsTheValueItsCsvRowHolds) {
    if (!fs::is_directory(kData)) GTEST_SKIP() << kData << " is not here: the DfE figures cannot be re-read";
    std::size_t checked = 0;
    for (const fs::path& file : targets_files())
        for (const Entry& entry : entries_of(file)) {
            const std::vector<Reference> references = references_in(entry.source);
            if (references.empty()) continue;
            check_against_the_data(entry, references);
            ++checked;
        }
    EXPECT_GE(checked, 100u) << "five councils' DfE figures, about twenty each";
}

// Without the data: each file's DfE figures are of one authority, and each is dated as its CSV row (a year to
// 31 March ends in March, a workforce count is at 30 September), unless the source says it is the nearest year.
// `ehsim new-scenario`'s targets for every authority, re-read by this test's own CSV reader.
TEST(DfeTargets, EveryGeneratedTargetsFileNamesItsCsvRows) {
    if (!fs::is_directory(kData)) GTEST_SKIP() << kData << " is not here: the DfE figures cannot be re-read";
    using namespace ehsim::authority;
    const DfeTables tables = DfeTables::read(kData);
    std::size_t checked = 0;
    for (const Authority& place : all_authorities(tables)) {
        const int year = place.years.back();
        const std::string text = targets_text(place, year, target_figures(tables, place, year));
        for (const Entry& entry : entries_of(YAML::Load(text), place.name)) {
            const std::vector<Reference> references = references_in(entry.source);
            ASSERT_FALSE(references.empty()) << entry.where() << ": " << entry.source;
            EXPECT_EQ(lower(references.front().authority), lower(place.name)) << entry.where();
            check_against_the_data(entry, references);
            ++checked;
        }
    }
    EXPECT_GE(checked, 150u * 15u) << "every authority, most of its figures";
}

TEST(DfeTargets, EachFigureIsOfTheFilesAuthorityAndItsYear) {
    for (const fs::path& file : targets_files()) {
        std::set<std::string> authorities;
        for (const Entry& entry : entries_of(file)) {
            const std::vector<Reference> references = references_in(entry.source);
            for (const Reference& reference : references) authorities.insert(lower(reference.authority));
            if (references.empty() || entry.source.find("nearest year") != std::string::npos) continue;
            const Reference& first = references.front();
            const std::string month = first.when == "at 30 September " ? "-09" : "-03";
            EXPECT_EQ(entry.to, std::to_string(first.year) + month) << entry.where();
        }
        EXPECT_LE(authorities.size(), 1u) << file << " names figures of more than one authority";
    }
}

TEST(DfeTargets, EveryCouncilScenarioHasATargetsFile) {
    std::set<std::string> councils;
    for (const fs::path& file : targets_files())
        councils.insert(YAML::LoadFile(file.string())["council"].as<std::string>());
    std::size_t scenarios = 0;
    for (const auto& folder : fs::directory_iterator(kSource / "scenarios")) {
        const fs::path baseline = folder.path() / "baseline.yaml";
        if (!fs::exists(baseline)) continue;
        const std::string council = YAML::LoadFile(baseline.string())["council"].as<std::string>();
        EXPECT_TRUE(councils.count(council)) << baseline << ": no calibration/targets file names " << council;
        ++scenarios;
    }
    EXPECT_GE(scenarios, 5u);
}

}  // namespace
