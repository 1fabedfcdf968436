#include "sim/scenario/scenario_notes.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <sstream>

#include "sim/model/calendar.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {
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

// One line of the file: its comment (text after a '#' that starts a YAML comment: at the line's start or
// after a space, outside quotes), and whether the line holds nothing else.
struct Line {
    std::string comment;
    bool comment_only = false;
    bool blank = false;
};

Line read_line(const std::string& text) {
    Line line;
    char quote = 0;
    char before = ' ';  // the last character outside spaces: a quote opens a scalar only after ':', '-', ',', '[', '{'
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
            continue;
        }
        const bool opens = before == ' ' || before == ':' || before == '-' || before == ',' || before == '[' ||
                           before == '{' || before == '?';
        if (c != ' ' && c != '\t') before = c;
        if ((c == '"' || c == '\'') && opens &&
            (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '[' || text[i - 1] == '{' ||
             text[i - 1] == ',')) {
            quote = c;
        } else if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
            line.comment = trim(text.substr(i + 1));
            line.comment_only = trim(text.substr(0, i)).empty();
            return line;
        }
    }
    line.blank = trim(text).empty();
    return line;
}

// The comment that applies to the value on `line` (0-based): its own, else the block of comment lines above
// it, reached through lines without comments of their own; a blank line or another line's own comment ends
// the search.
std::string note_for(const std::vector<Line>& lines, int line) {
    if (line < 0 || line >= static_cast<int>(lines.size())) return "";
    if (!lines[line].comment.empty() && !lines[line].comment_only) return lines[line].comment;
    for (int above = line - 1; above >= 0; --above) {
        const Line& candidate = lines[above];
        if (candidate.blank) return "";
        if (candidate.comment_only) {
            std::vector<std::string> block;
            for (int at = above; at >= 0 && lines[at].comment_only; --at) block.push_back(lines[at].comment);
            std::reverse(block.begin(), block.end());
            std::string joined;
            for (const std::string& part : block) joined += (joined.empty() || part.empty() ? "" : " ") + part;
            return joined;
        }
        if (!candidate.comment.empty()) return "";
    }
    return "";
}

bool is_number(const std::string& text) {
    std::istringstream in(text);
    double value = 0;
    in >> value;
    return !in.fail() && in.eof();
}

// The words the scenario loader reads as yes or no.
bool is_yes_no(const std::string& text) { return text == "true" || text == "false" || text == "yes" || text == "no"; }

// How a list item is named in a path: by its name, its locality and role, or its site; else its index.
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
    std::string path, key, value;
    int line;
    std::string source;  // a `source:` beside it
};

// `line`: where the value is written; for a map member, its key's line (an alias's value has its anchor's).
void collect(const YAML::Node& node, const std::string& path, const std::string& key, const std::string& source,
             int line, std::vector<Leaf>& leaves) {
    if (node.IsMap()) {
        const std::string here_source =
            node["source"] && node["source"].IsScalar() ? node["source"].Scalar() : std::string();
        for (const auto& entry : node) {
            const std::string name = entry.first.Scalar();
            collect(entry.second, path.empty() ? name : path + "." + name, name, here_source, entry.first.Mark().line,
                    leaves);
        }
    } else if (node.IsSequence()) {
        std::size_t index = 0;
        for (const auto& item : node) {
            collect(item, path + "[" + item_name(item, index) + "]", key, "", item.Mark().line, leaves);
            ++index;
        }
    } else if (node.IsScalar()) {
        const std::string& value = node.Scalar();
        if (is_number(value) || is_yes_no(value)) leaves.push_back({path, key, value, line, source});
    }
}

// The longest path that every leaf's path continues with '.' or '[' (or ends at).
std::string common_prefix(const std::vector<const Leaf*>& leaves) {
    std::string prefix = leaves.front()->path;
    for (const Leaf* leaf : leaves) {
        std::size_t n = 0;
        while (n < prefix.size() && n < leaf->path.size() && prefix[n] == leaf->path[n]) ++n;
        prefix = prefix.substr(0, n);
    }
    const auto at_boundary = [&] {
        for (const Leaf* leaf : leaves)
            if (leaf->path.size() > prefix.size() && leaf->path[prefix.size()] != '.' &&
                leaf->path[prefix.size()] != '[')
                return false;
        return true;
    };
    while (!prefix.empty() && !at_boundary()) prefix.pop_back();
    return prefix;
}

YAML::Node parse(const std::string& text, const std::string& file) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& error) {
        throw ScenarioError(file + ":" + std::to_string(error.mark.line + 1) + ":" +
                            std::to_string(error.mark.column + 1) + ": " + error.msg);
    }
}

std::string words_of(const YAML::Node& node) {
    const auto humane = [](std::string key) {
        std::replace(key.begin(), key.end(), '_', ' ');
        return key;
    };
    if (node.IsScalar()) return humane(node.Scalar());
    std::string text;
    if (node.IsMap()) {
        for (const auto& entry : node)
            text += (text.empty() ? "" : ", ") + humane(entry.first.Scalar()) + " " + words_of(entry.second);
    } else if (node.IsSequence()) {
        for (const auto& item : node) text += (text.empty() ? "" : ", ") + words_of(item);
    }
    return text;
}

// The file's lines as comments see them; the text of a block scalar (| or >) is neither comment nor blank line.
std::vector<Line> read_lines(const std::string& text) {
    std::vector<Line> lines;
    std::istringstream in(text);
    int block_indent = -1;  // inside a block scalar (| or >): lines indented more than its key are its text
    for (std::string line; std::getline(in, line);) {
        const std::size_t first = line.find_first_not_of(' ');
        const int indent = first == std::string::npos ? -1 : static_cast<int>(first);
        if (block_indent >= 0 && (indent < 0 || indent > block_indent)) {
            lines.push_back(Line{"", false, indent < 0});
            continue;
        }
        block_indent = -1;
        Line read = read_line(line);
        lines.push_back(read);
        // "key: |", "- >-", "key: |2 # note": a block scalar starts on the next line.
        const std::string code = trim(read.comment.empty() ? line : line.substr(0, line.rfind('#')));
        if (!code.empty() && (code.back() == '|' || code.back() == '>' || code.back() == '-' || code.back() == '+' ||
                              std::isdigit(static_cast<unsigned char>(code.back())))) {
            const std::size_t marker = code.find_last_of("|>");
            if (marker != std::string::npos && marker > 0 &&
                (code[marker - 1] == ' ' || code[marker - 1] == ':' || code[marker - 1] == '-') &&
                code.find_first_not_of("0123456789+-", marker + 1) == std::string::npos)
                block_indent = indent;
        }
    }
    return lines;
}

}  // namespace

std::vector<std::string> applying_comments(const std::string& text) {
    const std::vector<Line> lines = read_lines(text);
    std::vector<std::string> notes;
    notes.reserve(lines.size());
    for (int line = 0; line < static_cast<int>(lines.size()); ++line) notes.push_back(note_for(lines, line));
    return notes;
}

std::vector<UnsupportedValue> unsupported_values(const std::string& text, const std::string& file) {
    const YAML::Node tree = parse(text, file);
    const std::vector<Line> lines = read_lines(text);
    std::vector<Leaf> leaves;
    collect(tree, "", "", "", 0, leaves);

    std::map<int, std::vector<const Leaf*>> by_line;
    for (const Leaf& leaf : leaves) by_line[leaf.line].push_back(&leaf);
    std::vector<UnsupportedValue> unsupported;
    for (const auto& [line, on_line] : by_line) {
        // A `source:` beside the value is more particular than a comment above its section.
        std::string note = on_line.front()->source;
        if (note.empty()) note = note_for(lines, line);
        if (!note.empty() && lowered(note).find("assumed") == std::string::npos) continue;
        // The reported period is the study's choice, not a claim about the council.
        if (note.empty() && on_line.front()->path.rfind("time.", 0) == 0) continue;
        UnsupportedValue value;
        value.line = line + 1;
        value.note = note;
        if (on_line.size() == 1) {
            value.parameter = on_line.front()->path;
            value.value = on_line.front()->value;
        } else {
            value.parameter = common_prefix(on_line);
            for (const Leaf* leaf : on_line) {
                std::string member = leaf->path.substr(value.parameter.size());
                if (!member.empty() && member.front() == '.') member.erase(0, 1);
                value.value += (value.value.empty() ? "" : ", ") + member + ": " + leaf->value;
            }
        }
        unsupported.push_back(std::move(value));
    }
    return unsupported;
}

std::string extended_file(const std::string& text, const std::string& file) {
    const YAML::Node tree = parse(text, file);
    if (!tree.IsMap() || !tree["extends"] || !tree["extends"].IsScalar()) return "";
    const std::filesystem::path base(tree["extends"].Scalar());
    return base.is_absolute() ? base.string() : (std::filesystem::path(file).parent_path() / base).string();
}

std::vector<std::string> changes_in_words(const std::string& text, const std::string& file) {
    const YAML::Node tree = parse(text, file);
    std::vector<std::string> sentences;
    if (!tree.IsMap() || !tree["changes"] || !tree["changes"].IsSequence()) return sentences;
    for (const auto& change : tree["changes"]) {
        std::string when = "From the start";
        std::string what;
        if (change.IsMap()) {
            for (const auto& entry : change) {
                const std::string key = entry.first.Scalar();
                if (key == "date" && entry.second.IsScalar()) {
                    const auto date = model::parse_iso_date(entry.second.Scalar());
                    when = "From " + entry.second.Scalar();
                    static const char* const months[] = {"January",   "February", "March",    "April",
                                                         "May",       "June",     "July",     "August",
                                                         "September", "October",  "November", "December"};
                    if (date && date->month >= 1 && date->month <= 12)
                        when = "From " + std::to_string(date->day) + " " + months[date->month - 1] + " " +
                               std::to_string(date->year);
                    continue;
                }
                std::string phrase = key;
                std::replace(phrase.begin(), phrase.end(), '_', ' ');
                what += (what.empty() ? "" : "; ") + phrase + ": " + words_of(entry.second);
            }
        } else {
            what = words_of(change);
        }
        sentences.push_back(when + ": " + what + ".");
    }
    return sentences;
}

}  // namespace ehsim::scenario
