#include "tests/sources/source_citations.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "sim/scenario/scenario_notes.hpp"

namespace ehsim::sources {
namespace {

std::string trim(const std::string& text) {
    const std::size_t first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool says_assumed(const std::string& text) { return lowered(text).find("assumed") != std::string::npos; }

// A figure whose `source:` names a row of a DfE or ONS file in ../shared/data/dfe/ ("DfE, ...: file.csv, authority,
// column"): tests/calibration/dfe_targets_test.cpp re-reads the value from that row, and the file's header says
// how its errors were chosen.
bool cites_checked_data(const std::string& source) {
    return (source.rfind("DfE,", 0) == 0 || source.rfind("ONS", 0) == 0) && source.find(".csv, ") != std::string::npos;
}

std::string without_backticks(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '`'), text.end());
    return trim(text);
}

// ---------------------------------------------------------------------------------------------------
// docs/sources.md

std::vector<std::string> cells_of(const std::string& row) {
    std::vector<std::string> cells;
    std::string text = trim(row);
    if (text.size() < 2 || text.front() != '|') return cells;
    text = text.substr(1);
    if (!text.empty() && text.back() == '|') text.pop_back();
    std::stringstream in(text);
    for (std::string cell; std::getline(in, cell, '|');) cells.push_back(trim(cell));
    return cells;
}

std::vector<std::string> quoted_phrases(const std::string& cell) {
    std::vector<std::string> phrases;
    std::size_t at = 0;
    while ((at = cell.find('"', at)) != std::string::npos) {
        const std::size_t end = cell.find('"', at + 1);
        if (end == std::string::npos) break;
        phrases.push_back(cell.substr(at + 1, end - at - 1));
        at = end + 1;
    }
    return phrases;
}

std::vector<std::string> values_of(const std::string& cell) {
    std::vector<std::string> values;
    std::stringstream in(without_backticks(cell));
    for (std::string value; std::getline(in, value, ',');) values.push_back(trim(value));
    return values;
}

bool listed(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

enum class Table { none, sources, values };

}  // namespace

SourcesDocument read_sources_document(const std::string& text, const std::string& name) {
    SourcesDocument document;
    std::istringstream in(text);
    std::string file;
    Table table = Table::none;
    bool after_header = false;
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        const std::string trimmed = trim(line);
        if (trimmed.rfind("### ", 0) == 0) file = without_backticks(trimmed.substr(4));
        if (trimmed.empty() || trimmed.front() != '|') {
            table = Table::none;
            continue;
        }
        const std::vector<std::string> cells = cells_of(trimmed);
        if (table == Table::none) {
            std::vector<std::string> header;
            for (const std::string& cell : cells) header.push_back(lowered(cell));
            if (header == std::vector<std::string>{"key", "file", "provenance"}) table = Table::sources;
            if (header == std::vector<std::string>{"key", "value", "source", "section", "the paper's words"})
                table = Table::values;
            after_header = true;
            continue;
        }
        if (after_header) {  // the |---|---| line
            after_header = false;
            continue;
        }
        const std::string at = name + ":" + std::to_string(number) + ": ";
        if (table == Table::sources) {
            if (cells.size() != 3) {
                document.problems.push_back(at + "a source row has 3 cells: key, file, provenance");
                continue;
            }
            document.sources.push_back({without_backticks(cells[0]), without_backticks(cells[1]), cells[2], number});
        } else if (table == Table::values) {
            if (cells.size() != 5) {
                document.problems.push_back(at + "a value row has 5 cells: key, value, source, section, words");
                continue;
            }
            if (file.empty()) document.problems.push_back(at + "a value row under no '### file' heading");
            document.values.push_back({file, without_backticks(cells[0]), values_of(cells[1]),
                                       without_backticks(cells[2]), cells[3], quoted_phrases(cells[4]), number});
        }
    }
    return document;
}

// ---------------------------------------------------------------------------------------------------
// A YAML file's values and their comments (by scenario::applying_comments: the rule the report uses).

namespace {

bool is_value(const std::string& text) {
    if (text == "true" || text == "false" || text == "yes" || text == "no") return true;
    std::istringstream in(text);
    double value = 0;
    in >> value;
    return !in.fail() && in.eof();
}

std::string item_name(const YAML::Node& item, std::size_t index) {
    if (item.IsMap()) {
        const auto text = [&](const char* key) {
            return item[key] && item[key].IsScalar() ? item[key].Scalar() : std::string();
        };
        if (!text("name").empty()) return text("name");
        if (!text("locality").empty() && !text("role").empty()) return text("locality") + " " + text("role");
        if (!text("site").empty()) return text("site");
        if (!text("locality").empty()) return text("locality");
    }
    return std::to_string(index);
}

struct Leaf {
    std::string key, value, source;
    int line;
};

void collect(const YAML::Node& node, const std::string& path, const std::string& source, int line,
             std::vector<Leaf>& leaves) {
    if (node.IsMap()) {
        const std::string here = node["source"] && node["source"].IsScalar() ? node["source"].Scalar() : "";
        for (const auto& entry : node) {
            const std::string name = entry.first.Scalar();
            collect(entry.second, path.empty() ? name : path + "." + name, here, entry.first.Mark().line, leaves);
        }
    } else if (node.IsSequence()) {
        std::size_t index = 0;
        for (const auto& item : node) {
            collect(item, path + "[" + item_name(item, index) + "]", "", item.Mark().line, leaves);
            ++index;
        }
    } else if (node.IsScalar() && is_value(node.Scalar())) {
        leaves.push_back({path, node.Scalar(), source, line});
    }
}

}  // namespace

std::vector<FileValue> file_values(const std::string& text, const std::string& file) {
    YAML::Node tree;
    try {
        tree = YAML::Load(text);
    } catch (const YAML::Exception& error) {
        throw std::runtime_error(file + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
    }
    const std::vector<std::string> notes = scenario::applying_comments(text);
    std::vector<Leaf> leaves;
    collect(tree, "", "", 0, leaves);
    std::vector<FileValue> values;
    for (const Leaf& leaf : leaves) {
        const std::string comment =
            leaf.line >= 0 && leaf.line < static_cast<int>(notes.size()) ? notes[leaf.line] : std::string();
        FileValue value{leaf.key, leaf.value, leaf.line + 1,
                        says_assumed(comment) || says_assumed(leaf.source) || cites_checked_data(leaf.source),
                        comment.empty() ? leaf.source : comment};
        values.push_back(std::move(value));
    }
    return values;
}

// ---------------------------------------------------------------------------------------------------
// Comparing

std::string normalise(const std::string& text) {
    static const std::vector<std::pair<std::string, std::string>> plain{
        {"\u2018", "'"},  {"\u2019", "'"},  {"\u201A", "'"}, {"\u2032", "'"}, {"\u201C", "\""}, {"\u201D", "\""},
        {"\u201E", "\""}, {"\u2033", "\""}, {"\u2010", "-"}, {"\u2011", "-"}, {"\u2012", "-"},  {"\u2013", "-"},
        {"\u2014", "-"},  {"\u2212", "-"},  {"\u00A0", " "}, {"**", ""}};
    std::string out = text;
    for (const auto& [from, to] : plain) {
        for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size()))
            out.replace(at, from.size(), to);
    }
    std::string spaced;
    for (const char c : out) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (space) {
            if (!spaced.empty() && spaced.back() != ' ' && spaced.back() != '-') spaced += ' ';
        } else {
            if (c == '-' && !spaced.empty() && spaced.back() == ' ') spaced.pop_back();
            spaced += c;
        }
    }
    return trim(spaced);
}

bool matches(const std::string& pattern, const std::string& text) {
    // Iterative wildcard match: '*' any run of characters.
    std::size_t p = 0, t = 0, star = std::string::npos, resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

namespace {

std::string quoted(const std::string& text) {
    const std::string shown = text.size() > 100 ? text.substr(0, 97) + "..." : text;
    return "'" + shown + "'";
}

void check_rows(const SourcesDocument& document, const std::vector<std::string>& files,
                const std::vector<std::vector<FileValue>>& values, const std::string& name,
                std::vector<std::string>& problems) {
    std::map<std::string, const Source*> sources;
    for (const Source& source : document.sources) sources[source.key] = &source;
    for (const CitedValue& row : document.values) {
        const std::string at = name + ":" + std::to_string(row.line) + ": " + row.file + " " + row.key + ": ";
        const auto source = sources.find(row.source);
        if (source == sources.end())
            problems.push_back(at + "source '" + row.source + "' is not in the table of sources");
        else if (source->second->path != "external" && row.quotes.empty())
            problems.push_back(at + "quotes nothing from " + source->second->path);
        for (const std::string& wanted : row.values) {
            bool found = false;
            for (std::size_t f = 0; f < files.size() && !found; ++f) {
                if (!matches(row.file, files[f])) continue;
                for (const FileValue& value : values[f])
                    found = found || (matches(row.key, value.key) && value.value == wanted);
            }
            if (!found) problems.push_back(at + "no such value " + wanted + " in the files (has it changed?)");
        }
    }
}

}  // namespace

std::vector<std::string> coverage_problems(const SourcesDocument& document, const std::vector<std::string>& files,
                                           const std::vector<std::string>& texts, const std::string& name) {
    std::vector<std::string> problems = document.problems;
    std::vector<std::vector<FileValue>> values;
    for (std::size_t f = 0; f < files.size(); ++f) values.push_back(file_values(texts[f], files[f]));
    check_rows(document, files, values, name, problems);
    for (std::size_t f = 0; f < files.size(); ++f) {
        for (const FileValue& value : values[f]) {
            // The reported period is the study's choice, not a claim about the council.
            if (value.key.rfind("time.", 0) == 0 || value.assumed) continue;
            std::string other;  // a row for the same key that gives another value
            bool quoted_here = false;
            for (const CitedValue& row : document.values) {
                if (!matches(row.file, files[f]) || !matches(row.key, value.key)) continue;
                if (listed(row.values, value.value))
                    quoted_here = true;
                else
                    other = name + ":" + std::to_string(row.line) + " gives another value";
            }
            if (quoted_here) continue;
            problems.push_back(
                files[f] + ":" + std::to_string(value.line) + ": " + value.key + " = " + value.value +
                ": neither quoted in " + name + " nor marked assumed" + (other.empty() ? "" : " (" + other + ")") +
                (value.note.empty() ? " (no comment applies)" : " (its comment: " + quoted(value.note) + ")"));
        }
    }
    return problems;
}

std::vector<std::string> quote_problems(const SourcesDocument& document, const std::string& source_path,
                                        const std::string& source_text, const std::string& name) {
    std::vector<std::string> problems;
    std::set<std::string> keys;
    for (const Source& source : document.sources)
        if (source.path == source_path) keys.insert(source.key);
    const std::string haystack = normalise(source_text);
    for (const CitedValue& row : document.values) {
        if (keys.count(row.source) == 0) continue;
        for (const std::string& quote : row.quotes) {
            if (haystack.find(normalise(quote)) == std::string::npos)
                problems.push_back(name + ":" + std::to_string(row.line) + ": " + row.file + " " + row.key + ": \"" +
                                   quote + "\" is not in " + source_path);
        }
    }
    return problems;
}

}  // namespace ehsim::sources
