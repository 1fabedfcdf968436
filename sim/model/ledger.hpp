// The monthly ledger of one replication: flows counted as they happen, stocks and time integrals read
// at each month's end, and costs made from them. It knows months and tallies, not families: components
// tell it what happened and it files it under the reported month now running.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/kernel/statistics.hpp"
#include "sim/model/indicators.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::model {

// What one replication counted, month by month over the reported horizon.
struct ReplicationResult {
    int months = 0;
    int localities = 0;
    std::vector<double> tallies;           // [kTallies][months]
    std::vector<double> locality_tallies;  // [kLocalityTallies][localities][months]
    std::uint64_t families_entered = 0;
    std::uint64_t families_left = 0;
    std::uint64_t events = 0;
    std::uint64_t trajectory_fingerprint = 0;

    double tally(Tally tally, int month) const { return tallies[index(tally, month)]; }
    double locality_tally(LocalityTally tally, int locality, int month) const {
        return locality_tallies[index(tally, locality, month)];
    }
    double& tally(Tally tally, int month) { return tallies[index(tally, month)]; }
    double& locality_tally(LocalityTally tally, int locality, int month) {
        return locality_tallies[index(tally, locality, month)];
    }

private:
    std::size_t index(Tally tally, int month) const {
        return static_cast<std::size_t>(tally) * static_cast<std::size_t>(months) + static_cast<std::size_t>(month);
    }
    std::size_t index(LocalityTally tally, int locality, int month) const {
        return (static_cast<std::size_t>(tally) * static_cast<std::size_t>(localities) +
                static_cast<std::size_t>(locality)) *
                   static_cast<std::size_t>(months) +
               static_cast<std::size_t>(month);
    }
};

// Stocks read at a month's end from the components that hold them.
struct MonthEndStocks {
    std::array<double, kPriorities> waiting_for_lead_professional{};
    double waiting_for_social_worker = 0;
    double single_agency_open = 0;
    double hidden_need_families = 0;
    double families_in_system = 0;
    double children_population = 0;
    double children_awaiting_assessment = 0;
    std::array<double, 5> protection_by_time_on_plan{};  // DfE's bands: up to 3 months, 3-6, 6-12, 1-2 years, 2+
    double social_work_cases = 0;                        // children
    double social_worker_fte = 0;
    struct LocalityStocks {
        double waiting = 0, caseload_places_in_use = 0, caseload_places = 0;
    };
    std::vector<LocalityStocks> localities;
};

class Ledger {
public:
    Ledger() = default;
    Ledger(int warm_up_months, int reported_months, std::size_t localities);

    // The reported month now running, or -1 in the warm-up. A month's flows are those counted before its
    // month-end event (kept rather than searched for: it is read on every count).
    int current_month() const {
        const int reported = month_index_ - warm_up_months_;
        return reported >= 0 && reported < reported_months_ ? reported : -1;
    }

    void count(Tally tally, double amount = 1.0) {
        const int month = current_month();
        if (month >= 0) result_.tally(tally, month) += amount;
    }
    void count_in_locality(LocalityTally tally, std::uint32_t locality, double amount = 1.0) {
        const int month = current_month();
        if (month >= 0) result_.locality_tally(tally, static_cast<int>(locality), month) += amount;
    }
    // Credits the cohort of `event_month` (a closure or a step-down) once, if `now` is within 12 months of
    // that event.
    void count_cohort_once(bool& counted, double now, double event_day, int event_month, Tally tally);

    // Open early-help cases by the lead's role.
    void change_early_help_open(double now, Role role, std::uint32_t locality, double change);
    // Children in an open episode of need (from referral to closure), and children on each kind of plan.
    void change_children_in_need(std::uint32_t locality, double children);
    void change_children_in_care(double now, CareType care, double children);
    void record_staffing(double now, double family_support_places, const std::array<double, kRoles>& fte_by_role);
    // Running costs a year of the sites open from now on.
    void record_sites(double now, double running_cost_per_year) {
        site_running_cost_.update(now, running_cost_per_year);
    }

    // Files month `month_from_start`'s stocks, areas and costs (when it is reported) and opens the next month.
    void close_month(double now, int month_from_start, const MonthEndStocks& stocks, const CostParameters& costs);

    const ReplicationResult& result() const { return result_; }
    ReplicationResult& result() { return result_; }

private:
    void record_costs(double now, int month, const CostParameters& costs);

    int warm_up_months_ = 0;
    int reported_months_ = 0;
    int month_index_ = 0;  // calendar month now running, from the start of the warm-up
    ReplicationResult result_;

    // Time-weighted quantities for costs and caseloads: early-help cases by lead role, children in care by type,
    // family support places and FTE, and the running cost a year of the open sites.
    std::array<kernel::TimeWeightedAverage, kRoles> cases_by_role_{};
    std::array<kernel::TimeWeightedAverage, kCareTypes> children_in_care_{};
    kernel::TimeWeightedAverage family_support_places_;
    kernel::TimeWeightedAverage site_running_cost_;
    std::array<kernel::TimeWeightedAverage, kRoles> staff_fte_by_role_{};
    std::array<double, kCareTypes> children_in_care_now_{};
    double children_in_need_now_ = 0;
    std::vector<double> early_help_open_by_locality_, children_in_need_by_locality_;
    double early_help_open_ = 0;
};

}  // namespace ehsim::model
