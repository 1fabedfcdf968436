#include "sim/model/families.hpp"

#include <algorithm>

namespace ehsim::model {

void Families::derive(const Scenario& parameters) {
    families_at_start_.clear();
    age_band_shares_.clear();
    extra_children_.clear();
    for (const Locality& place : parameters.localities) {
        const double children = place.children.total();
        families_at_start_.push_back(children / place.children_per_family);
        const double safe_children = children > 0 ? children : 1.0;
        age_band_shares_.push_back(
            {place.children.age_0_to_4 / safe_children, place.children.age_5_to_10 / safe_children,
             place.children.age_11_to_15 / safe_children, place.children.age_16_to_19 / safe_children});
        extra_children_.emplace_back(std::max(place.children_per_family - 1.0, 1e-9));
    }
    arrivals_in_locality_.resize(parameters.localities.size(), 0);
}

std::uint32_t Families::arrive(std::uint32_t locality, NeedLevel level) {
    std::uint32_t index;
    if (free_family_ != std::numeric_limits<std::uint32_t>::max()) {
        index = free_family_;
        free_family_ = families_[index].next_free;
        // The next arrival takes that record: start loading it now (a record freed long ago is cold).
        prefetch(true, free_family_);  // nothing when the list is now empty
    } else {
        index = static_cast<std::uint32_t>(families_.size());
        families_.emplace_back();
        if (index % 64 == 0) in_social_care_.push_back(0);
    }
    Family& family = families_[index];
    family = Family{};
    // The stream is keyed by the locality and the family's arrival number there, which do not depend
    // on capacity: a family keeps its draws in every option that shares the scenario's demand.
    family.random = context_->streams.stream(context_->replication, "family",
                                             (std::uint64_t{locality} << 40) | arrivals_in_locality_[locality]++);
    family.locality = locality;
    family.level = level;
    draw_children(family);
    family.state = FamilyState::hidden_need;
    family.active = true;
    ++by_state_[static_cast<int>(FamilyState::hidden_need)];
    ++entered_;
    context_->ledger.count(Tally::families_entered);
    return index;
}

void Families::draw_children(Family& family) {
    family.children =
        static_cast<std::uint16_t>(1 + std::min<long>(extra_children_[family.locality](family.random), 20));
    // Each child's age band is drawn from the locality's children by age.
    const auto& bands = age_band_shares_[family.locality];
    for (int child = 0; child < family.children; ++child) {
        const double draw = family.random.uniform();
        if (draw < bands[0]) {
            family.has_under_five = true;
        } else {
            family.has_school_age = true;
            if (draw >= bands[0] + bands[1]) family.has_teenager = true;
        }
    }
    family.toxic_trio = family.random.uniform() < context_->parameters->need.toxic_trio_share;
    // Where in the locality the family lives, as a position along its catchments: the nearest site
    // follows from the catchment shares in force, so it moves when a site opens or shares change.
    family.catchment_position = static_cast<float>(family.random.uniform());
}

void Families::leave(std::uint32_t index) {
    Family& family = families_[index];
    --by_state_[static_cast<int>(family.state)];
    if (in_social_care(family.state)) mark_in_social_care(index, false);
    ++left_;
    context_->ledger.count(Tally::families_left);
    family.active = false;
    family.next_free = free_family_;
    free_family_ = index;
}

void Families::set_state(std::uint32_t index, FamilyState state) {
    Family& family = families_[index];
    --by_state_[static_cast<int>(family.state)];
    ++by_state_[static_cast<int>(state)];
    if (in_social_care(state) != in_social_care(family.state)) mark_in_social_care(index, in_social_care(state));
    family.state = state;
}

}  // namespace ehsim::model
