// Allocation: a family triaged into multi-agency early help gets a priority and a lead professional's agency,
// and waits for a caseload place in its locality's team of that agency (red before amber before green); a
// waiting family may give up, and its need keeps escalating (to level 4: a referral to social care). A freed
// place goes straight to the next family in line.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/model/families.hpp"
#include "sim/model/model_context.hpp"
#include "sim/model/teams.hpp"

namespace ehsim::model {

class Need;
class Cases;
class SocialCare;

class Allocation {
public:
    void rewire(ModelContext* context, Families* families, Teams* teams, Need* need, Cases* cases,
                SocialCare* social_care) {
        std::tie(context_, families_, teams_, need_, cases_, social_care_) =
            std::tie(context, families, teams, need, cases, social_care);
    }

    void request_early_help(std::uint32_t family);
    // Event handlers: the family's patience has run out; its need has escalated while it waits.
    void gives_up_waiting(std::uint32_t family);
    void escalates_while_waiting(std::uint32_t family);
    // A case of `team` has closed: its place goes to the next family in line, if any.
    void place_freed(std::uint32_t team);
    // The team's capacity may have grown: free places go to those waiting.
    void fill_free_places(std::uint32_t team);

private:
    std::uint32_t team_of_lead(Family& family) const;
    void take_from_line(std::uint32_t family, std::uint32_t team);
    void schedule_while_waiting(std::uint32_t family);

    ModelContext* context_ = nullptr;
    Families* families_ = nullptr;
    Teams* teams_ = nullptr;
    Need* need_ = nullptr;
    Cases* cases_ = nullptr;
    SocialCare* social_care_ = nullptr;
};

}  // namespace ehsim::model
