// The locality teams: each team's caseload places and its waiting line, derived from the parameters in force.
// A team's capacity is never kept by hand: it is worked out from its FTE and caseload whenever the parameters
// change, and a team the parameters no longer have takes no new cases.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/waiting_line.hpp"
#include "sim/model/families.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::model {

struct TeamState {
    std::uint32_t locality;
    Role role;
    std::uint32_t in_parameters;  // index in the parameters' teams, or kNoTeam if they no longer have it
    kernel::ServerPool places;    // caseload places
    kernel::WaitingLine line;
};

class Teams {
public:
    // Brings every team in line with `parameters` (adding teams they add); does not serve anyone waiting.
    void derive(const Scenario& parameters);

    std::uint32_t team_for(std::uint32_t locality, Role role) const { return index_[locality][static_cast<int>(role)]; }
    TeamState& operator[](std::uint32_t team) { return teams_[team]; }
    const TeamState& operator[](std::uint32_t team) const { return teams_[team]; }
    std::uint32_t size() const { return static_cast<std::uint32_t>(teams_.size()); }

    double fte(std::uint32_t team, const Scenario& parameters) const {
        const std::uint32_t in = teams_[team].in_parameters;
        return in == kNoTeam ? 0.0 : parameters.teams[in].fte;
    }
    // Family-support caseload places and FTE by role, for caseloads and staff costs.
    double family_support_places() const;
    std::array<double, kRoles> fte_by_role(const Scenario& parameters) const;

private:
    std::vector<TeamState> teams_;
    std::vector<std::array<std::uint32_t, kRoles>> index_;  // [locality][role]
};

// Caseload places of `fte` full-time workers each holding `caseload_per_fte` families.
std::uint32_t caseload_places(double fte, double caseload_per_fte);

}  // namespace ehsim::model
