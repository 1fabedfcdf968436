// One table per section of a scenario file: each key with its unit, meaning, bounds, default and
// source. The same table reads YAML into typed parameters, writes the resolved scenario back out and
// generates docs/scenario-reference.md, so the three cannot drift apart.
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
class ScenarioError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
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

// A documented field of a section of type T.
template <class T>
struct Field {
    std::string key;
    std::string type;  // "number", "probability", "text", "date", "one of ...", "shares", "section", "list"
    std::string unit;
    std::string meaning;
    std::string bounds;
    std::string default_text;  // empty: required
    std::string source;
    std::function<void(const YAML::Node&, T&, ReadContext&, const std::string& path)> read;
    std::function<void(YAML::Emitter&, const T&)> write;
    std::function<void(std::ostream&, const std::string& path)> document_children;  // for sections and lists
    bool required() const { return default_text.empty(); }
};

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
// The node at a path in a resolved scenario ("early_help.patience_days", "teams[2].fte"); throws
// std::invalid_argument naming what is missing (with "did you mean").
YAML::Node node_at_path(YAML::Node root, const std::string& path);
// The YAML in `text`, or a ScenarioError naming the position of the syntax error.
YAML::Node parse_yaml(const std::string& text, const ReadContext& context);
// The whole file, or a ScenarioError "PATH: cannot open the WHAT file".
std::string read_text_file(const std::string& path, const std::string& what);

template <class T>
class Section {
public:
    explicit Section(std::string meaning) : meaning_(std::move(meaning)) {}

    const std::string& meaning() const { return meaning_; }
    const std::vector<Field<T>>& fields() const { return fields_; }

    // A real number with bounds. `fallback` is used when the key is absent unless `required`.
    template <class Access>
    Section& number(const std::string& key, Access access, const std::string& unit, const std::string& meaning,
                    Bounds bounds, std::optional<double> fallback, const std::string& source = "assumed") {
        Field<T> field{key,    "number", unit, meaning, bounds.text(), fallback ? format_number(*fallback) : "",
                       source, {},       {},   {}};
        field.read = [access, bounds, fallback](const YAML::Node& node, T& target, ReadContext& context,
                                                const std::string& path) {
            std::invoke(access, target) = node ? read_number(node, context, path, bounds) : *fallback;
        };
        field.write = [key, access](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << exact_number_text(std::invoke(access, const_cast<T&>(target)));
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    template <class Access>
    Section& probability(const std::string& key, Access access, const std::string& meaning,
                         std::optional<double> fallback, const std::string& source = "assumed") {
        number(key, access, "probability", meaning, between(0.0, 1.0), fallback, source);
        fields_.back().type = "probability";
        return *this;
    }

    template <class Access>
    Section& text(const std::string& key, Access access, const std::string& meaning,
                  std::optional<std::string> fallback) {
        Field<T> field{key, "text", "", meaning, "", fallback ? "\"" + *fallback + "\"" : "", "", {}, {}, {}};
        field.read = [access, fallback](const YAML::Node& node, T& target, ReadContext& context,
                                        const std::string& path) {
            std::invoke(access, target) = node ? read_text(node, context, path) : *fallback;
        };
        field.write = [key, access](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << std::invoke(access, const_cast<T&>(target));
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    template <class Access>
    Section& flag(const std::string& key, Access access, const std::string& meaning, bool fallback) {
        Field<T> field{key, "true or false", "", meaning, "", fallback ? "true" : "false", "", {}, {}, {}};
        field.read = [access, fallback](const YAML::Node& node, T& target, ReadContext& context,
                                        const std::string& path) {
            std::invoke(access, target) = node ? read_flag(node, context, path) : fallback;
        };
        field.write = [key, access](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << std::invoke(access, const_cast<T&>(target));
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    // One of a fixed set of words.
    template <class Access, class Enum>
    Section& choice(const std::string& key, Access access, const std::vector<std::pair<std::string, Enum>>& words,
                    const std::string& meaning, std::optional<Enum> fallback) {
        std::string listed;
        for (const auto& [word, value] : words) listed += (listed.empty() ? "" : ", ") + word;
        std::string fallback_text;
        if (fallback)
            for (const auto& [word, value] : words)
                if (value == *fallback) fallback_text = word;
        Field<T> field{key, "one of: " + listed, "", meaning, "", fallback_text, "", {}, {}, {}};
        field.read = [access, words, fallback](const YAML::Node& node, T& target, ReadContext& context,
                                               const std::string& path) {
            if (!node) {
                std::invoke(access, target) = *fallback;
                return;
            }
            const std::string word = read_text(node, context, path);
            std::vector<std::string> known;
            for (const auto& [candidate, value] : words) {
                if (candidate == word) {
                    std::invoke(access, target) = value;
                    return;
                }
                known.push_back(candidate);
            }
            std::string message = "'" + word + "' is not one of: ";
            for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
            const std::string suggestion = closest_match(word, known);
            if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
            context.fail(node.Mark(), path, message);
        };
        field.write = [key, access, words](YAML::Emitter& out, const T& target) {
            for (const auto& [word, value] : words)
                if (value == std::invoke(access, const_cast<T&>(target)))
                    out << YAML::Key << key << YAML::Value << word;
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    // Named shares that must each be in [0, 1] and sum to 1 (names left out are 0).
    template <class Access, std::size_t N>
    Section& shares(const std::string& key, Access access, const std::array<const char*, N>& names,
                    const std::string& meaning, const std::string& source = "assumed") {
        std::string listed;
        for (const char* name : names) listed += (listed.empty() ? "" : ", ") + std::string(name);
        Field<T> field{key, "shares of: " + listed, "probability", meaning, "each in [0, 1], sum 1", "", source, {}, {},
                       {}};
        field.read = [access, names](const YAML::Node& node, T& target, ReadContext& context, const std::string& path) {
            require_mapping(node, context, path);
            std::array<double, N> values{};
            std::vector<std::string> known(names.begin(), names.end());
            std::set<std::string> seen;
            double total = 0.0;
            for (const auto& entry : node) {
                const std::string name = entry.first.as<std::string>();
                const std::string entry_path = join_path(path, name);
                if (!seen.insert(name).second) context.fail(entry.first.Mark(), entry_path, "appears twice");
                std::size_t index = 0;
                while (index < N && names[index] != name) ++index;
                if (index == N) {
                    std::string message = "unknown share '" + name + "'";
                    const std::string suggestion = closest_match(name, known);
                    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
                    context.fail(entry.first.Mark(), entry_path, message);
                }
                values[index] = read_number(entry.second, context, entry_path, between(0.0, 1.0));
                total += values[index];
            }
            if (std::abs(total - 1.0) > 1e-6)
                context.fail(node.Mark(), path, "shares sum to " + format_number(total) + ", not 1");
            std::invoke(access, target) = values;
        };
        field.write = [key, access, names](YAML::Emitter& out, const T& target) {
            const auto& values = std::invoke(access, const_cast<T&>(target));
            out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
            for (std::size_t i = 0; i < N; ++i)
                out << YAML::Key << names[i] << YAML::Value << exact_number_text(values[i]);
            out << YAML::EndMap << YAML::Block;
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    // A nested section.
    template <class Access, class U>
    Section& section(const std::string& key, Access access, const Section<U>& inner, bool required) {
        Field<T> field{key, "section", "", inner.meaning(), "", required ? "" : "(defaults below)", "", {}, {}, {}};
        field.read = [access, inner](const YAML::Node& node, T& target, ReadContext& context, const std::string& path) {
            inner.read(node ? node : YAML::Node(YAML::NodeType::Map), std::invoke(access, target), context, path);
        };
        field.write = [key, access, inner](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value;
            inner.write(out, std::invoke(access, const_cast<T&>(target)));
        };
        field.document_children = [inner](std::ostream& stream, const std::string& path) {
            inner.document(stream, path);
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    // A list of sections.
    template <class Access, class U>
    Section& list(const std::string& key, Access access, const Section<U>& inner, bool required,
                  std::size_t minimum_items = 0) {
        Field<T> field{key,
                       "list",
                       "",
                       inner.meaning(),
                       minimum_items ? "at least " + std::to_string(minimum_items) + " item(s)" : "",
                       required ? "" : "[]",
                       "",
                       {},
                       {},
                       {}};
        field.read = [access, inner, minimum_items](const YAML::Node& node, T& target, ReadContext& context,
                                                    const std::string& path) {
            auto& items = std::invoke(access, target);
            items.clear();
            if (!node) return;
            if (!node.IsSequence()) context.fail(node.Mark(), path, "expected a list (items starting with '- ')");
            if (node.size() < minimum_items)
                context.fail(node.Mark(), path, "needs at least " + std::to_string(minimum_items) + " item(s)");
            std::size_t index = 0;
            for (const auto& item : node) {
                const std::string item_path = path + "[" + std::to_string(index++) + "]";
                context.remember(item_path, item.Mark());
                items.emplace_back();
                inner.read(item, items.back(), context, item_path);
            }
        };
        field.write = [key, access, inner](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
            for (const auto& item : std::invoke(access, const_cast<T&>(target))) inner.write(out, item);
            out << YAML::EndSeq;
        };
        field.document_children = [inner](std::ostream& stream, const std::string& path) {
            inner.document(stream, path + "[]");
        };
        fields_.push_back(std::move(field));
        return *this;
    }

    void read(const YAML::Node& node, T& target, ReadContext& context, const std::string& path) const {
        require_mapping(node, context, path);
        std::vector<std::string> known;
        for (const auto& field : fields_) known.push_back(field.key);
        std::set<std::string> seen;
        for (const auto& entry : node) {
            const std::string key = entry.first.as<std::string>();
            const std::string key_path = join_path(path, key);
            if (!seen.insert(key).second) context.fail(entry.first.Mark(), key_path, "appears twice");
            bool found = false;
            for (const auto& field : fields_) found = found || field.key == key;
            if (!found) {
                std::string message = "unknown key";
                const std::string suggestion = closest_match(key, known);
                if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
                context.fail(entry.first.Mark(), key_path, message);
            }
            context.remember(key_path, entry.second.Mark());
        }
        for (const auto& field : fields_) {
            const std::string key_path = join_path(path, field.key);
            const YAML::Node value = node[field.key];
            if (!value && field.required()) context.fail(node.Mark(), key_path, "required key is missing");
            if (value && value.IsNull() && field.type != "section")
                context.fail(value.Mark(), key_path, "has no value");
            field.read(value, target, context, key_path);
        }
    }

    void write(YAML::Emitter& out, const T& target) const {
        out << YAML::BeginMap;
        for (const auto& field : fields_) field.write(out, target);
        out << YAML::EndMap;
    }

    // Markdown: a table of this section's keys, then each nested section.
    void document(std::ostream& stream, const std::string& path) const {
        stream << "\n### `" << (path.empty() ? "(top level)" : path) << "`\n\n" << meaning_ << "\n\n";
        stream << "| key | type | unit | meaning | bounds | default | source |\n| --- | --- | --- | --- | --- | --- | "
                  "--- |\n";
        for (const auto& field : fields_)
            stream << "| `" << field.key << "` | " << field.type << " | " << field.unit << " | " << field.meaning
                   << " | " << field.bounds << " | " << (field.required() ? "**required**" : field.default_text)
                   << " | " << field.source << " |\n";
        for (const auto& field : fields_)
            if (field.document_children) field.document_children(stream, join_path(path, field.key));
    }

private:
    std::string meaning_;
    std::vector<Field<T>> fields_;
};

}  // namespace ehsim::scenario
