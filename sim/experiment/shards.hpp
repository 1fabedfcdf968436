// The shards of one `ehsim run` job (`--shard K/N`, e.g. the tasks of a Slurm job array) joined into the record
// one process running the whole job would have written.
#pragma once

#include <string>
#include <vector>

#include "output/results_reader.hpp"
#include "output/run_record.hpp"

namespace ehsim::experiment {

// Replications [first, first + count) of `replications` for shard `index` (1-based) of `count` shards: as equal as
// whole numbers allow, in order.
struct ShardRange {
    std::uint64_t first = 0, count = 0;
};
ShardRange shard_range(std::uint64_t replications, std::uint64_t index, std::uint64_t shards);

// A shard's metadata: shard `index` of `count`, from `first` of the job's `job_replications`.
output::RunMetadata shard_metadata(output::RunMetadata metadata, std::uint64_t index, std::uint64_t count,
                                   std::uint64_t first, std::uint64_t job_replications);

// `shards` read from `files` (same order) into one record: every shard 1..N of the same job exactly once (same
// scenario, seed, replications, posterior, dates and ehsim), concatenated in replication order, created when the
// newest shard was. Throws std::runtime_error naming the file and what does not fit.
output::RunRecord merge_shards(std::vector<output::RunRecord> shards, const std::vector<std::string>& files);

// The shards of one `ehsim compare --shard K/N` job likewise: the baseline and each option merged as above, their
// paired differences and summary computed again from the merged records, as one process computes them.
struct MergedComparison {
    std::vector<output::RunRecord> records;      // the baseline, then each option
    std::vector<output::RunRecord> differences;  // each option minus the baseline
    std::vector<std::string> option_names;
};
MergedComparison merge_comparison_shards(std::vector<output::ComparisonResults> shards,
                                         const std::vector<std::string>& files);

}  // namespace ehsim::experiment
