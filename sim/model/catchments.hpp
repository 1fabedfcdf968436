// Which site's catchment each family lives in, and so what it can reach: a pure function of the sites
// the run started with and the sites in force now.
#pragma once

#include <vector>

#include "sim/model/parameters.hpp"

namespace ehsim::model {

struct CatchmentSlice {
    double upper;  // families with catchment_position below this (and above the previous slice's)
    Access access;
};

// By locality (in `now`'s order): its sites' catchments in order of position.
using Catchments = std::vector<std::vector<CatchmentSlice>>;

// Each site's catchment gets the access its families have: their own site if it is a hub or a spoke; if it
// is closed, the journey to another hub in the locality, else a spoke there, else a hub in another
// locality, else nothing. `started_with` is the scenario the run started with, whose sites keep their
// families when a new site opens.
Catchments catchments_of(const Scenario& now, const Scenario& started_with);

// What a family at `position` in its locality can reach.
inline Access access_at(const Catchments& catchments, std::size_t locality, double position) {
    const auto& slices = catchments[locality];
    for (const CatchmentSlice& slice : slices)
        if (position < slice.upper) return slice.access;
    return slices.back().access;
}

}  // namespace ehsim::model
