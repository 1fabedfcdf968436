// What `run` and `compare` share on the command line for jobs of many replications: a shard of the job
// (--shard K/N) and the checkpoint a stopped job resumes from (--checkpoint, --resume).
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>

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

}  // namespace ehsim::cli
