// A case's life: a lead professional allocated (assessment, plan), reviews, and one of the case's competing
// ends — the plan runs its course (needs met or not), the family disengages, its need escalates to social
// care (step-up), falls to level 2 (step-down to one agency's help), or it moves away — then what follows the
// closure.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/model/families.hpp"
#include "sim/model/model_context.hpp"
#include "sim/model/teams.hpp"

namespace ehsim::model {

class Need;
class Allocation;
class SocialCare;
class FrontDoor;

class Cases {
public:
    void rewire(ModelContext* context, Families* families, const Teams* teams, Need* need, Allocation* allocation,
                SocialCare* social_care, FrontDoor* front_door) {
        std::tie(context_, families_, teams_, need_, allocation_, social_care_, front_door_) =
            std::tie(context, families, teams, need, allocation, social_care, front_door);
    }

    // A lead professional from `team` takes the family on.
    void open(std::uint32_t family, std::uint32_t team);
    // Event handler.
    void close(std::uint32_t family);

private:
    double duration_factor(const Family& family, std::uint32_t team) const;
    double draw_plan_duration(Family& family, std::uint32_t team) const;
    void count_allocation(const Family& family, double wait, Access access);
    void change_open(const Family& family, double change);

    ModelContext* context_ = nullptr;
    Families* families_ = nullptr;
    const Teams* teams_ = nullptr;
    Need* need_ = nullptr;
    Allocation* allocation_ = nullptr;
    SocialCare* social_care_ = nullptr;
    FrontDoor* front_door_ = nullptr;
};

}  // namespace ehsim::model
