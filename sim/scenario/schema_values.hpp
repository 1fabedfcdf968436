// A value inside a scenario reached through the schema table by its path ("teams[2].fte"): how an option's
// `set` and a calibration's parameters change a typed scenario, with the loader's own checks and messages,
// instead of patching YAML and reading it again.
#pragma once

#include <yaml-cpp/yaml.h>

#include <array>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

template <class T>
class Section;

class SchemaValue {
public:
    using Reader = std::function<void(const YAML::Node&, ReadContext&, const std::string& path)>;
    virtual ~SchemaValue() = default;
    // A section or named shares has keys (the resolved scenario writes it as a mapping); a list has items.
    virtual std::vector<std::string> keys() const { return {}; }
    virtual std::unique_ptr<SchemaValue> member(const std::string& /*key*/) { return nullptr; }
    virtual bool is_list() const { return false; }
    virtual bool is_shares() const { return false; }  // named shares that sum to 1
    virtual std::size_t size() const { return 0; }
    virtual std::unique_ptr<SchemaValue> item(std::size_t /*index*/) { return nullptr; }
    // The number itself where the value is one (a number, or one of named shares); nullptr otherwise.
    virtual double* number() { return nullptr; }
    // Replaces the value with YAML, read as the loader reads it at this place (same checks, same messages).
    virtual void read(const YAML::Node& node, ReadContext& context, const std::string& path) const = 0;
};

// One number, text, flag or choice.
class LeafValue : public SchemaValue {
public:
    LeafValue(double* number, Reader reader) : number_(number), reader_(std::move(reader)) {}
    double* number() override { return number_; }
    void read(const YAML::Node& node, ReadContext& context, const std::string& path) const override {
        reader_(node, context, path);
    }

private:
    double* number_;
    Reader reader_;
};

template <std::size_t N>
class SharesValue : public SchemaValue {
public:
    SharesValue(std::array<double, N>& values, const std::array<const char*, N>& names, Reader reader)
        : values_(values), names_(names), reader_(std::move(reader)) {}
    std::vector<std::string> keys() const override { return {names_.begin(), names_.end()}; }
    bool is_shares() const override { return true; }
    std::unique_ptr<SchemaValue> member(const std::string& key) override {
        for (std::size_t i = 0; i < N; ++i)
            if (names_[i] == key) {
                double& share = values_[i];
                // One share alone: the sum to 1 is checked with the whole scenario.
                return std::make_unique<LeafValue>(
                    &share, [&share](const YAML::Node& node, ReadContext& context, const std::string& path) {
                        share = read_number(node, context, path, between(0.0, 1.0));
                    });
            }
        return nullptr;
    }
    void read(const YAML::Node& node, ReadContext& context, const std::string& path) const override {
        reader_(node, context, path);
    }

private:
    std::array<double, N>& values_;
    const std::array<const char*, N>& names_;
    Reader reader_;
};

template <class U>
class SectionValue : public SchemaValue {
public:
    SectionValue(U& target, const Section<U>& section) : target_(target), section_(section) {}
    std::vector<std::string> keys() const override {
        std::vector<std::string> keys;
        for (const auto& field : section_.fields()) keys.push_back(field.key);
        return keys;
    }
    std::unique_ptr<SchemaValue> member(const std::string& key) override {
        for (const auto& field : section_.fields())
            if (field.key == key) return field.value(target_);
        return nullptr;
    }
    void read(const YAML::Node& node, ReadContext& context, const std::string& path) const override {
        section_.read(node, target_, context, path);
    }

private:
    U& target_;
    const Section<U>& section_;
};

template <class U>
class ListValue : public SchemaValue {
public:
    ListValue(std::vector<U>& items, const Section<U>& section) : items_(items), section_(section) {}
    bool is_list() const override { return true; }
    std::size_t size() const override { return items_.size(); }
    std::unique_ptr<SchemaValue> item(std::size_t index) override {
        return std::make_unique<SectionValue<U>>(items_[index], section_);
    }
    // Whole lists are not replaced: an option changes one value or section.
    void read(const YAML::Node&, ReadContext& context, const std::string& path) const override {
        context.fail(path, "a whole list cannot be replaced");
    }

private:
    std::vector<U>& items_;
    const Section<U>& section_;
};

// The value at `path` below `root`, walked as the resolved scenario's YAML would be: keys joined by '.',
// list items as [i]. Throws std::invalid_argument naming what is missing (with "did you mean").
std::unique_ptr<SchemaValue> value_at(std::unique_ptr<SchemaValue> root, const std::string& path);

}  // namespace ehsim::scenario
