#include "sim/scenario/schema_values.hpp"

#include <cstdlib>

namespace ehsim::scenario {

// The same walk, and the same messages, as over the resolved scenario's YAML: a key must be one its
// section writes, an index must name an item of a list.
std::unique_ptr<SchemaValue> value_at(std::unique_ptr<SchemaValue> root, const std::string& path) {
    std::unique_ptr<SchemaValue> value = std::move(root);
    std::string walked;
    std::size_t at = 0;
    while (at < path.size()) {
        const std::size_t end = path.find_first_of(".[", at);
        const std::string key = path.substr(at, end == std::string::npos ? std::string::npos : end - at);
        std::unique_ptr<SchemaValue> member = value->member(key);
        if (!member) {
            const std::string close = closest_match(key, value->keys());
            throw std::invalid_argument("the scenario has no '" + (walked.empty() ? key : walked + "." + key) + "'" +
                                        (close.empty() ? "" : " (did you mean '" + close + "'?)"));
        }
        value = std::move(member);
        walked += (walked.empty() ? "" : ".") + key;
        at = end == std::string::npos ? path.size() : end;
        while (at < path.size() && path[at] == '[') {
            const std::size_t bracket = path.find(']', at);
            if (bracket == std::string::npos) throw std::invalid_argument("path '" + path + "': unclosed '['");
            const std::string index_text = path.substr(at + 1, bracket - at - 1);
            char* index_end = nullptr;
            const long index = std::strtol(index_text.c_str(), &index_end, 10);
            if (index_text.empty() || *index_end != '\0' || !value->is_list() || index < 0 ||
                static_cast<std::size_t>(index) >= value->size())
                throw std::invalid_argument("path '" + path + "': no item [" + index_text + "] in '" + walked + "'");
            value = value->item(static_cast<std::size_t>(index));
            walked += "[" + index_text + "]";
            at = bracket + 1;
        }
        if (at < path.size() && path[at] == '.') ++at;
    }
    return value;
}

}  // namespace ehsim::scenario
