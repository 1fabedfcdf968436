// One table per section of a scenario file: each key with its unit, meaning, bounds, default and
// source. The same table reads YAML into typed parameters, checks typed parameters, fills defaults, finds a
// value by its path, writes the resolved scenario back out and generates docs/scenario-reference.md, so none
// of these can drift apart.
#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/schema.hpp"
#include "sim/scenario/schema_values.hpp"

namespace ehsim::scenario {

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
    // The loader's checks on a typed value, with the loader's messages (no position: none is known).
    std::function<void(const T&, ReadContext&, const std::string& path)> check = [](const T&, ReadContext&,
                                                                                    const std::string&) {};
    std::function<void(T&)> fill_default = [](T&) {};  // the table's default, where there is one
    std::function<std::unique_ptr<SchemaValue>(T&)> value;
    std::function<void(std::ostream&, const std::string& path)> document_children;  // for sections and lists
    bool required() const { return default_text.empty(); }
};

// The choice among `words` that `node` names; an unknown word is refused with the words and a suggestion.
template <class Enum>
Enum read_choice(const YAML::Node& node, const std::vector<std::pair<std::string, Enum>>& words, ReadContext& context,
                 const std::string& path) {
    const std::string word = read_text(node, context, path);
    std::vector<std::string> known;
    for (const auto& [candidate, value] : words) {
        if (candidate == word) return value;
        known.push_back(candidate);
    }
    std::string message = "'" + word + "' is not one of: ";
    for (std::size_t i = 0; i < known.size(); ++i) message += (i ? ", " : "") + known[i];
    const std::string suggestion = closest_match(word, known);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    context.fail(node.Mark(), path, message);
}

// Named shares, each in [0, 1] and summing to 1 (names left out are 0).
template <std::size_t N>
std::array<double, N> read_shares(const YAML::Node& node, const std::array<const char*, N>& names, ReadContext& context,
                                  const std::string& path) {
    require_mapping(node, context, path);
    std::array<double, N> values{};
    std::vector<std::string> known(names.begin(), names.end());
    std::set<std::string> seen;
    double total = 0.0;
    for (const auto& entry : node) {
        require_name_key(entry.first, context, path);
        const std::string name = entry.first.Scalar();
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
        context.remember(entry_path, entry.second.Mark());  // for checks across keys (an agency without a team)
        values[index] = read_number(entry.second, context, entry_path, between(0.0, 1.0));
        total += values[index];
    }
    check_share_total(total, context, node.Mark(), path);
    return values;
}

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
        Field<T>& field = add(key, "number", unit, meaning, bounds.text(), fallback ? format_number(*fallback) : "");
        field.source = source;
        field.read = [access, bounds, fallback](const YAML::Node& node, T& target, ReadContext& context,
                                                const std::string& path) {
            std::invoke(access, target) = node ? read_number(node, context, path, bounds) : *fallback;
        };
        field.write = [key, access](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << exact_number_text(std::invoke(access, const_cast<T&>(target)));
        };
        field.check = [access, bounds](const T& target, ReadContext& context, const std::string& path) {
            check_number(std::invoke(access, const_cast<T&>(target)), context, path, bounds);
        };
        if (fallback) field.fill_default = [access, fallback](T& target) { std::invoke(access, target) = *fallback; };
        field.value = [access, bounds](T& target) {
            double& number = std::invoke(access, target);
            return std::make_unique<LeafValue>(
                &number, [&number, bounds](const YAML::Node& node, ReadContext& context, const std::string& path) {
                    require_value(node, context, path);
                    number = read_number(node, context, path, bounds);
                });
        };
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
        Field<T>& field = add(key, "text", "", meaning, "", fallback ? "\"" + *fallback + "\"" : "");
        scalar(field, access, fallback, [](const YAML::Node& node, ReadContext& context, const std::string& path) {
            return read_text(node, context, path);
        });
        write_as_it_is(field, key, access);
        return *this;
    }

    template <class Access>
    Section& flag(const std::string& key, Access access, const std::string& meaning, bool fallback) {
        Field<T>& field = add(key, "true or false", "", meaning, "", fallback ? "true" : "false");
        scalar(field, access, std::optional<bool>(fallback),
               [](const YAML::Node& node, ReadContext& context, const std::string& path) {
                   return read_flag(node, context, path);
               });
        write_as_it_is(field, key, access);
        return *this;
    }

    // One of a fixed set of words.
    template <class Access, class Enum>
    Section& choice(const std::string& key, Access access, const std::vector<std::pair<std::string, Enum>>& words,
                    const std::string& meaning, std::optional<Enum> fallback) {
        std::string listed, fallback_text;
        for (const auto& [word, value] : words) {
            listed += (listed.empty() ? "" : ", ") + word;
            if (fallback && value == *fallback) fallback_text = word;
        }
        Field<T>& field = add(key, "one of: " + listed, "", meaning, "", fallback_text);
        scalar(field, access, fallback, [words](const YAML::Node& node, ReadContext& context, const std::string& path) {
            return read_choice(node, words, context, path);
        });
        field.write = [key, access, words](YAML::Emitter& out, const T& target) {
            for (const auto& [word, value] : words)
                if (value == std::invoke(access, const_cast<T&>(target)))
                    out << YAML::Key << key << YAML::Value << word;
        };
        return *this;
    }

    // Named shares that must each be in [0, 1] and sum to 1 (names left out are 0).
    template <class Access, std::size_t N>
    Section& shares(const std::string& key, Access access, const std::array<const char*, N>& names,
                    const std::string& meaning, const std::string& source = "assumed") {
        std::string listed;
        for (const char* name : names) listed += (listed.empty() ? "" : ", ") + std::string(name);
        Field<T>& field = add(key, "shares of: " + listed, "probability", meaning, "each in [0, 1], sum 1", "");
        field.source = source;
        field.read = [access, names](const YAML::Node& node, T& target, ReadContext& context, const std::string& path) {
            std::invoke(access, target) = read_shares(node, names, context, path);
        };
        field.write = [key, access, names](YAML::Emitter& out, const T& target) {
            const auto& values = std::invoke(access, const_cast<T&>(target));
            out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
            for (std::size_t i = 0; i < N; ++i)
                out << YAML::Key << names[i] << YAML::Value << exact_number_text(values[i]);
            out << YAML::EndMap << YAML::Block;
        };
        field.check = [access, names](const T& target, ReadContext& context, const std::string& path) {
            const auto& values = std::invoke(access, const_cast<T&>(target));
            double total = 0.0;
            for (std::size_t i = 0; i < N; ++i) {
                check_number(values[i], context, join_path(path, names[i]), between(0.0, 1.0));
                total += values[i];
            }
            check_share_total(total, context, YAML::Mark::null_mark(), path);
        };
        field.value = [access, names](T& target) {
            auto& values = std::invoke(access, target);
            return std::make_unique<SharesValue<N>>(
                values, names, [&values, names](const YAML::Node& node, ReadContext& context, const std::string& path) {
                    require_value(node, context, path);
                    values = read_shares(node, names, context, path);
                });
        };
        return *this;
    }

    // A nested section.
    template <class Access, class U>
    Section& section(const std::string& key, Access access, const Section<U>& inner, bool required) {
        Field<T>& field = add(key, "section", "", inner.meaning(), "", required ? "" : "(defaults below)");
        const auto shared = std::make_shared<const Section<U>>(inner);
        field.read = [access, shared](const YAML::Node& node, T& target, ReadContext& context,
                                      const std::string& path) {
            shared->read(node ? node : YAML::Node(YAML::NodeType::Map), std::invoke(access, target), context, path);
        };
        field.write = [key, access, shared](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value;
            shared->write(out, std::invoke(access, const_cast<T&>(target)));
        };
        field.check = [access, shared](const T& target, ReadContext& context, const std::string& path) {
            shared->check(std::invoke(access, const_cast<T&>(target)), context, path);
        };
        field.fill_default = [access, shared](T& target) { shared->fill_defaults(std::invoke(access, target)); };
        field.value = [access, shared](T& target) {
            return std::make_unique<SectionValue<U>>(std::invoke(access, target), *shared);
        };
        field.document_children = [shared](std::ostream& stream, const std::string& path) {
            shared->document(stream, path);
        };
        return *this;
    }

    // A list of sections.
    template <class Access, class U>
    Section& list(const std::string& key, Access access, const Section<U>& inner, bool required,
                  std::size_t minimum_items = 0) {
        Field<T>& field =
            add(key, "list", "", inner.meaning(),
                minimum_items ? "at least " + std::to_string(minimum_items) + " item(s)" : "", required ? "" : "[]");
        const auto shared = std::make_shared<const Section<U>>(inner);
        field.read = [access, shared, minimum_items](const YAML::Node& node, T& target, ReadContext& context,
                                                     const std::string& path) {
            auto& items = std::invoke(access, target);
            items.clear();
            if (!node) return;
            if (!node.IsSequence()) context.fail(node.Mark(), path, "expected a list (items starting with '- ')");
            if (node.size() < minimum_items) context.fail(node.Mark(), path, too_few_items(minimum_items));
            std::size_t index = 0;
            for (const auto& item : node) {
                const std::string item_path = path + "[" + std::to_string(index++) + "]";
                context.remember(item_path, item.Mark());
                items.emplace_back();
                shared->read(item, items.back(), context, item_path);
            }
        };
        field.write = [key, access, shared](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
            for (const auto& item : std::invoke(access, const_cast<T&>(target))) shared->write(out, item);
            out << YAML::EndSeq;
        };
        field.check = [access, shared, minimum_items](const T& target, ReadContext& context, const std::string& path) {
            const auto& items = std::invoke(access, const_cast<T&>(target));
            if (items.size() < minimum_items) context.fail(path, too_few_items(minimum_items));
            for (std::size_t index = 0; index < items.size(); ++index)
                shared->check(items[index], context, path + "[" + std::to_string(index) + "]");
        };
        field.fill_default = [access](T& target) { std::invoke(access, target).clear(); };
        field.value = [access, shared](T& target) {
            return std::make_unique<ListValue<U>>(std::invoke(access, target), *shared);
        };
        field.document_children = [shared](std::ostream& stream, const std::string& path) {
            shared->document(stream, path + "[]");
        };
        return *this;
    }

    void read(const YAML::Node& node, T& target, ReadContext& context, const std::string& path) const {
        require_mapping(node, context, path);
        std::vector<std::string> known;
        for (const auto& field : fields_) known.push_back(field.key);
        std::set<std::string> seen;
        for (const auto& entry : node) {
            require_name_key(entry.first, context, path);
            const std::string key = entry.first.Scalar();
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
            if (value && field.type != "section") require_value(value, context, key_path);
            field.read(value, target, context, key_path);
        }
    }

    void write(YAML::Emitter& out, const T& target) const {
        out << YAML::BeginMap;
        for (const auto& field : fields_) field.write(out, target);
        out << YAML::EndMap;
    }

    // The checks `read` makes on each value, made on typed values in the same order.
    void check(const T& target, ReadContext& context, const std::string& path) const {
        for (const auto& field : fields_) field.check(target, context, join_path(path, field.key));
    }

    // Every default of the table; values without one (required) are left as they are.
    void fill_defaults(T& target) const {
        for (const auto& field : fields_) field.fill_default(target);
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
    Field<T>& add(const std::string& key, const std::string& type, const std::string& unit, const std::string& meaning,
                  const std::string& bounds, const std::string& default_text) {
        Field<T> field;
        field.key = key;
        field.type = type;
        field.unit = unit;
        field.meaning = meaning;
        field.bounds = bounds;
        field.default_text = default_text;
        fields_.push_back(std::move(field));
        return fields_.back();
    }

    template <class Access>
    void write_as_it_is(Field<T>& field, const std::string& key, Access access) {
        field.write = [key, access](YAML::Emitter& out, const T& target) {
            out << YAML::Key << key << YAML::Value << std::invoke(access, const_cast<T&>(target));
        };
    }

    // A text, flag or choice: read by `reader`, no check beyond its type.
    template <class Access, class Value, class Reader>
    void scalar(Field<T>& field, Access access, std::optional<Value> fallback, Reader reader) {
        field.read = [access, fallback, reader](const YAML::Node& node, T& target, ReadContext& context,
                                                const std::string& path) {
            std::invoke(access, target) = node ? reader(node, context, path) : *fallback;
        };
        if (fallback) field.fill_default = [access, fallback](T& target) { std::invoke(access, target) = *fallback; };
        field.value = [access, reader](T& target) {
            auto& value = std::invoke(access, target);
            return std::make_unique<LeafValue>(
                nullptr, [&value, reader](const YAML::Node& node, ReadContext& context, const std::string& path) {
                    require_value(node, context, path);
                    value = reader(node, context, path);
                });
        };
    }

    std::string meaning_;
    std::vector<Field<T>> fields_;
};

}  // namespace ehsim::scenario
