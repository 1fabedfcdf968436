#include "sim/model/ledger.hpp"

namespace ehsim::model {

namespace {
constexpr double kDaysPerYear = 365.25;
constexpr double kTwelveMonthsDays = 365.0;
}  // namespace

Ledger::Ledger(int warm_up_months, int reported_months, std::size_t localities)
    : warm_up_months_(warm_up_months), reported_months_(reported_months) {
    result_.months = reported_months;
    result_.localities = static_cast<int>(localities);
    result_.tallies.assign(static_cast<std::size_t>(kTallies) * static_cast<std::size_t>(reported_months), 0.0);
    result_.locality_tallies.assign(
        static_cast<std::size_t>(kLocalityTallies) * localities * static_cast<std::size_t>(reported_months), 0.0);
    early_help_open_by_locality_.assign(localities, 0.0);
    children_in_need_by_locality_.assign(localities, 0.0);
}

void Ledger::count_cohort_once(bool& counted, double now, double event_day, int event_month, Tally tally) {
    if (counted || now - event_day > kTwelveMonthsDays) return;
    counted = true;
    if (event_month >= 0) result_.tally(tally, event_month) += 1.0;
}

void Ledger::change_early_help_open(double now, Role role, std::uint32_t locality, double change) {
    cases_by_role_[static_cast<std::size_t>(role)].add(now, change);
    early_help_open_ += change;
    early_help_open_by_locality_[locality] += change;
}

void Ledger::change_children_in_need(std::uint32_t locality, double children) {
    children_in_need_now_ += children;
    children_in_need_by_locality_[locality] += children;
}

void Ledger::change_children_in_care(double now, CareType care, double children) {
    children_in_care_[care].add(now, children);
    children_in_care_now_[care] += children;
}

void Ledger::record_staffing(double now, double family_support_places, const std::array<double, kRoles>& fte_by_role) {
    family_support_places_.update(now, family_support_places);
    for (int role = 0; role < kRoles; ++role) staff_fte_by_role_[role].update(now, fte_by_role[role]);
}

void Ledger::close_month(double now, int month_from_start, const MonthEndStocks& stocks, const CostParameters& costs) {
    const int month = month_from_start - warm_up_months_;
    if (month >= 0) {
        auto set = [&](Tally tally, double value) { result_.tally(tally, month) = value; };
        set(waiting_red, stocks.waiting_for_lead_professional[red]);
        set(waiting_amber, stocks.waiting_for_lead_professional[amber]);
        set(waiting_green, stocks.waiting_for_lead_professional[green]);
        set(early_help_open, early_help_open_);
        set(waiting_for_social_worker_stock, stocks.waiting_for_social_worker);
        set(single_agency_open, stocks.single_agency_open);
        set(hidden_need_families, stocks.hidden_need_families);
        set(children_in_need, children_in_need_now_);
        set(children_awaiting_assessment, stocks.children_awaiting_assessment);
        set(children_on_protection_plans, children_in_care_now_[child_protection]);
        static constexpr Tally kTimeOnPlan[] = {protection_open_up_to_3_months, protection_open_3_to_6_months,
                                                protection_open_6_to_12_months, protection_open_1_to_2_years,
                                                protection_open_2_years_or_more};
        for (std::size_t band = 0; band < stocks.protection_by_time_on_plan.size(); ++band)
            set(kTimeOnPlan[band], stocks.protection_by_time_on_plan[band]);
        set(children_looked_after, children_in_care_now_[looked_after]);
        set(social_work_cases, stocks.social_work_cases);
        set(social_worker_fte, stocks.social_worker_fte);
        set(children_population, stocks.children_population);
        set(families_in_system, stocks.families_in_system);
        set(family_support_caseload_area, cases_by_role_[static_cast<int>(Role::family_support)].area(now));
        set(family_support_capacity_area, family_support_places_.area(now));
        set(family_support_fte_days, staff_fte_by_role_[static_cast<int>(Role::family_support)].area(now));
        record_costs(now, month, costs);
        for (std::size_t locality = 0; locality < stocks.localities.size(); ++locality) {
            auto at = [&](LocalityTally tally) -> double& {
                return result_.locality_tally(tally, static_cast<int>(locality), month);
            };
            at(locality_early_help_open) = early_help_open_by_locality_[locality];
            at(locality_children_in_need) = children_in_need_by_locality_[locality];
            at(locality_waiting) = stocks.localities[locality].waiting;
            at(locality_caseload_slots_in_use) = stocks.localities[locality].caseload_places_in_use;
            at(locality_caseload_slots) = stocks.localities[locality].caseload_places;
        }
    }
    for (auto& role : cases_by_role_) role.reset(now);
    for (auto& type : children_in_care_) type.reset(now);
    family_support_places_.reset(now);
    site_running_cost_.reset(now);
    for (auto& role : staff_fte_by_role_) role.reset(now);
    month_index_ = month_from_start + 1;
}

// Staff in post cost their pay whether or not their caseloads are full; cases cost by case-week of the lead
// professional's role, social care by child-week of each type of episode.
void Ledger::record_costs(double now, int month, const CostParameters& costs) {
    auto set = [&](Tally tally, double value) { result_.tally(tally, month) = value; };
    double staff_cost = 0.0;
    for (int role = 0; role < kRoles; ++role)
        staff_cost += staff_fte_by_role_[role].area(now) / kDaysPerYear * costs.per_fte_year_by_role[role].pounds;
    set(cost_staff, staff_cost);
    const double sites_cost = site_running_cost_.area(now) / kDaysPerYear;
    set(cost_sites, sites_cost);
    static constexpr Tally kCaseCost[kRoles] = {cost_family_support_cases,   cost_health_visitor_cases,
                                                cost_youth_worker_cases,     cost_social_worker_cases,
                                                cost_voluntary_sector_cases, cost_school_staff_cases};
    double case_cost = 0.0;
    for (int role = 0; role < kRoles; ++role) {
        const double cost = cases_by_role_[role].area(now) / 7.0 * costs.per_case_week_by_role[role].pounds;
        set(kCaseCost[role], cost);
        case_cost += cost;
    }
    set(cost_early_help_cases, case_cost);
    static constexpr Tally kCareCost[kCareTypes] = {cost_child_in_need, cost_child_protection, cost_looked_after};
    double care_cost = 0.0;
    for (int type = 0; type < kCareTypes; ++type) {
        const double cost = children_in_care_[type].area(now) / 7.0 * costs.per_episode_week[type].pounds;
        set(kCareCost[type], cost);
        care_cost += cost;
    }
    set(cost_social_care, care_cost);
    set(cost_all, staff_cost + sites_cost + result_.tally(cost_assessments, month) + case_cost + care_cost);
}

}  // namespace ehsim::model
