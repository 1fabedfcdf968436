// The model's components on their own: catchments (a pure function of the sites), the hand-over of a freed
// server, triage at the front door, and allocation to caseload places with its waiting line. Each test drives
// one component through its public calls, on a small scenario, and steps the events it schedules.
#include <gtest/gtest.h>

#include "sim/kernel/hand_over.hpp"
#include "sim/model/allocation.hpp"
#include "sim/model/cases.hpp"
#include "sim/model/catchments.hpp"
#include "sim/model/families.hpp"
#include "sim/model/front_door.hpp"
#include "sim/model/need.hpp"
#include "sim/model/social_care.hpp"
#include "sim/model/teams.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::model {
namespace {

Scenario minimal() {
    Scenario scenario = scenario::load_scenario_file(EHSIM_TEST_DATA "/minimal.yaml");
    scenario.time.warm_up_years = 0;  // every count lands in a reported month
    return scenario;
}

Site site(const std::string& name, const std::string& locality, SiteType type, double share = 0) {
    return Site{name, locality, type, share, {}};
}

// ---- catchments ------------------------------------------------------------------------------------------

Scenario two_hubs() {
    Scenario scenario = minimal();
    scenario.sites = {site("North Hub", "Central", SiteType::hub), site("South Hub", "Central", SiteType::hub)};
    return scenario;
}

TEST(Catchments, SitesWithoutSharesSplitTheirLocalityEqually) {
    const Scenario scenario = two_hubs();
    const Catchments catchments = catchments_of(scenario, scenario);
    ASSERT_EQ(catchments.size(), 1u);
    ASSERT_EQ(catchments[0].size(), 2u);
    EXPECT_DOUBLE_EQ(catchments[0][0].upper, 0.5);
    EXPECT_EQ(access_at(catchments, 0, 0.49), access_hub);
    EXPECT_EQ(access_at(catchments, 0, 0.51), access_hub);
    EXPECT_EQ(catchments[0].back().upper, 2.0);  // nobody falls outside through rounding
}

TEST(Catchments, AClosedHubsFamiliesTravelToTheOtherHub) {
    const Scenario before = two_hubs();
    Scenario after = before;
    after.sites[1].type = SiteType::closed;
    const Catchments catchments = catchments_of(after, before);
    EXPECT_EQ(access_at(catchments, 0, 0.25), access_hub);
    EXPECT_EQ(access_at(catchments, 0, 0.75), access_hub_elsewhere);
}

TEST(Catchments, ClosingEveryHubLeavesASpokeOrNothing) {
    Scenario before = minimal();
    before.sites = {site("Hub", "Central", SiteType::hub), site("Outreach", "Central", SiteType::spoke)};
    Scenario after = before;
    after.sites[0].type = SiteType::closed;
    EXPECT_EQ(access_at(catchments_of(after, before), 0, 0.1), access_spoke);
    after.sites[1].type = SiteType::closed;
    EXPECT_EQ(access_at(catchments_of(after, before), 0, 0.1), access_none);
    EXPECT_EQ(access_at(catchments_of(after, before), 0, 0.9), access_none);
}

// A new site takes the same top fraction of every old catchment: families move only into it.
TEST(Catchments, ANewSiteCarvesTheTopOfEveryOldCatchment) {
    Scenario before = minimal();
    before.sites = {site("North Hub", "Central", SiteType::hub, 0.5),
                    site("South Hub", "Central", SiteType::spoke, 0.5)};
    Scenario after = before;
    // Shares 0.4 / 0.4 / 0.2 after normalising: each old site keeps 80% of its catchment.
    after.sites = {site("North Hub", "Central", SiteType::hub, 0.4), site("South Hub", "Central", SiteType::spoke, 0.4),
                   site("New Hub", "Central", SiteType::hub, 0.2)};
    const Catchments catchments = catchments_of(after, before);
    EXPECT_EQ(access_at(catchments, 0, 0.39), access_hub);    // North keeps [0, 0.4)
    EXPECT_EQ(access_at(catchments, 0, 0.45), access_hub);    // [0.4, 0.5) is the new hub's
    EXPECT_EQ(access_at(catchments, 0, 0.55), access_spoke);  // South keeps [0.5, 0.9)
    EXPECT_EQ(access_at(catchments, 0, 0.89), access_spoke);
    ASSERT_EQ(catchments[0].size(), 4u);
    EXPECT_NEAR(catchments[0][0].upper, 0.4, 1e-12);
    EXPECT_NEAR(catchments[0][1].upper, 0.5, 1e-12);
    EXPECT_NEAR(catchments[0][2].upper, 0.9, 1e-12);
}

// ---- the hand-over of a freed server -----------------------------------------------------------------------

TEST(HandOver, AFreedServerGoesToTheFirstInLineUnlessACutLeftThePoolOverCapacity) {
    kernel::Simulation simulation;
    kernel::ServerPool pool(1);
    kernel::WaitingLine line(2);
    ASSERT_TRUE(pool.try_seize(0.0));
    line.join(simulation, 7, 1);
    line.join(simulation, 8, 0);  // more urgent, joined later
    std::vector<kernel::SubjectId> served;
    const auto serve = [&](kernel::SubjectId subject) { served.push_back(subject); };
    kernel::hand_over_or_release(pool, line, simulation, serve);
    EXPECT_EQ(served, std::vector<kernel::SubjectId>{8});
    EXPECT_EQ(pool.in_use(), 1u);  // handed over, never released
    pool.set_capacity(0);          // a cut: the next freed place is released, not passed on
    kernel::hand_over_or_release(pool, line, simulation, serve);
    EXPECT_EQ(served.size(), 1u);
    EXPECT_EQ(pool.in_use(), 0u);
    EXPECT_EQ(line.size(), 1u);
    pool.set_capacity(3);  // capacity grown: those waiting are served at once
    kernel::fill_free_servers(pool, line, simulation, serve);
    EXPECT_EQ(served, (std::vector<kernel::SubjectId>{8, 7}));
    EXPECT_EQ(pool.in_use(), 1u);
    kernel::hand_over_or_release(pool, line, simulation, serve);  // nobody waits
    EXPECT_EQ(pool.in_use(), 0u);
}

// ---- components wired by hand, with their events stepped ---------------------------------------------------

class Components {
public:
    explicit Components(Scenario parameters) : scenario_(std::move(parameters)) {
        context_.parameters = &scenario_;
        context_.run = &scenario_;
        context_.streams = kernel::RandomStreams(17);
        context_.calendar = Calendar(*parse_iso_date(scenario_.time.start_date), 24);
        context_.ledger = Ledger(0, 24, scenario_.localities.size());
        families = Families(&context_);
        need = Need(&context_, scenario_.localities.size());
        need.rewire(&context_, &families, &catchments, &front_door);
        front_door.rewire(&context_, &families, &need, &allocation, &social_care);
        allocation.rewire(&context_, &families, &teams, &need, &cases, &social_care);
        cases.rewire(&context_, &families, &teams, &need, &allocation, &social_care, &front_door);
        social_care.rewire(&context_, &families, &teams, &need, &allocation);
        catchments = catchments_of(scenario_, scenario_);
        teams.derive(scenario_);
        families.derive(scenario_);
        front_door.derive(scenario_);
    }
    Components(const Components&) = delete;

    // A family with need at `level`, known to nobody yet (no hidden-need event of its own).
    std::uint32_t family(NeedLevel level) { return families.arrive(0, level); }
    double tally(Tally tally) const { return context_.ledger.result().tally(tally, 0); }
    double now() const { return context_.now(); }
    // Runs the events due before `day`; returns the kinds that ran.
    std::vector<EventKind> run_until(double day) {
        std::vector<EventKind> ran;
        context_.simulation.run_until(day, [&](const kernel::Event& event) {
            const auto kind = static_cast<EventKind>(event.kind);
            ran.push_back(kind);
            if (kind == EventKind::screening_done) front_door.screening_done(event.subject);
            if (kind == EventKind::concern_screening_done) front_door.concern_screening_done(event.subject);
            if (kind == EventKind::case_closes) cases.close(event.subject);
            if (kind == EventKind::gives_up_waiting) allocation.gives_up_waiting(event.subject);
            if (kind == EventKind::escalates_while_waiting) allocation.escalates_while_waiting(event.subject);
        });
        return ran;
    }

    Families families;
    Catchments catchments;
    Teams teams;
    Need need;
    FrontDoor front_door;
    Allocation allocation;
    Cases cases;
    SocialCare social_care;

private:
    Scenario scenario_;
    ModelContext context_;
};

TEST(FrontDoor, TriageSendsEachLevelWhereItsRowSays) {
    Scenario scenario = minimal();
    scenario.front_door.outcome_by_level[1] = {0, 0, 0, 1};   // level 3: always to social care
    scenario.front_door.contact_to_referral_by_level[1] = 1;  // and the social-care front door accepts it
    scenario.front_door.outcome_by_level[0] = {0, 1, 0, 0};   // level 2: always one agency's help
    scenario.social_care.referral_no_further_action = 0;
    Components model(scenario);
    const std::uint32_t targeted = model.family(NeedLevel::targeted);
    const std::uint32_t additional = model.family(NeedLevel::additional);
    model.front_door.receive_contact(targeted, social_care_front_door);
    model.front_door.receive_contact(additional, early_help_hub);
    EXPECT_EQ(model.families[targeted].state, FamilyState::at_front_door);
    model.run_until(5.0);  // screening takes 0.125 days on average
    EXPECT_EQ(model.families[targeted].state, FamilyState::social_care_assessment);
    EXPECT_EQ(model.families[additional].state, FamilyState::single_agency_help);
    EXPECT_EQ(model.tally(triaged_social_care), 1.0);
    EXPECT_EQ(model.tally(triaged_single_agency), 1.0);
    EXPECT_EQ(model.tally(contacts_to_social_care), 1.0);
    EXPECT_EQ(model.tally(early_help_requests), 1.0);
}

// One screener: contacts wait in the order they came, families and contacts about universal families alike,
// and each freed screener takes the next.
TEST(FrontDoor, ABusyDeskScreensContactsInTheOrderTheyCame) {
    Scenario scenario = minimal();
    scenario.front_door.outcome_by_level[1] = {1, 0, 0, 0};
    Components model(scenario);
    const std::uint32_t first = model.family(NeedLevel::targeted);
    const std::uint32_t second = model.family(NeedLevel::targeted);
    model.front_door.receive_contact(first, early_help_hub);  // the hub has one screener
    model.front_door.receive_concern(0, early_help_hub);
    model.front_door.receive_contact(second, early_help_hub);
    std::vector<EventKind> screened;  // (families sent back to hidden need also have their next change drawn)
    for (const EventKind kind : model.run_until(50.0))
        if (kind != EventKind::hidden_need_changes) screened.push_back(kind);
    EXPECT_EQ(screened, (std::vector<EventKind>{EventKind::screening_done, EventKind::concern_screening_done,
                                                EventKind::screening_done}));
    EXPECT_EQ(model.tally(triaged_no_further_action), 3.0);
    EXPECT_EQ(model.tally(early_help_requests), 3.0);
    EXPECT_EQ(model.families[second].state, FamilyState::hidden_need);
}

// A team of one caseload place: the first family is allocated, the others wait red before green; the freed
// place goes to the red family at once (its patience withdrawn), and after a cut it is released instead.
TEST(Allocation, AFreedPlaceGoesToTheMostUrgentWaitingFamily) {
    Scenario scenario = minimal();
    scenario.teams[0].fte = 1;
    scenario.teams[0].caseload_per_fte = 1;
    scenario.early_help.lead_professional_shares = {1, 0, 0, 0};
    scenario.early_help.patience_days = 1e6;
    scenario.early_help.disengagement_per_year = 0;
    scenario.early_help.step_up_per_year = 0;
    scenario.early_help.moved_away_per_year = 0;
    scenario.front_door.priority_by_level[0] = {0, 0, 1};  // level 2: green
    scenario.front_door.priority_by_level[1] = {1, 0, 0};  // level 3: red
    Components model(scenario);
    const std::uint32_t team = model.teams.team_for(0, Role::family_support);
    ASSERT_EQ(model.teams[team].places.capacity(), 1u);
    const std::uint32_t allocated = model.family(NeedLevel::additional);
    const std::uint32_t green_family = model.family(NeedLevel::additional);
    const std::uint32_t red_family = model.family(NeedLevel::targeted);
    for (const std::uint32_t family : {allocated, green_family, red_family})
        model.allocation.request_early_help(family);
    EXPECT_EQ(model.families[allocated].state, FamilyState::early_help_case);
    EXPECT_EQ(model.families[green_family].state, FamilyState::waiting_for_lead_professional);
    EXPECT_EQ(model.families[red_family].state, FamilyState::waiting_for_lead_professional);
    EXPECT_EQ(model.teams[team].line.size(), 2u);

    // Run to the first closure: the red family, though it asked last, takes the place.
    std::vector<EventKind> ran;
    while (ran.empty() || ran.back() != EventKind::case_closes) {
        const std::vector<EventKind> more = model.run_until(model.now() + 1.0);
        ran.insert(ran.end(), more.begin(), more.end());
    }
    EXPECT_EQ(model.families[red_family].state, FamilyState::early_help_case);
    EXPECT_EQ(model.families[green_family].state, FamilyState::waiting_for_lead_professional);
    EXPECT_EQ(model.teams[team].places.in_use(), 1u);
    EXPECT_EQ(model.tally(allocations_red), 1.0);
    EXPECT_EQ(model.tally(allocations_green), 1.0);

    // A cut to no places: the next closure frees the place and nobody takes it.
    model.teams[team].places.set_capacity(0);
    ran.clear();
    while (ran.empty() || ran.back() != EventKind::case_closes) {
        const std::vector<EventKind> more = model.run_until(model.now() + 1.0);
        ran.insert(ran.end(), more.begin(), more.end());
    }
    EXPECT_EQ(model.teams[team].places.in_use(), 0u);
    EXPECT_EQ(model.families[green_family].state, FamilyState::waiting_for_lead_professional);
    EXPECT_EQ(std::count(ran.begin(), ran.end(), EventKind::gives_up_waiting), 0);
}

// ---- the social-care front door (MASH) and escalation while waiting ---------------------------------------

// Contacts to the social-care front door at every level: with a conversion of 0 none is referred (even where the
// triage row would send every one to social care), with 1 every one is, through the front-door route.
TEST(FrontDoor, TheSocialCareFrontDoorRefersContactsByItsConversionRate) {
    for (const double conversion : {0.0, 1.0}) {
        Scenario scenario = minimal();
        scenario.front_door.contact_to_referral_by_level.fill(conversion);
        for (auto& row : scenario.front_door.outcome_by_level) row = {0.1, 0.1, 0.1, 0.7};
        Components model(scenario);
        double children = 0;
        for (const NeedLevel level : {NeedLevel::additional, NeedLevel::targeted, NeedLevel::statutory})
            for (int contact = 0; contact < 20; ++contact) {
                const std::uint32_t family = model.family(level);
                children += model.families[family].children;
                model.front_door.receive_contact(family, social_care_front_door);
            }
        model.run_until(5.0);  // 60 contacts at two screeners, 0.125 days each on average
        SCOPED_TRACE(conversion);
        EXPECT_EQ(model.tally(contacts_to_social_care), 60.0);
        EXPECT_EQ(model.tally(triaged_social_care), 60.0 * conversion);
        EXPECT_EQ(model.tally(triaged_no_further_action) + model.tally(triaged_single_agency) +
                      model.tally(triaged_early_help),
                  60.0 * (1.0 - conversion));
        EXPECT_EQ(model.tally(referrals_via_front_door), children * conversion);  // per child
        EXPECT_EQ(model.tally(social_care_referrals), children * conversion);
    }
}

// A family waiting for a lead professional whose need escalates: from level 2 to 3 it stays in line; reaching
// level 4 it leaves the line and is referred to social care by the escalated-while-waiting route.
TEST(Allocation, NeedReachingLevel4WhileWaitingIsReferredToSocialCare) {
    Scenario scenario = minimal();
    scenario.teams[0].fte = 1;
    scenario.teams[0].caseload_per_fte = 1;
    scenario.early_help.lead_professional_shares = {1, 0, 0, 0};
    scenario.early_help.patience_days = 1e9;
    scenario.early_help.escalation_while_waiting_factor = 1.0;
    scenario.early_help.disengagement_per_year = 0;
    scenario.early_help.step_up_per_year = 0;
    scenario.early_help.moved_away_per_year = 0;
    scenario.need.escalation_2_to_3_per_year = 365.25 / 2;  // two days on average at each level
    scenario.need.escalation_3_to_4_per_year = 365.25 / 2;
    scenario.need.toxic_trio_share = 0;
    scenario.social_care.referral_no_further_action = 0;
    Components model(scenario);
    const std::uint32_t team = model.teams.team_for(0, Role::family_support);
    const std::uint32_t allocated = model.family(NeedLevel::additional);
    const std::uint32_t waiting = model.family(NeedLevel::additional);
    model.allocation.request_early_help(allocated);
    model.allocation.request_early_help(waiting);
    ASSERT_EQ(model.families[waiting].state, FamilyState::waiting_for_lead_professional);
    std::vector<NeedLevel> levels;
    while (model.families[waiting].state == FamilyState::waiting_for_lead_professional && model.now() < 100) {
        for (const EventKind kind : model.run_until(model.now() + 0.01))
            if (kind == EventKind::escalates_while_waiting) levels.push_back(model.families[waiting].level);
    }
    EXPECT_EQ(levels, (std::vector<NeedLevel>{NeedLevel::targeted, NeedLevel::statutory}));
    EXPECT_EQ(model.teams[team].line.size(), 0u) << "the referred family left the line";
    EXPECT_EQ(model.families[waiting].level, NeedLevel::statutory);
    EXPECT_TRUE(model.families[waiting].state == FamilyState::social_care_assessment ||
                model.families[waiting].state == FamilyState::waiting_for_social_worker);
    const double children = model.families[waiting].children;
    EXPECT_EQ(model.tally(referrals_escalated_while_waiting), children);
    EXPECT_EQ(model.tally(social_care_referrals), children);
    EXPECT_EQ(model.tally(referrals_via_front_door) + model.tally(referrals_stepped_up_from_early_help), 0.0);
    // Under assessment: an episode is counted started (as DfE does) only once the assessment finds the need.
    EXPECT_EQ(model.tally(children_in_need_started), 0.0);
    EXPECT_EQ(model.families[allocated].state, FamilyState::early_help_case);
}

// The month's social-care stocks read only the families in social care: the list kept as states change must
// be exactly those a scan of every record finds, in record order, through arrivals, moves, leavings and reuse.
TEST(Families, TheListOfThoseInSocialCareIsWhatAScanOfEveryRecordFinds) {
    Components model(minimal());
    kernel::RandomEngine random(5);
    std::vector<std::uint32_t> present;
    std::size_t largest = 0;
    for (int step = 0; step < 20000; ++step) {
        const double draw = random.uniform();
        if (present.empty() || draw < 0.2) {
            present.push_back(model.family(NeedLevel::targeted));
        } else if (draw < 0.3) {
            const std::size_t which = random() % present.size();
            model.families.leave(present[which]);
            present.erase(present.begin() + static_cast<std::ptrdiff_t>(which));
        } else {
            const auto state = static_cast<FamilyState>(random() % kFamilyStates);
            model.families.set_state(present[random() % present.size()], state);
        }
        if (step % 500 != 0) continue;
        std::vector<std::uint32_t> scanned, listed;
        for (std::uint32_t index = 0; index < model.families.records(); ++index)
            if (model.families[index].active && in_social_care(model.families[index].state)) scanned.push_back(index);
        model.families.for_each_in_social_care([&](std::uint32_t index, const Family& family) {
            EXPECT_EQ(&family, &model.families[index]);
            listed.push_back(index);
        });
        ASSERT_EQ(listed, scanned) << "after step " << step;
        largest = std::max(largest, scanned.size());
    }
    EXPECT_GT(largest, 100u);  // the list was exercised, not empty throughout
}

}  // namespace
}  // namespace ehsim::model
