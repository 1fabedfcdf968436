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

const char* to_string(ClosureReason reason) {
    switch (reason) {
        case needs_met:
            return "needs_met";
        case disengaged:
            return "disengaged";
        case stepped_up:
            return "stepped_up";
        case moved_away:
            return "moved_away";
        case needs_not_met:
            return "needs_not_met";
    }
    return "?";
}

}  // namespace ehsim::model
