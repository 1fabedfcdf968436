// Reading and checking scenario values: errors with their file, position and key, numbers with bounds,
// text, flags. The tables built on these are in schema_table.hpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ehsim::scenario {

// One bad input, already formatted as "file:line:column: key: problem".
// `text` as one line: line breaks, tabs and other control characters written as \n, \t and \xNN.
std::string one_line(const std::string& text);

// Always one line, whatever the file's own text it quotes (a key with a line break in quotes; yaml-cpp's "unknown
// escape character: " followed by the character itself: libFuzzer's finding).
class ScenarioError : public std::runtime_error {
public:
    explicit ScenarioError(const std::string& message) : std::runtime_error(one_line(message)) {}
    ScenarioError(const std::string& message, const std::string& key, const std::string& problem)
        : std::runtime_error(one_line(message)), key_(one_line(key)), problem_(one_line(problem)) {}
    // "key: problem" without the file and position: how an option names what its change broke. Falls back
    // to the whole message for errors raised without a key and problem.
    std::string detail() const {
        if (problem_.empty()) return what();
        return key_.empty() ? problem_ : key_ + ": " + problem_;
    }

private:
    std::string key_, problem_;
};

struct Position {
    int line = 0;  // 1-based; 0 when unknown
    int column = 0;
};

// Where we are while reading: the file, and where each key was found (for checks across keys).
class ReadContext {
public:
    explicit ReadContext(std::string file) : file_(std::move(file)) {}
    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& key, const std::string& problem) const;
    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;  // uses the recorded position
    void remember(const std::string& key, const YAML::Mark& mark) { positions_[key] = mark; }
    const std::string& file() const { return file_; }

private:
    std::string file_;
    std::map<std::string, YAML::Mark> positions_;
};

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);
std::string join_path(const std::string& prefix, const std::string& key);

// A key must be a name: a list, a section or an empty key (`{a: 1}: 2`, libFuzzer's finding, once escaped as
// yaml-cpp's "bad conversion" without the file's name) is refused with the file, line and section.
void require_name_key(const YAML::Node& key, const ReadContext& context, const std::string& path);

struct Bounds {
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    bool minimum_exclusive = false;
    std::string text() const;
    bool contains(double value) const {
        return (minimum_exclusive ? value > minimum : value >= minimum) && value <= maximum;
    }
};
inline Bounds at_least(double minimum) { return Bounds{minimum}; }
inline Bounds above(double minimum) { return Bounds{minimum, std::numeric_limits<double>::infinity(), true}; }
inline Bounds between(double minimum, double maximum) { return Bounds{minimum, maximum}; }

double read_number(const YAML::Node& node, ReadContext& context, const std::string& path, const Bounds& bounds);
std::string read_text(const YAML::Node& node, ReadContext& context, const std::string& path);
bool read_flag(const YAML::Node& node, ReadContext& context, const std::string& path);
std::string format_number(double value);
// The shortest text that reads back as exactly `value` (0.4, not 0.40000000000000002).
std::string exact_number_text(double value);
void require_mapping(const YAML::Node& node, ReadContext& context, const std::string& path);
// A key written with no value ("patience_days:") is refused, except for a section (all defaults).
void require_value(const YAML::Node& node, ReadContext& context, const std::string& path);
// The checks read_number makes, on a typed value: finite and within bounds.
void check_number(double value, ReadContext& context, const std::string& path, const Bounds& bounds);
// Named shares must sum to 1 (to within rounding).
void check_share_total(double total, ReadContext& context, const YAML::Mark& mark, const std::string& path);
std::string too_few_items(std::size_t minimum);
// The YAML in `text`, or a ScenarioError naming the position of the syntax error.
YAML::Node parse_yaml(const std::string& text, const ReadContext& context);
// The whole file, or a ScenarioError "PATH: cannot open the WHAT file".
std::string read_text_file(const std::string& path, const std::string& what);
// Empty if a file is at `path`, else why not ("cannot be found", "is a folder, not a file", "cannot be looked for
// (File name too long)"): a file named in a scenario can be any text, and the filesystem's own exception, or a
// later error naming the folder, would not name the key.
std::string why_path_is_missing(const std::string& path);

}  // namespace ehsim::scenario
