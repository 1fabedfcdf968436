#include "sim/model/parameters.hpp"

namespace ehsim::model {

const char* to_string(Role role) {
    const auto index = static_cast<std::size_t>(role);
    return index < kRoleNames.size() ? kRoleNames[index] : "?";
}

const char* to_string(SiteType type) {
    switch (type) {
        case SiteType::hub:
            return "hub";
        case SiteType::spoke:
            return "spoke";
        case SiteType::closed:
            return "closed";
    }
    return "?";
}

}  // namespace ehsim::model
