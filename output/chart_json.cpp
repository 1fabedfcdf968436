#include "output/chart_json.hpp"

#include <stdexcept>
#include <string>

#include "output/report_html.hpp"

namespace ehsim::output::charts {
namespace {

void write(const Json& value, std::string& out) {
    using Type = Json::value_t;
    switch (value.type()) {
        case Type::object: {
            out += '{';
            for (auto item = value.begin(); item != value.end(); ++item) {
                if (item != value.begin()) out += ',';
                out += html::json_string(item.key()) + ':';
                write(item.value(), out);
            }
            out += '}';
            return;
        }
        case Type::array: {
            out += '[';
            for (auto item = value.begin(); item != value.end(); ++item) {
                if (item != value.begin()) out += ',';
                write(*item, out);
            }
            out += ']';
            return;
        }
        case Type::string:
            out += html::json_string(value.get_ref<const std::string&>());
            return;
        case Type::boolean:
            out += value.get<bool>() ? "true" : "false";
            return;
        case Type::number_integer:
            out += std::to_string(value.get<std::int64_t>());
            return;
        case Type::number_unsigned:
            out += std::to_string(value.get<std::uint64_t>());
            return;
        case Type::number_float:
            out += html::json_number(value.get<double>());
            return;
        case Type::null:
            out += "null";
            return;
        case Type::binary:
        case Type::discarded:
            break;
    }
    throw std::logic_error("a chart specification holds a value JSON cannot write");
}

}  // namespace

std::string dump(const Json& value) {
    std::string text;
    write(value, text);
    return text;
}

Json strings(const std::vector<std::string>& texts) {
    Json array = Json::array();
    for (const std::string& text : texts) array.push_back(text);
    return array;
}

Json config() {
    return {{"font", "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
            {"axis", {{"labelFontSize", 12}, {"titleFontSize", 12}}},
            {"legend", {{"labelFontSize", 12}}}};
}

Json legend_below() { return {{"title", nullptr}, {"orient", "bottom"}, {"direction", "horizontal"}}; }

}  // namespace ehsim::output::charts
