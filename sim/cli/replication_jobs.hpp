// What `run` and `compare` share on the command line for jobs of many replications: a shard of the job
// (--shard K/N) and the checkpoint a stopped job resumes from (--checkpoint, --resume).
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/experiment/design_shards.hpp"
#include "sim/experiment/scenario_run.hpp"

namespace ehsim::cli {

// `--shard K/N`: which shard of the job this process runs (count 0: the whole job).
struct Shard {
    std::uint64_t index = 0, count = 0;
};

// Throws UsageError("<command>: --shard ... is not K/N ...") unless `text` is K/N with 1 <= K <= N.
Shard parse_shard(const std::string& command, const std::string& text);

// ".shard-K-of-N" for a shard's default file name ("" for the whole job).
std::string shard_suffix(const Shard& shard);

// Narrows `settings` (the whole job's `replications`) to the shard's replications; a shard holding none is a
// usage error.
void restrict_to_shard(experiment::RunSettings& settings, const Shard& shard, const std::string& command,
                       const std::string& shard_text);

// --shard, --checkpoint and --resume, into `shard_text` and `checkpoint`.
void add_job_options(boost::program_options::options_description& options, std::string& shard_text,
                     std::string& checkpoint);

// The checkpoint of a job writing `out` (`checkpoint`, or "<out>.checkpoint"), named on interruption; says on
// standard error, unless `quiet`, how many replications it kept when resumed (on the manager).
std::string job_checkpoint(const std::string& checkpoint, const std::string& out);
void say_what_was_kept(const experiment::KeptTasks& kept, std::uint64_t replications, const std::string& checkpoint,
                       bool quiet);

// A fixed design's --shard K/N or --from-shards FILE... (sensitivity, calibrate): the request, a shard's file being
// `out`, by default out/<set-up's stem>-<kind>.shard-K-of-N. `only_whole` names options a shard cannot take, if given.
experiment::DesignShardRequest design_shard_request(const std::string& command, const std::string& shard_text,
                                                    const std::vector<std::string>& from_shards,
                                                    const std::string& setup_file, const std::string& kind,
                                                    std::string& out, const std::string& only_whole);

// A shard's one line: "Shard K/N: <what> a to b of total -> file" (on the manager).
void say_shard_written(const experiment::DesignShardRequest& request, const std::string& what, std::uint64_t first,
                       std::uint64_t end, std::uint64_t total);

}  // namespace ehsim::cli
