// The whole Early Help model's cost: one replication of a scenario on one thread, scaled to a number of children,
// with or without the statutory pathway. Prints events, wall time, events per second and peak memory.
//
//   whole_model SCENARIO [CHILDREN [with|without]]
//
// CHILDREN (default: the scenario's own) scales every locality's children, every team's FTE and both front doors'
// screeners alike, so that the system's load per child stays the scenario's. "without" the statutory pathway:
// every referral to social care closes with no further action and is not referred again, so no assessment,
// enquiry, plan or period of care is ever simulated (contacts still reach the front door and are triaged).
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace {

double children_of(const ehsim::model::Scenario& scenario) {
    double children = 0;
    for (const auto& locality : scenario.localities) children += locality.children.total();
    return children;
}

void scale(ehsim::model::Scenario& scenario, double factor) {
    for (auto& locality : scenario.localities) {
        auto& bands = locality.children;
        for (double* band : {&bands.age_0_to_4, &bands.age_5_to_10, &bands.age_11_to_15, &bands.age_16_to_19})
            *band *= factor;
    }
    for (auto& team : scenario.teams) team.fte *= factor;
    scenario.front_door.social_care_front_door.screeners *= factor;
    scenario.front_door.early_help_hub.screeners *= factor;
    scenario.children_aged_0_to_17 *= factor;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr, "usage: whole_model SCENARIO [CHILDREN [with|without]]\n");
        return 2;
    }
    try {
        ehsim::model::Scenario scenario = ehsim::scenario::load_scenario_file(argv[1]);
        const double own = children_of(scenario);
        const double children = argc >= 3 ? std::atof(argv[2]) : own;
        if (!(children > 0)) throw std::runtime_error("CHILDREN must be a positive number");
        scale(scenario, children / own);
        const std::string pathway = argc == 4 ? argv[3] : "with";
        if (pathway == "without") {
            scenario.social_care.referral_no_further_action = 1.0;
            scenario.social_care.referred_again_probability = 0.0;
        } else if (pathway != "with") {
            throw std::runtime_error("the third argument is 'with' or 'without' (the statutory pathway)");
        }
        const auto started = std::chrono::steady_clock::now();
        const ehsim::model::ReplicationResult result =
            ehsim::model::EarlyHelpModel(scenario, ehsim::kernel::RandomStreams(1), 0).run();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        std::printf(
            "%s, %.0f children, %s the statutory pathway, %.4g years (with the warm-up): %llu events in %.3f s, "
            "%.3g events/s, peak RSS %ld KB\n",
            scenario.name.c_str(), children, pathway.c_str(), scenario.time.warm_up_years + scenario.time.horizon_years,
            static_cast<unsigned long long>(result.events), seconds, static_cast<double>(result.events) / seconds,
            usage.ru_maxrss);
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "whole_model: %s\n", error.what());
        return 1;
    }
}
