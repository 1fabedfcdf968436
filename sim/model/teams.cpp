#include "sim/model/teams.hpp"

#include <cmath>
#include <stdexcept>

namespace ehsim::model {

std::uint32_t caseload_places(double fte, double caseload_per_fte) {
    return static_cast<std::uint32_t>(std::floor(fte * caseload_per_fte + 1e-9));
}

namespace {
std::uint32_t locality_index(const Scenario& parameters, const std::string& name) {
    for (std::uint32_t locality = 0; locality < parameters.localities.size(); ++locality)
        if (parameters.localities[locality].name == name) return locality;
    throw std::invalid_argument("unknown locality: " + name);
}
}  // namespace

void Teams::derive(const Scenario& parameters) {
    if (index_.empty()) {
        index_.assign(parameters.localities.size(), {});
        for (auto& roles : index_) roles.fill(kNoTeam);
    }
    for (TeamState& team : teams_) team.in_parameters = kNoTeam;
    for (std::uint32_t in = 0; in < parameters.teams.size(); ++in) {
        const Team& team = parameters.teams[in];
        const std::uint32_t locality = locality_index(parameters, team.locality);
        std::uint32_t& existing = index_[locality][static_cast<int>(team.role)];
        if (existing == kNoTeam) {
            existing = static_cast<std::uint32_t>(teams_.size());
            teams_.push_back(
                TeamState{locality, team.role, kNoTeam, kernel::ServerPool(0), kernel::WaitingLine(kPriorities)});
        } else if (teams_[existing].in_parameters != kNoTeam) {
            throw std::invalid_argument("two teams of one role in locality " + team.locality);
        }
        teams_[existing].in_parameters = in;
    }
    for (TeamState& team : teams_) {
        const bool kept = team.in_parameters != kNoTeam;
        const Team* parameters_of = kept ? &parameters.teams[team.in_parameters] : nullptr;
        team.places.set_capacity(kept ? caseload_places(parameters_of->fte, parameters_of->caseload_per_fte) : 0);
    }
}

double Teams::family_support_places() const {
    double places = 0;
    for (const TeamState& team : teams_)
        if (team.role == Role::family_support) places += team.places.capacity();
    return places;
}

std::array<double, kRoles> Teams::fte_by_role(const Scenario& parameters) const {
    std::array<double, kRoles> fte{};
    for (std::uint32_t team = 0; team < teams_.size(); ++team)
        fte[static_cast<int>(teams_[team].role)] += this->fte(team, parameters);
    return fte;
}

}  // namespace ehsim::model
