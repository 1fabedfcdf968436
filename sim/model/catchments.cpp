#include "sim/model/catchments.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace ehsim::model {

namespace {

using Shares = std::vector<std::pair<std::string, double>>;

// A locality's shares in a list of sites: as given, or equal when none is given.
Shares shares_in(const std::vector<Site>& sites, const std::string& locality) {
    Shares shares;
    double total = 0;
    for (const Site& site : sites)
        if (site.locality == locality) {
            shares.emplace_back(site.name, site.catchment_share);
            total += site.catchment_share;
        }
    for (auto& [name, share] : shares) share = total > 0 ? share / total : 1.0 / static_cast<double>(shares.size());
    return shares;
}

std::size_t index_of_site(const std::vector<Site>& sites, const std::string& name) {
    std::size_t site = 0;
    while (sites[site].name != name) ++site;
    return site;
}

class AccessOfSites {
public:
    explicit AccessOfSites(const Scenario& now) : now_(now) {
        has_hub_.assign(now.localities.size(), false);
        has_spoke_.assign(now.localities.size(), false);
        for (const Site& site : now.sites) {
            const std::size_t locality = locality_of(site);
            if (site.type == SiteType::hub) has_hub_[locality] = any_hub_ = true;
            if (site.type == SiteType::spoke) has_spoke_[locality] = true;
        }
    }
    Access operator()(const std::string& name) const {
        const Site& site = now_.sites[index_of_site(now_.sites, name)];
        const std::size_t locality = locality_of(site);
        if (site.type == SiteType::hub) return access_hub;
        if (site.type == SiteType::spoke) return access_spoke;
        if (has_hub_[locality]) return access_hub_elsewhere;
        if (has_spoke_[locality]) return access_spoke;
        return nowhere();
    }
    Access nowhere() const { return any_hub_ ? access_hub_elsewhere : access_none; }

private:
    std::size_t locality_of(const Site& site) const {
        std::size_t locality = 0;
        while (now_.localities[locality].name != site.locality) ++locality;
        return locality;
    }
    const Scenario& now_;
    std::vector<bool> has_hub_, has_spoke_;
    bool any_hub_ = false;
};

// The sites the run started with divide the interval by their shares; a site opened later takes the same top
// fraction of every one of those catchments, so opening it moves families only into it, never between the old
// sites. Returns false (and nothing) if an old site's share has grown: then the locality is re-divided in order.
bool carve_opened_sites(const Shares& original, const Shares& now, const AccessOfSites& access,
                        std::vector<CatchmentSlice>& slices) {
    Shares opened;  // sites the run did not start with, and their shares
    double opened_total = 0;
    for (const auto& [site, share] : now) {
        // (the site is named outside the lambda: clang 14 cannot capture a structured binding)
        const auto& name = site;
        const bool was_there =
            std::any_of(original.begin(), original.end(), [&](const auto& old) { return old.first == name; });
        if (!was_there && share > 0) {
            opened.emplace_back(site, share);
            opened_total += share;
        }
    }
    if (original.empty()) return false;
    std::vector<double> kept;  // of each original catchment, the share its site keeps
    for (const auto& [site, share] : original) {
        double current = 0;
        for (const auto& [other, other_share] : now)
            if (other == site) current = other_share;
        kept.push_back(share > 0 ? current / share : 0.0);
        if (kept.back() > 1.0 + 1e-9) return false;
    }
    double from = 0;
    for (std::size_t i = 0; i < original.size(); ++i) {
        const double width = original[i].second;
        if (width <= 0) continue;
        const double keep = std::min(1.0, kept[i]);
        if (keep > 0) slices.push_back(CatchmentSlice{from + keep * width, access(original[i].first)});
        double upper = from + keep * width;
        for (const auto& [site, share] : opened) {
            upper += (1.0 - keep) * width * share / opened_total;
            slices.push_back(CatchmentSlice{upper, access(site)});
        }
        from += width;
    }
    return true;
}

}  // namespace

Catchments catchments_of(const Scenario& now, const Scenario& started_with) {
    const AccessOfSites access(now);
    Catchments catchments(now.localities.size());
    for (std::size_t locality = 0; locality < now.localities.size(); ++locality) {
        const std::string& name = now.localities[locality].name;
        const Shares original = shares_in(started_with.sites, name), current = shares_in(now.sites, name);
        auto& slices = catchments[locality];
        if (!carve_opened_sites(original, current, access, slices)) {
            slices.clear();
            double upper = 0;
            for (const auto& [site, share] : current)
                if (share > 0) slices.push_back(CatchmentSlice{upper += share, access(site)});
        }
        if (slices.empty()) slices.push_back(CatchmentSlice{1.0, access.nowhere()});
        slices.back().upper = 2.0;  // rounding in the shares never leaves a family outside every catchment
    }
    return catchments;
}

}  // namespace ehsim::model
