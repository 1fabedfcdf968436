#include "sim/experiment/scenario_run.hpp"

#include <atomic>

#include "sim/experiment/posterior_draws.hpp"
#include "sim/kernel/replications.hpp"
#include "sim/scenario/option_loader.hpp"

namespace ehsim::experiment {

ScenarioRun::ScenarioRun(const std::string& scenario_file, std::optional<double> horizon_years)
    : file_(scenario_file),
      horizon_years_(horizon_years),
      scenario_(scenario::load_scenario_or_option_file(scenario_file)),
      notes_(read_scenario_notes(scenario_file, true)) {
    if (horizon_years_) scenario_.time.horizon_years = *horizon_years_;
}

std::vector<model::ReplicationResult> ScenarioRun::replications(const RunSettings& settings,
                                                                const ReplicationsDone& done) const {
    const kernel::RandomStreams streams(settings.seed);
    const ParameterDraws draws(settings.posterior_file, {file_}, streams);
    std::atomic<std::uint64_t> finished{0};
    const auto tell = [&](model::ReplicationResult result) {
        if (done) done(++finished);
        return result;
    };
    if (done) done(0);
    return kernel::run_replications(settings.replications, settings.threads, [&](std::uint64_t replication) {
        if (!draws.active()) return tell(model::EarlyHelpModel(scenario_, streams, replication).run());
        model::Scenario drawn = draws.scenarios(replication).front();
        if (horizon_years_) drawn.time.horizon_years = *horizon_years_;
        return tell(model::EarlyHelpModel(drawn, streams, replication).run());
    });
}

output::RunRecord ScenarioRun::record(const RunSettings& settings, const std::vector<model::ReplicationResult>& results,
                                      const std::vector<calibration::TargetsFile>& targets) const {
    output::RunRecord record =
        build_run_record(scenario_, file_, settings.seed, results, notes_, settings.posterior_file);
    add_published_figures(record, scenario_, results, targets);
    return record;
}

}  // namespace ehsim::experiment
