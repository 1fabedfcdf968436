#include "sim/experiment/shards.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/experiment/run_records.hpp"

namespace ehsim::experiment {
namespace {

// The things two shards of one job share, as one text to compare, and what they are called in a message.
std::string job_of(const output::RunRecord& record) {
    const output::RunMetadata& m = record.metadata;
    return m.ehsim_version + '\n' + m.git_commit + '\n' + m.scenario_name + '\n' + m.scenario_resolved + '\n' +
           std::to_string(m.seed) + '\n' + std::to_string(m.job_replications) + '\n' + std::to_string(m.shard_count) +
           '\n' + m.posterior_file + '\n' + m.start_date + '\n' + std::to_string(m.warm_up_years) + '\n' +
           std::to_string(m.horizon_years);
}

// Appends `from`'s values of each indicator to `into`'s of the same name (each is [replications][...], so the
// replications of a later shard follow those of an earlier one).
void append(std::vector<output::Indicator>& into, const std::vector<output::Indicator>& from, const std::string& file) {
    for (output::Indicator& indicator : into) {
        const auto same = std::find_if(from.begin(), from.end(),
                                       [&](const output::Indicator& other) { return other.name == indicator.name; });
        if (same == from.end()) throw std::runtime_error(file + ": no indicator '" + indicator.name + "'");
        indicator.values.insert(indicator.values.end(), same->values.begin(), same->values.end());
    }
}

}  // namespace

ShardRange shard_range(std::uint64_t replications, std::uint64_t index, std::uint64_t shards) {
    if (shards == 0 || index == 0 || index > shards) throw std::invalid_argument("a shard K/N needs 1 <= K <= N");
    // Exact integer arithmetic: floor((K - 1) R / N) to floor(K R / N), without overflow for any R up to 10^6.
    const std::uint64_t first = (index - 1) * replications / shards, next = index * replications / shards;
    return {first, next - first};
}

output::RunMetadata shard_metadata(output::RunMetadata metadata, std::uint64_t index, std::uint64_t count,
                                   std::uint64_t first, std::uint64_t job_replications) {
    metadata.shard_index = index;
    metadata.shard_count = count;
    metadata.first_replication = first;
    metadata.job_replications = job_replications;
    return metadata;
}

output::RunRecord merge_shards(std::vector<output::RunRecord> shards, const std::vector<std::string>& files) {
    if (shards.empty()) throw std::runtime_error("no shards to merge");
    std::vector<std::size_t> order(shards.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const output::RunMetadata& m = shards[k].metadata;
        if (m.shard_count == 0) throw std::runtime_error(files[k] + ": not a shard (written without --shard)");
        if (job_of(shards[k]) != job_of(shards.front()))
            throw std::runtime_error(files[k] + ": a shard of another job than " + files.front() +
                                     " (its scenario, seed, replications, posterior, dates or ehsim differ)");
        order[k] = k;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return shards[a].metadata.shard_index < shards[b].metadata.shard_index;
    });
    const std::uint64_t count = shards.front().metadata.shard_count;
    for (std::uint64_t k = 0; k < std::max<std::uint64_t>(count, order.size()); ++k) {
        if (k >= order.size())
            throw std::runtime_error("shard " + std::to_string(k + 1) + " of " + std::to_string(count) + " is missing");
        const output::RunMetadata& m = shards[order[k]].metadata;
        if (m.shard_index != k + 1)
            throw std::runtime_error(
                files[order[k]] + ": shard " + std::to_string(m.shard_index) + " of " + std::to_string(count) +
                (m.shard_index < k + 1 ? " given twice" : "") +
                (m.shard_index > k + 1 ? ", but shard " + std::to_string(k + 1) + " is missing" : ""));
        const ShardRange range = shard_range(m.job_replications, m.shard_index, m.shard_count);
        if (m.first_replication != range.first || m.replications != range.count)
            throw std::runtime_error(files[order[k]] + ": holds replications " + std::to_string(m.first_replication) +
                                     " to " + std::to_string(m.first_replication + m.replications) +
                                     ", not those of its shard");
    }
    output::RunRecord merged = std::move(shards[order.front()]);
    for (std::size_t k = 1; k < order.size(); ++k) {
        const output::RunRecord& shard = shards[order[k]];
        const std::string& file = files[order[k]];
        append(merged.monthly, shard.monthly, file);
        append(merged.annual, shard.annual, file);
        append(merged.by_locality, shard.by_locality, file);
        if (shard.published_figures.size() != merged.published_figures.size())
            throw std::runtime_error(file + ": another set of published figures than " + files[order.front()]);
        for (std::size_t f = 0; f < merged.published_figures.size(); ++f)
            merged.published_figures[f].model.insert(merged.published_figures[f].model.end(),
                                                     shard.published_figures[f].model.begin(),
                                                     shard.published_figures[f].model.end());
        merged.metadata.created_utc = std::max(merged.metadata.created_utc, shard.metadata.created_utc);
    }
    output::RunMetadata& m = merged.metadata;
    m.replications = m.job_replications;
    m.shard_index = m.shard_count = m.first_replication = m.job_replications = 0;
    return merged;
}

MergedComparison merge_comparison_shards(std::vector<output::ComparisonResults> shards,
                                         const std::vector<std::string>& files) {
    if (shards.empty()) throw std::runtime_error("no shards to merge");
    MergedComparison merged;
    merged.option_names = shards.front().option_names;
    for (std::size_t k = 0; k < shards.size(); ++k)
        if (shards[k].option_names != merged.option_names)
            throw std::runtime_error(files[k] + ": a shard of another comparison than " + files.front() +
                                     " (its options differ)");
    std::vector<output::RunRecord> of_scenario;
    for (output::ComparisonResults& shard : shards) of_scenario.push_back(std::move(shard.baseline));
    merged.records.push_back(merge_shards(std::move(of_scenario), files));
    for (std::size_t option = 0; option < merged.option_names.size(); ++option) {
        of_scenario.clear();
        for (output::ComparisonResults& shard : shards) of_scenario.push_back(std::move(shard.options[option]));
        merged.records.push_back(merge_shards(std::move(of_scenario), files));
    }
    for (std::size_t k = 1; k < merged.records.size(); ++k)
        merged.differences.push_back(difference_record(merged.records[k], merged.records[0]));
    return merged;
}

}  // namespace ehsim::experiment
