// Need and families: need arising in each locality, contacts about families with no additional need, hidden
// need (found by a touchpoint, escalating or resolving on its own), and need that returns after a closure.
// Rates follow the population, which grows from the start date.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/catchments.hpp"
#include "sim/model/families.hpp"
#include "sim/model/model_context.hpp"

namespace ehsim::model {

class FrontDoor;

class Need {
public:
    Need() = default;
    Need(ModelContext* context, std::size_t localities);
    void rewire(ModelContext* context, Families* families, const Catchments* catchments, FrontDoor* front_door) {
        std::tie(context_, families_, catchments_, front_door_) = std::tie(context, families, catchments, front_door);
    }

    // The first arrivals of every locality (when the run starts).
    void start();
    // Parameters change on `now`: growth compounds from here at the new rate.
    void parameters_changing(const Scenario& next);
    // The population and the incidence of new need this month; set at each month's start.
    void update_population() {
        population_factor_ = population_factor_now();
        incidence_factor_ = incidence_factor_now();
    }
    double population_factor() const { return population_factor_; }
    // The next arrival of each locality at its current rate. With `only_changed`, a locality whose rate is
    // unchanged keeps its pending arrival (and so its draws).
    void redraw_arrivals(bool only_changed);
    // Redraws the next change of every hidden family whose hazards changed.
    void redraw_hidden_need();

    // Event handlers.
    void need_arises(std::uint32_t locality);
    void universal_concern(std::uint32_t locality);
    void hidden_need_changes(std::uint32_t family);
    void need_returns(std::uint32_t family);

    // The family's need is (again) unknown to services: its next change is drawn.
    void back_to_hidden_need(std::uint32_t family);
    // After a closure: with `probability` the need comes back after a delay (mean `mean_delay_days`), else
    // the family leaves.
    void schedule_return(std::uint32_t family, double probability, double mean_delay_days);
    void schedule_return(std::uint32_t family, double mean_delay_days);

    Access access_of(const Family& family) const {
        return access_at(*catchments_, family.locality, family.catchment_position);
    }
    kernel::RandomEngine& concern_stream(std::uint32_t locality) { return concern_streams_[locality]; }
    // Hazard per day that the family's unmet need rises a level (0 at level 4).
    double escalation_rate(const Family& family) const;

private:
    double population_factor_now() const;
    double incidence_factor_now() const;
    double new_need_rate(std::uint32_t locality) const;
    double universal_concern_rate(std::uint32_t locality) const;
    void schedule_new_need(std::uint32_t locality);
    void schedule_universal_concern(std::uint32_t locality);
    void schedule_hidden_need(std::uint32_t family);
    double touchpoint_contacts_per_year(const Family& family, const Touchpoint& touchpoint) const;
    double identification_rate(const Family& family) const;
    double resolution_rate(const Family& family) const;
    void identified(std::uint32_t family);

    ModelContext* context_ = nullptr;
    Families* families_ = nullptr;
    const Catchments* catchments_ = nullptr;
    FrontDoor* front_door_ = nullptr;
    double population_factor_ = 1.0;                        // population relative to the start date, this month
    double growth_from_day_ = -1, growth_from_factor_ = 1;  // growth compounds from here (-1: the start date)
    double incidence_factor_ = 1.0;                         // incidence of new need relative to the start date
    double trend_from_day_ = -1, trend_from_factor_ = 1;    // the incidence trend compounds from here
    std::vector<kernel::RandomEngine> arrival_streams_;     // by locality
    std::vector<kernel::EventHandle> next_arrival_;
    std::vector<kernel::RandomEngine> concern_streams_;  // by locality
    std::vector<kernel::EventHandle> next_concern_;
    std::vector<double> arrival_rate_, concern_rate_;  // rates of the pending arrivals, by locality
};

}  // namespace ehsim::model
