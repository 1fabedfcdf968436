// Children's social care as DfE counts it. A referral (a contact the front door accepts, a step-up from an
// open case, or need that reached level 4 while waiting for a lead professional) either closes with no
// further action or opens an episode of need; the family waits for a social worker's caseload place, is
// assessed, and is found not in need (perhaps stepped down to early help), put on a child in need plan,
// taken into a section 47 enquiry and an initial child protection conference, or looked after. Plans
// change (child in need to protection through a new enquiry; protection to child in need or looked after)
// and end; the episode's end steps down to early help, has need that returns later, or leaves. Counts are
// per child: a family's children go through together.
#pragma once

#include <cstdint>
#include <tuple>

#include "sim/model/families.hpp"
#include "sim/model/model_context.hpp"
#include "sim/model/teams.hpp"

namespace ehsim::model {

class Need;
class Allocation;

// How a family came to be referred (the route an option acts through is shown, not assumed).
enum class ReferralRoute : std::uint8_t { front_door, stepped_up_from_early_help, escalated_while_waiting };

class SocialCare {
public:
    void rewire(ModelContext* context, Families* families, Teams* teams, Need* need, Allocation* allocation) {
        std::tie(context_, families_, teams_, need_, allocation_) =
            std::tie(context, families, teams, need, allocation);
    }

    void refer(std::uint32_t family, ReferralRoute route);
    // Event handlers.
    void assessment_done(std::uint32_t family);
    void initial_conference(std::uint32_t family);
    void section_47_enquiry_starts(std::uint32_t family);
    void episode_ends(std::uint32_t family);
    // The social workers' capacity may have grown: free places go to those waiting.
    void fill_free_places(std::uint32_t team);

private:
    void begin_assessment(std::uint32_t family);
    void enter_care(std::uint32_t family, CareType care);
    void start_plan(std::uint32_t family, CareType care);
    void end_plan(Family& family);
    void close_episode(std::uint32_t family);
    void no_service(std::uint32_t family);
    bool had_an_unseen_earlier_plan();
    void release_social_worker(Family& family);
    void count(Tally tally, const Family& family);

    ModelContext* context_ = nullptr;
    Families* families_ = nullptr;
    Teams* teams_ = nullptr;
    Need* need_ = nullptr;
    Allocation* allocation_ = nullptr;
    std::uint64_t plans_seen_as_first_ = 0;  // keys the draws of had_an_unseen_earlier_plan
};

}  // namespace ehsim::model
