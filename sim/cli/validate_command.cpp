// `ehsim validate`: checks a scenario file and prints what it resolves to.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "sim/cli/commands.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::cli {

namespace po = boost::program_options;

namespace {

void print_summary(const model::Scenario& scenario, const std::string& file) {
    double children = 0.0;
    for (const auto& locality : scenario.localities) children += locality.children.total();
    std::printf("%s: valid\n\n", file.c_str());
    std::printf("scenario      %s (%s)\n", scenario.name.c_str(), scenario.council.c_str());
    std::printf("reported      %s for %.4g years, after %.4g years' warm-up\n", scenario.time.start_date.c_str(),
                scenario.time.horizon_years, scenario.time.warm_up_years);
    std::printf("localities    %zu, %.0f children\n", scenario.localities.size(), children);
    for (const auto& locality : scenario.localities)
        std::printf("  %-24s %8.0f children, deprivation %.2f%s\n", locality.name.c_str(), locality.children.total(),
                    locality.deprivation_index,
                    locality.health_visitors_co_located ? ", health visitors co-located" : "");
    std::printf("sites         %zu\n", scenario.sites.size());
    for (const auto& site : scenario.sites) {
        std::printf("  %-32s %-6s in %s", site.name.c_str(), model::to_string(site.type), site.locality.c_str());
        if (site.catchment_share > 0)
            std::printf(", nearest site for %.0f%% of its families", 100 * site.catchment_share);
        std::printf("\n");
    }
    std::printf("teams         %zu\n", scenario.teams.size());
    for (const auto& team : scenario.teams)
        std::printf("  %-16s %-17s %6.1f FTE x %4.1f = %4.0f caseload slots\n", team.locality.c_str(),
                    model::to_string(team.role), team.fte, team.caseload_per_fte, team.fte * team.caseload_per_fte);
    std::printf("touchpoints   %zu\n", scenario.identification.touchpoints.size());
    std::printf("changes       %zu\n", scenario.changes.size());
    for (const auto& change : scenario.changes) {
        if (!change.site.empty())
            std::printf("  %s: %s becomes %s\n", change.date.c_str(), change.site.c_str(),
                        model::to_string(change.site_becomes));
        else
            std::printf("  %s: %s %s team to %.1f FTE\n", change.date.c_str(), change.team_locality.c_str(),
                        model::to_string(change.team_role), change.team_fte);
    }
    if (!scenario.parameter_changes.empty()) {
        std::printf("option        %zu dates with changes\n", scenario.parameter_changes.size());
        for (const auto& change : scenario.parameter_changes)
            std::printf("  %s: %s\n", change.date.c_str(), change.description.c_str());
    }
}

}  // namespace

int validate_command(const std::vector<std::string>& arguments) {
    std::string file;
    po::options_description options("Options of 'ehsim validate'");
    options.add_options()("help,h", "show this help and exit")(
        "resolved", "print the resolved scenario (every key, defaults filled in) as YAML")(
        "reference", "print the scenario reference (docs/scenario-reference.md) and exit");
    const po::variables_map values = parse_command_line("validate", arguments, options, &file);
    if (values.count("help")) {
        std::cout << "Usage: ehsim validate SCENARIO [--resolved]\n       ehsim validate --reference\n\n"
                     "Checks a scenario file: every error names the file, line, column and key.\n\n"
                  << options;
        return 0;
    }
    if (values.count("reference")) {
        std::cout << scenario::reference_markdown();
        return 0;
    }
    if (file.empty()) throw UsageError("validate: no scenario file given");
    const model::Scenario scenario = scenario::load_scenario_or_option_file(file);
    if (values.count("resolved")) {
        // An option: the parameters in force at the end of the horizon, after every change.
        for (const auto& change : scenario.parameter_changes)
            std::cout << "# from " << change.date << ": " << change.description << "\n";
        std::cout << scenario::resolved_yaml(
            scenario.parameter_changes.empty() ? scenario : *scenario.parameter_changes.back().parameters);
    } else
        print_summary(scenario, file);
    return 0;
}

}  // namespace ehsim::cli
