#include "sim/model/need.hpp"

#include <cmath>

#include "sim/model/front_door.hpp"
#include "sim/model/random_times.hpp"

namespace ehsim::model {

Need::Need(ModelContext* context, std::size_t localities) : context_(context) {
    for (std::size_t locality = 0; locality < localities; ++locality) {
        arrival_streams_.push_back(context->streams.stream(context->replication, "new need", locality));
        concern_streams_.push_back(context->streams.stream(context->replication, "universal concerns", locality));
    }
    next_arrival_.assign(localities, kernel::EventHandle{});
    next_concern_.assign(localities, kernel::EventHandle{});
    arrival_rate_.assign(localities, 0.0);
    concern_rate_.assign(localities, 0.0);
}

void Need::start() {
    update_population();
    for (std::uint32_t locality = 0; locality < arrival_streams_.size(); ++locality) {
        schedule_new_need(locality);
        schedule_universal_concern(locality);
    }
}

void Need::parameters_changing(const Scenario& next) {
    if (next.need.population_growth_per_year != context_->parameters->need.population_growth_per_year) {
        growth_from_factor_ = population_factor_now();
        growth_from_day_ = context_->now();
    }
    if (next.need.incidence_trend_per_year != context_->parameters->need.incidence_trend_per_year) {
        trend_from_factor_ = incidence_factor_now();
        trend_from_day_ = context_->now();
    }
}

// The scenario's population is the one on the start date; it grows (or shrinks) from there, so the warm-up
// sees a slightly smaller population with positive growth. Growth compounds from the start date, or from the
// day a parameter change brought a new rate, from the population reached by then. Set once a month: rates
// are piecewise constant by month.
double Need::population_factor_now() const {
    const double growth_from =
        growth_from_day_ < 0 ? context_->calendar.month_start(context_->warm_up_months) : growth_from_day_;
    const double years = (context_->now() - growth_from) / kDaysPerYear;
    return growth_from_factor_ * std::pow(1.0 + context_->parameters->need.population_growth_per_year, years);
}

// New need per family changes at its own trend, compounding like the population's growth (from the start date,
// or from a change of trend); the population, and so the rates' denominator, does not follow it.
double Need::incidence_factor_now() const {
    const double trend_from =
        trend_from_day_ < 0 ? context_->calendar.month_start(context_->warm_up_months) : trend_from_day_;
    const double years = (context_->now() - trend_from) / kDaysPerYear;
    return trend_from_factor_ * std::pow(1.0 + context_->parameters->need.incidence_trend_per_year, years);
}

double Need::new_need_rate(std::uint32_t locality) const {
    const NeedParameters& need = context_->parameters->need;
    const double per_family_per_day =
        (need.incidence_level_2_per_family_per_year + need.incidence_level_3_per_family_per_year +
         need.incidence_level_4_per_family_per_year) /
        kDaysPerYear;
    return families_->families_at_start(locality) * population_factor_ * incidence_factor_ *
           context_->parameters->localities[locality].deprivation_index * per_family_per_day;
}

double Need::universal_concern_rate(std::uint32_t locality) const {
    return families_->families_at_start(locality) * population_factor_ *
           context_->parameters->need.universal_contacts_per_family_per_year / kDaysPerYear;
}

void Need::schedule_new_need(std::uint32_t locality) {
    const double rate = new_need_rate(locality);
    arrival_rate_[locality] = rate;
    const double delay = exponential_time(arrival_streams_[locality], rate);
    if (std::isfinite(delay))
        next_arrival_[locality] = context_->schedule_cancellable_in(delay, EventKind::new_need, locality);
}

void Need::schedule_universal_concern(std::uint32_t locality) {
    const double rate = universal_concern_rate(locality);
    concern_rate_[locality] = rate;
    const double delay = exponential_time(concern_streams_[locality], rate);
    if (std::isfinite(delay))
        next_concern_[locality] = context_->schedule_cancellable_in(delay, EventKind::universal_concern, locality);
}

void Need::redraw_arrivals(bool only_changed) {
    for (std::uint32_t locality = 0; locality < arrival_streams_.size(); ++locality) {
        if (!only_changed || new_need_rate(locality) != arrival_rate_[locality]) {
            context_->simulation.cancel(next_arrival_[locality]);
            schedule_new_need(locality);
        }
        if (!only_changed || universal_concern_rate(locality) != concern_rate_[locality]) {
            context_->simulation.cancel(next_concern_[locality]);
            schedule_universal_concern(locality);
        }
    }
}

// Hidden need's hazards depend on access and on the parameters: redraw every hidden family's next change
// (memoryless, so exact), including families whose rates were zero and had nothing scheduled. Only families
// whose hazards changed are redrawn: the others keep their draws, which keeps an option on the same random
// numbers as its baseline wherever the option does not matter.
void Need::redraw_hidden_need() {
    for (std::uint32_t index = 0; index < families_->records(); ++index) {
        Family& family = (*families_)[index];
        if (!family.active || family.state != FamilyState::hidden_need) continue;
        if (identification_rate(family) == family.identification_per_day &&
            escalation_rate(family) == family.escalation_per_day &&
            resolution_rate(family) == family.resolution_per_day)
            continue;
        context_->simulation.cancel(family.pending);
        schedule_hidden_need(index);
    }
}

// A contact about a family with no additional need: counted and screened like any other, then closed with
// no further action; its screening time comes from the locality's concern stream.
void Need::universal_concern(std::uint32_t locality) {
    schedule_universal_concern(locality);
    const bool to_social_care =
        concern_streams_[locality].uniform() < context_->parameters->need.universal_contacts_share_to_social_care;
    front_door_->receive_concern(locality, to_social_care ? social_care_front_door : early_help_hub);
}

void Need::need_arises(std::uint32_t locality) {
    schedule_new_need(locality);
    const NeedParameters& need = context_->parameters->need;
    const double level_2 = need.incidence_level_2_per_family_per_year;
    const double level_3 = need.incidence_level_3_per_family_per_year;
    const double draw =
        arrival_streams_[locality].uniform() * (level_2 + level_3 + need.incidence_level_4_per_family_per_year);
    const NeedLevel level = draw < level_2             ? NeedLevel::additional
                            : draw < level_2 + level_3 ? NeedLevel::targeted
                                                       : NeedLevel::statutory;
    const std::uint32_t family = families_->arrive(locality, level);
    schedule_hidden_need(family);
}

// Contacts a year from one touchpoint for this family: 0 if it does not meet the family's children.
double Need::touchpoint_contacts_per_year(const Family& family, const Touchpoint& touchpoint) const {
    const Scenario& parameters = *context_->parameters;
    double contacts = touchpoint.contacts_per_family_per_year[level_index(family.level)];
    if (touchpoint.focus == AgeFocus::under_fives) {
        if (!family.has_under_five) return 0.0;
        if (parameters.localities[family.locality].health_visitors_co_located)
            contacts *= parameters.identification.co_located_health_visitor_factor;
    } else if (touchpoint.focus == AgeFocus::school_age && !family.has_school_age) {
        return 0.0;
    }
    if (touchpoint.is_self_referral)
        contacts *= parameters.identification.self_referral_factor_by_access[access_of(family)];
    return contacts;
}

double Need::identification_rate(const Family& family) const {
    double rate = 0.0;
    for (const Touchpoint& touchpoint : context_->parameters->identification.touchpoints)
        rate += touchpoint_contacts_per_year(family, touchpoint);
    return rate / kDaysPerYear;
}

double Need::escalation_rate(const Family& family) const {
    const NeedParameters& need = context_->parameters->need;
    double per_year = 0.0;
    if (family.level == NeedLevel::additional) per_year = need.escalation_2_to_3_per_year;
    if (family.level == NeedLevel::targeted) per_year = need.escalation_3_to_4_per_year;
    if (family.toxic_trio) per_year *= need.toxic_trio_escalation_factor;
    return per_year / kDaysPerYear;
}

double Need::resolution_rate(const Family& family) const {
    const NeedParameters& need = context_->parameters->need;
    if (family.level == NeedLevel::additional) return need.resolution_level_2_per_year / kDaysPerYear;
    if (family.level == NeedLevel::targeted) return need.resolution_level_3_per_year / kDaysPerYear;
    return 0.0;
}

// A family with hidden need faces three competing hazards: a touchpoint finds it, its need escalates, or
// its need resolves. The earliest is drawn now; which one it is, at the time.
void Need::schedule_hidden_need(std::uint32_t index) {
    Family& family = (*families_)[index];
    // Kept with the family: they change only with its level or its locality's access, and both redraw.
    family.identification_per_day = identification_rate(family);
    family.escalation_per_day = escalation_rate(family);
    family.resolution_per_day = resolution_rate(family);
    const double rate = family.identification_per_day + family.escalation_per_day + family.resolution_per_day;
    const double delay = exponential_time(family.random, rate);
    family.pending = std::isfinite(delay)
                         ? context_->schedule_cancellable_in(delay, EventKind::hidden_need_changes, index)
                         : kernel::EventHandle{};
}

void Need::back_to_hidden_need(std::uint32_t family) {
    families_->set_state(family, FamilyState::hidden_need);
    schedule_hidden_need(family);
}

void Need::hidden_need_changes(std::uint32_t index) {
    Family& family = (*families_)[index];
    const double identify = family.identification_per_day;
    const double escalate = family.escalation_per_day;
    const double resolve = family.resolution_per_day;
    const double draw = family.random.uniform() * (identify + escalate + resolve);
    if (draw < identify) {
        identified(index);
    } else if (draw < identify + escalate) {
        family.level = static_cast<NeedLevel>(static_cast<int>(family.level) + 1);
        schedule_hidden_need(index);
    } else {
        families_->leave(index);  // the need resolved on its own: back to the universal pool
    }
}

// Which touchpoint made the contact, in proportion to its rate, and to which front door.
void Need::identified(std::uint32_t index) {
    Family& family = (*families_)[index];
    double cumulative = 0.0;
    const double pick = family.random.uniform() * family.identification_per_day * kDaysPerYear;
    const Touchpoint* chosen = nullptr;
    for (const Touchpoint& touchpoint : context_->parameters->identification.touchpoints) {
        const double contacts = touchpoint_contacts_per_year(family, touchpoint);
        if (contacts <= 0.0) continue;
        cumulative += contacts;
        chosen = &touchpoint;
        if (pick < cumulative) break;
    }
    const bool to_social_care = chosen != nullptr && family.random.uniform() < chosen->share_to_social_care;
    front_door_->receive_contact(index, to_social_care ? social_care_front_door : early_help_hub);
}

void Need::schedule_return(std::uint32_t index, double probability, double mean_delay_days) {
    Family& family = (*families_)[index];
    if (family.random.uniform() >= probability) {
        families_->leave(index);
        return;
    }
    schedule_return(index, mean_delay_days);
}

void Need::schedule_return(std::uint32_t index, double mean_delay_days) {
    Family& family = (*families_)[index];
    families_->set_state(index, FamilyState::need_will_return);
    context_->schedule_in(kernel::Exponential(mean_delay_days)(family.random), EventKind::need_returns, index);
}

void Need::need_returns(std::uint32_t index) {
    Family& family = (*families_)[index];
    family.level =
        family.need_returns_at_level_4 ? NeedLevel::statutory : context_->parameters->returns.returning_level;
    family.need_returns_at_level_4 = false;
    back_to_hidden_need(index);
}

}  // namespace ehsim::model
