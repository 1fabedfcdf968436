// `ehsim merge`: the shards of one `ehsim run` or `ehsim compare` job (--shard K/N) into the file one process would
// have written.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "output/hdf5_writer.hpp"
#include "output/results_reader.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/experiment/paired_effects.hpp"
#include "sim/experiment/shards.hpp"
#include "sim/experiment/task_checkpoint.hpp"

namespace ehsim::cli {
namespace {

int merge_comparisons(const std::vector<std::string>& files, const std::string& out) {
    std::vector<output::ComparisonResults> shards;
    for (const std::string& file : files) shards.push_back(output::read_comparison(file));
    const experiment::MergedComparison merged = experiment::merge_comparison_shards(std::move(shards), files);
    std::vector<output::ComparedOption> options;
    for (std::size_t k = 1; k < merged.records.size(); ++k)
        options.push_back({&merged.records[k], &merged.differences[k - 1]});
    const auto effects = experiment::paired_effects(merged.records);
    output::write_comparison_hdf5(merged.records[0], merged.option_names, options,
                                  experiment::summary_rows(merged.records, effects), out);
    std::printf("%zu shards, %llu replications of %s and %zu options: %s\n", files.size(),
                static_cast<unsigned long long>(merged.records[0].metadata.replications),
                merged.records[0].metadata.scenario_name.c_str(), merged.option_names.size(), out.c_str());
    return 0;
}

}  // namespace

int merge_command(const std::vector<std::string>& arguments) {
    std::vector<std::string> files;
    std::string out;
    namespace po = boost::program_options;
    po::options_description options("Options of 'ehsim merge'");
    options.add_options()("help,h", "show this help and exit")("out,o", po::value(&out),
                                                               "the merged HDF5 file (required)");
    const po::variables_map values = parse_command_line("merge", arguments, options, &files);
    if (values.count("help")) {
        std::cout << "Usage: ehsim merge SHARD.h5... --out FILE.h5\n\n"
                     "Joins the N files of `ehsim run --shard K/N` or `ehsim compare --shard K/N` (K = 1..N, any\n"
                     "order) into the file one process running every replication writes: every dataset the same, bit\n"
                     "for bit.\n\n"
                  << options;
        return 0;
    }
    if (files.empty()) throw UsageError("merge: no shard files given");
    if (out.empty()) throw UsageError("merge: give the merged file with --out FILE.h5");
    for (const std::string& file : files)
        if (std::filesystem::path(file).lexically_normal() == std::filesystem::path(out).lexically_normal())
            throw UsageError("merge: --out " + out + " is one of the shards");
    // Shards of `run` or of `compare`, as the first says; every other must be of the same kind.
    if (experiment::is_task_file(files.front()))
        throw UsageError("merge: " + files.front() +
                         " is a shard of a design (ehsim sensitivity --shard): the same command with --from-shards "
                         "and the shard files joins them");
    const std::string format = output::results_format(files.front());
    for (const std::string& file : files)
        if (output::results_format(file) != format)
            throw std::runtime_error(file + ": not a shard of the same kind of job as " + files.front());
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    remove_temporary_on_interruption(out);
    if (format == "ehsim-comparison") return merge_comparisons(files, out);
    std::vector<output::RunRecord> shards;
    for (const std::string& file : files) shards.push_back(output::read_run(file));
    const output::RunRecord merged = experiment::merge_shards(std::move(shards), files);
    output::write_hdf5(merged, out);
    std::printf("%zu shards, %llu replications of %s: %s\n", files.size(),
                static_cast<unsigned long long>(merged.metadata.replications), merged.metadata.scenario_name.c_str(),
                out.c_str());
    return 0;
}

}  // namespace ehsim::cli
