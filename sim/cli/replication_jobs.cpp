#include "sim/cli/replication_jobs.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "sim/cli/commands.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cluster/cluster.hpp"
#include "sim/experiment/shards.hpp"

namespace ehsim::cli {

Shard parse_shard(const std::string& command, const std::string& text) {
    Shard shard;
    const auto slash = text.find('/');
    const auto whole = [](const std::string& digits, std::uint64_t& value) {
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return !digits.empty() && error == std::errc() && end == digits.data() + digits.size();
    };
    if (slash == std::string::npos || !whole(text.substr(0, slash), shard.index) ||
        !whole(text.substr(slash + 1), shard.count) || shard.index < 1 || shard.index > shard.count)
        throw UsageError(command + ": --shard '" + text + "' is not K/N with 1 <= K <= N (e.g. 3/10)");
    return shard;
}

std::string shard_suffix(const Shard& shard) {
    return shard.count ? ".shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count) : "";
}

void restrict_to_shard(experiment::RunSettings& settings, const Shard& shard, const std::string& command,
                       const std::string& shard_text) {
    if (shard.count == 0) return;
    const auto range = experiment::shard_range(settings.replications, shard.index, shard.count);
    if (range.count == 0)
        throw UsageError(command + ": shard " + shard_text + " of " + std::to_string(settings.replications) +
                         " replications holds none: use fewer shards");
    settings.first_replication = range.first;
    settings.replications = range.count;
}

void add_job_options(boost::program_options::options_description& options, std::string& shard_text,
                     std::string& checkpoint) {
    namespace po = boost::program_options;
    options.add_options()("shard", po::value(&shard_text),
                          "K/N: run only the K-th of N equal parts of the replications (a job array's task); `ehsim "
                          "merge` joins the N files into the one a single process writes")(
        "checkpoint", po::value(&checkpoint),
        "where finished replications are kept while the job runs, removed once the results are written (default: "
        "<out>.checkpoint)")("resume",
                             "go on from the checkpoint of a stopped job to the file an uninterrupted one writes");
}

std::string job_checkpoint(const std::string& checkpoint, const std::string& out) {
    const std::string path = checkpoint.empty() ? out + ".checkpoint" : checkpoint;
    name_checkpoint_on_interruption(path, "the same command with --resume goes on from it to the same result");
    return path;
}

void say_what_was_kept(const experiment::KeptTasks& kept, std::uint64_t replications, const std::string& checkpoint,
                       bool quiet) {
    if (kept.kept() == 0 || quiet || !cluster::is_manager()) return;
    std::fprintf(stderr, "resuming: %llu of %llu replications kept in %s\n",
                 static_cast<unsigned long long>(kept.kept()), static_cast<unsigned long long>(replications),
                 checkpoint.c_str());
}

experiment::DesignShardRequest design_shard_request(const std::string& command, const std::string& shard_text,
                                                    const std::vector<std::string>& from_shards,
                                                    const std::string& setup_file, const std::string& kind,
                                                    std::string& out, const std::string& only_whole) {
    experiment::DesignShardRequest request;
    if (!shard_text.empty() && !from_shards.empty())
        throw UsageError(command + ": --shard runs a shard and --from-shards joins them: give one");
    if (!shard_text.empty() && !only_whole.empty())
        throw UsageError(command + ": a shard writes only its part of the design: " + only_whole +
                         " go without --shard");
    request.from_shards = from_shards;
    if (shard_text.empty()) return request;
    const Shard shard = parse_shard(command, shard_text);
    request.shard_index = shard.index;
    request.shard_count = shard.count;
    if (out.empty())
        out = "out/" + std::filesystem::path(setup_file).stem().string() + "-" + kind + shard_suffix(shard);
    request.shard_file = out;
    return request;
}

void say_shard_written(const experiment::DesignShardRequest& request, const std::string& what, std::uint64_t first,
                       std::uint64_t end, std::uint64_t total) {
    if (!cluster::is_manager()) return;
    std::printf(
        "Shard %llu/%llu: %s %llu to %llu of %llu -> %s\n", static_cast<unsigned long long>(request.shard_index),
        static_cast<unsigned long long>(request.shard_count), what.c_str(), static_cast<unsigned long long>(first + 1),
        static_cast<unsigned long long>(end), static_cast<unsigned long long>(total), request.shard_file.c_str());
}

}  // namespace ehsim::cli
