#include "sim/scenario/schema.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ehsim::scenario {

namespace {
std::string position_text(const std::string& file, const YAML::Mark& mark) {
    if (mark.is_null()) return file;
    return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}
}  // namespace

std::string one_line(const std::string& text) {
    std::string line;
    line.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n') {
            line += "\\n";
        } else if (c == '\t') {
            line += "\\t";
        } else if (byte < 0x20 || byte == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
            line += escaped;
        } else {
            line += c;
        }
    }
    return line;
}

void ReadContext::fail(const YAML::Mark& mark, const std::string& key, const std::string& problem) const {
    throw ScenarioError(position_text(file_, mark) + ": " + (key.empty() ? "" : key + ": ") + problem, key, problem);
}

void ReadContext::fail(const std::string& key, const std::string& problem) const {
    const auto found = positions_.find(key);
    fail(found == positions_.end() ? YAML::Mark::null_mark() : found->second, key, problem);
}

void require_name_key(const YAML::Node& key, const ReadContext& context, const std::string& path) {
    if (!key.IsScalar())
        context.fail(key.Mark(), path.empty() ? "(top level)" : path,
                     "a key must be a name, not a list, a section or nothing");
}

std::string join_path(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

// The candidate within edit distance 2 (or a third of the word) of `word`, if any.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (const std::string& candidate : candidates) {
        std::vector<std::size_t> previous(candidate.size() + 1), current(candidate.size() + 1);
        for (std::size_t j = 0; j <= candidate.size(); ++j) previous[j] = j;
        for (std::size_t i = 1; i <= word.size(); ++i) {
            current[0] = i;
            for (std::size_t j = 1; j <= candidate.size(); ++j)
                current[j] = std::min(
                    {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word[i - 1] == candidate[j - 1] ? 0 : 1)});
            std::swap(previous, current);
        }
        if (previous[candidate.size()] < best_distance) {
            best_distance = previous[candidate.size()];
            best = candidate;
        }
    }
    return best;
}

std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

std::string exact_number_text(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

std::string Bounds::text() const {
    const bool has_minimum = std::isfinite(minimum), has_maximum = std::isfinite(maximum);
    if (has_minimum && has_maximum)
        return (minimum_exclusive ? "(" : "[") + format_number(minimum) + ", " + format_number(maximum) + "]";
    if (has_minimum) return (minimum_exclusive ? "> " : ">= ") + format_number(minimum);
    if (has_maximum) return "<= " + format_number(maximum);
    return "";
}

YAML::Node parse_yaml(const std::string& text, const ReadContext& context) {
    try {
        return YAML::Load(text);
    } catch (const YAML::ParserException& error) {
        context.fail(error.mark, "", "not valid YAML: " + error.msg);
    }
}

std::string read_text_file(const std::string& path, const std::string& what) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) throw ScenarioError(path + ": cannot open the " + what + " file");
    std::ostringstream text;
    text << stream.rdbuf();
    if (stream.bad()) throw ScenarioError(path + ": cannot read the " + what + " file");
    return text.str();
}

std::string why_path_is_missing(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) return "is a folder, not a file";
    if (std::filesystem::exists(path, error)) return "";
    return error ? "cannot be looked for (" + error.message() + ")" : "cannot be found";
}

void require_mapping(const YAML::Node& node, ReadContext& context, const std::string& path) {
    if (!node.IsMap())
        context.fail(node.Mark(), path.empty() ? "(top level)" : path, "expected a section of 'key: value' lines");
}

void require_value(const YAML::Node& node, ReadContext& context, const std::string& path) {
    if (node.IsNull()) context.fail(node.Mark(), path, "has no value");
}

void check_number(double value, ReadContext& context, const std::string& path, const Bounds& bounds) {
    // Spelled as YAML writes it, which is what a file holding this value would say.
    if (!std::isfinite(value))
        context.fail(path, std::string("expected a number, got '") +
                               (std::isnan(value)     ? ".nan"
                                : std::signbit(value) ? "-.inf"
                                                      : ".inf") +
                               "'");
    if (!bounds.contains(value))
        context.fail(path, format_number(value) + " is out of range (must be " + bounds.text() + ")");
}

void check_share_total(double total, ReadContext& context, const YAML::Mark& mark, const std::string& path) {
    if (std::abs(total - 1.0) > 1e-6) context.fail(mark, path, "shares sum to " + format_number(total) + ", not 1");
}

std::string too_few_items(std::size_t minimum) { return "needs at least " + std::to_string(minimum) + " item(s)"; }

double read_number(const YAML::Node& node, ReadContext& context, const std::string& path, const Bounds& bounds) {
    if (!node.IsScalar()) context.fail(node.Mark(), path, "expected a number");
    const std::string& text = node.Scalar();
    double value = 0.0;
    // yaml-cpp would accept ".inf" and "nan"; a scenario never needs them.
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
        context.fail(node.Mark(), path, "expected a number, got '" + text + "'");
    if (!bounds.contains(value))
        context.fail(node.Mark(), path, format_number(value) + " is out of range (must be " + bounds.text() + ")");
    return value;
}

std::string read_text(const YAML::Node& node, ReadContext& context, const std::string& path) {
    if (!node.IsScalar()) context.fail(node.Mark(), path, "expected text");
    return node.Scalar();
}

bool read_flag(const YAML::Node& node, ReadContext& context, const std::string& path) {
    if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        if (text == "true" || text == "yes") return true;
        if (text == "false" || text == "no") return false;
    }
    context.fail(node.Mark(), path, "expected true or false");
}

}  // namespace ehsim::scenario
