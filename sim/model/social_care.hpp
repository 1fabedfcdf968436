// Social care: a referral is assessed; the child is then a child in need, on a protection plan or looked
// after (or no further action), waits for a social worker's caseload place where the locality has a team,
// and at the episode's end steps down to early help, has need that returns later, or leaves.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/model/families.hpp"
#include "sim/model/model_context.hpp"
#include "sim/model/teams.hpp"

namespace ehsim::model {

class Need;
class Allocation;

class SocialCare {
public:
    void rewire(ModelContext* context, Families* families, Teams* teams, Need* need, Allocation* allocation) {
        std::tie(context_, families_, teams_, need_, allocation_) =
            std::tie(context, families, teams, need, allocation);
    }

    void refer(std::uint32_t family);
    // Event handlers.
    void assessment_done(std::uint32_t family);
    void episode_ends(std::uint32_t family);
    // The social workers' capacity may have grown: free places go to those waiting.
    void fill_free_places(std::uint32_t team);

private:
    void start_episode(std::uint32_t family);
    void change_children_in_care(const Family& family, double change);

    ModelContext* context_ = nullptr;
    Families* families_ = nullptr;
    Teams* teams_ = nullptr;
    Need* need_ = nullptr;
    Allocation* allocation_ = nullptr;
};

}  // namespace ehsim::model
