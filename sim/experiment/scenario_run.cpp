#include "sim/experiment/scenario_run.hpp"

#include "sim/cluster/cluster.hpp"
#include "sim/experiment/posterior_draws.hpp"
#include "sim/experiment/replication_bytes.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"

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
    const auto replicate = [&](std::uint64_t task) {
        const std::uint64_t replication = settings.first_replication + task;
        if (!draws.active()) return model::EarlyHelpModel(scenario_, streams, replication).run();
        model::Scenario drawn = draws.scenarios(replication).front();
        if (horizon_years_) drawn.time.horizon_years = *horizon_years_;
        return model::EarlyHelpModel(drawn, streams, replication).run();
    };
    if (settings.kept != nullptr)
        return settings.kept->run(settings.threads, replicate, replication_to_bytes, replication_from_bytes, done);
    if (done) done(0);
    // Spread over the job's ranks when there are several; only the manager gets the results back.
    return cluster::run_tasks(settings.replications, settings.threads, replicate, replication_to_bytes,
                              replication_from_bytes, false, done);
}

std::string ScenarioRun::identity(const RunSettings& settings) const {
    return "run\n" + settings_identity(settings) + files_identity({file_}) + scenario::resolved_yaml(scenario_);
}

std::string settings_identity(const RunSettings& settings) {
    return "seed " + std::to_string(settings.seed) + "\nreplications " + std::to_string(settings.replications) +
           "\nfirst " + std::to_string(settings.first_replication) + "\n" + files_identity({settings.posterior_file});
}

output::RunRecord ScenarioRun::record(const RunSettings& settings, const std::vector<model::ReplicationResult>& results,
                                      const std::vector<calibration::TargetsFile>& targets) const {
    output::RunRecord record =
        build_run_record(scenario_, file_, settings.seed, results, notes_, settings.posterior_file);
    add_published_figures(record, scenario_, results, targets);
    return record;
}

}  // namespace ehsim::experiment
