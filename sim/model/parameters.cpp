#include "sim/model/parameters.hpp"

namespace ehsim::model {

const char* to_string(Role role) {
    switch (role) {
        case Role::family_support:
            return "family_support";
        case Role::health_visitor:
            return "health_visitor";
        case Role::youth_worker:
            return "youth_worker";
        case Role::social_worker:
            return "social_worker";
        case Role::voluntary_sector:
            return "voluntary_sector";
    }
    return "?";
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
