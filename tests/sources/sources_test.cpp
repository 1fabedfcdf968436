// Every value of a scenario, option or targets file as its source says (docs/sources.md): each value is
// quoted from its source there or marked "assumed" in the file, and each quoted phrase stands in the paper
// it cites. The papers are in ../shared/seeds/ beside the repository; without them the quotes are not
// checked (the test is skipped) but every value must still be quoted or assumed.
#include "tests/sources/source_citations.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace ehsim::sources {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

// ---------------------------------------------------------------------------------------------------
// The rules, on small examples.

TEST(SourcesRules, NormalisingKeepsTheWordsAndDropsTheTypography) {
    EXPECT_EQ(normalise("the  \u201Cright\u201D\n help"), "the \"right\" help");
    EXPECT_EQ(normalise("Strategy 2022- 2024 and co-\n   ordinated, it\u2019s **42%**"),
              "Strategy 2022-2024 and co-ordinated, it's 42%");
    EXPECT_EQ(normalise("10 \u2013 15 days"), "10-15 days");
    EXPECT_NE(normalise("ten days"), normalise("ten  weeks"));
}

TEST(SourcesRules, AStarMatchesAnyRun) {
    EXPECT_TRUE(matches("localities[*].children_per_family", "localities[North].children_per_family"));
    EXPECT_TRUE(matches("scenarios/*/baseline.yaml", "scenarios/walsall/baseline.yaml"));
    EXPECT_FALSE(matches("localities[*].children_per_family", "localities[North].deprivation_index"));
    EXPECT_TRUE(matches("a", "a"));
    EXPECT_FALSE(matches("a", "ab"));
}

const char* const kScenario = R"yaml(# A scenario. Sources: [P] a paper.
name: test
time:
  horizon_years: 3

need:
  quoted: 0.06           # [P 2]
  marked: 0.3            # Assumed: a guess
  bare: 1.5
  # Both below are assumed.
  first: 0.25
  second: 0.8
  flag: true             # [P 3]: a claim with no quote
costs:
  per_fte: {pounds: 35000, source: "assumed: pay with on-costs"}
)yaml";

const char* const kDocument = R"md(# Sources
| key | file | provenance |
| --- | --- | --- |
| P | paper.txt | a paper |

### `scenarios/test/baseline.yaml`
| key | value | source | section | the paper's words |
| --- | --- | --- | --- | --- |
| `need.quoted` | 0.06 | P | 2 | "six in 100 families" |
| `need.gone` | 7 | P | 2 | "seven" |
| `need.first` | 0.25 | Q | 2 | "a quarter" |
)md";

TEST(SourcesRules, AValueNeitherQuotedNorAssumedIsNamedWithItsFileLineAndKey) {
    const SourcesDocument document = read_sources_document(kDocument, "sources.md");
    ASSERT_TRUE(document.problems.empty()) << joined(document.problems);
    ASSERT_EQ(document.values.size(), 3u);
    EXPECT_EQ(document.values[0].quotes, std::vector<std::string>{"six in 100 families"});
    const std::vector<std::string> problems =
        coverage_problems(document, {"scenarios/test/baseline.yaml"}, {kScenario}, "sources.md");
    const std::string all = joined(problems);
    EXPECT_NE(all.find("scenarios/test/baseline.yaml:9: need.bare = 1.5: neither quoted in sources.md nor marked "
                       "assumed (no comment applies)"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("scenarios/test/baseline.yaml:13: need.flag = true: neither quoted"), std::string::npos) << all;
    EXPECT_NE(all.find("sources.md:10: scenarios/test/baseline.yaml need.gone: no such value 7"), std::string::npos)
        << all;
    EXPECT_NE(all.find("sources.md:11: scenarios/test/baseline.yaml need.first: source 'Q' is not in the table"),
              std::string::npos)
        << all;
    // Quoted, assumed by its own comment, by the comment above, or by its `source:`; time is the study's.
    EXPECT_EQ(all.find("need.quoted ="), std::string::npos) << all;
    EXPECT_EQ(all.find("need.marked"), std::string::npos) << all;
    EXPECT_EQ(all.find("need.second"), std::string::npos) << all;
    EXPECT_EQ(all.find("costs.per_fte"), std::string::npos) << all;
    EXPECT_EQ(all.find("horizon_years"), std::string::npos) << all;
    EXPECT_EQ(problems.size(), 4u) << all;
}

TEST(SourcesRules, AChangedValueIsCaughtByItsRow) {
    const SourcesDocument document = read_sources_document(kDocument, "sources.md");
    std::string changed = kScenario;
    changed.replace(changed.find("0.06"), 4, "0.07");
    const std::string all =
        joined(coverage_problems(document, {"scenarios/test/baseline.yaml"}, {changed}, "sources.md"));
    EXPECT_NE(
        all.find(
            "need.quoted = 0.07: neither quoted in sources.md nor marked assumed (sources.md:9 gives another value)"),
        std::string::npos)
        << all;
}

TEST(SourcesRules, AQuoteNotInThePaperIsNamed) {
    const SourcesDocument document = read_sources_document(kDocument, "sources.md");
    EXPECT_TRUE(quote_problems(document, "paper.txt", "In  six in 100\nfamilies, seven.", "sources.md").empty());
    const std::vector<std::string> problems =
        quote_problems(document, "paper.txt", "In six in 100 households, seven.", "sources.md");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0],
              "sources.md:9: scenarios/test/baseline.yaml need.quoted: \"six in 100 families\" is not in paper.txt");
}

// ---------------------------------------------------------------------------------------------------
// The repository's files against docs/sources.md.

const fs::path kRoot = EHSIM_SOURCE_DIR;

// The files whose values are claims about a council: scenarios and options, and calibration targets.
std::vector<std::string> files_with_values() {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(kRoot / "scenarios"))
        if (entry.is_regular_file() && entry.path().extension() == ".yaml")
            files.push_back(fs::relative(entry.path(), kRoot).generic_string());
    if (fs::exists(kRoot / "calibration" / "targets"))
        for (const auto& entry : fs::directory_iterator(kRoot / "calibration" / "targets"))
            if (entry.is_regular_file() && entry.path().extension() == ".yaml")
                files.push_back(fs::relative(entry.path(), kRoot).generic_string());
    std::sort(files.begin(), files.end());
    return files;
}

SourcesDocument the_document() { return read_sources_document(read(kRoot / "docs/sources.md"), "docs/sources.md"); }

TEST(Sources, EveryValueIsQuotedOrMarkedAssumed) {
    const SourcesDocument document = the_document();
    ASSERT_FALSE(document.sources.empty()) << "docs/sources.md lists no sources";
    const std::vector<std::string> files = files_with_values();
    ASSERT_GE(files.size(), 5u);
    std::vector<std::string> texts;
    for (const std::string& file : files) texts.push_back(read(kRoot / file));
    const std::vector<std::string> problems = coverage_problems(document, files, texts, "docs/sources.md");
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems:\n" << joined(problems);
}

TEST(Sources, EveryQuoteStandsInTheSourceItCites) {
    const SourcesDocument document = the_document();
    std::vector<std::string> problems;
    int read_sources = 0;
    for (const Source& source : document.sources) {
        if (source.path == "external") continue;
        const fs::path path = kRoot / source.path;
        // The papers live beside the repository, not in it: a clone without them cannot check the quotes.
        if (!fs::exists(path.parent_path())) continue;
        if (!fs::exists(path)) {
            problems.push_back("docs/sources.md:" + std::to_string(source.line) + ": source " + source.key + ": " +
                               source.path + " does not exist");
            continue;
        }
        ++read_sources;
        for (const std::string& problem : quote_problems(document, source.path, read(path), "docs/sources.md"))
            problems.push_back(problem);
    }
    if (read_sources == 0 && problems.empty()) GTEST_SKIP() << "no source text beside the repository (../shared/seeds)";
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems:\n" << joined(problems);
}

}  // namespace
}  // namespace ehsim::sources
