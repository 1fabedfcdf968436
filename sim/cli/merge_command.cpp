// `ehsim merge`: the shards of one `ehsim run --shard K/N` job into the file one process would have written.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "output/hdf5_writer.hpp"
#include "output/results_reader.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cli/option_types.hpp"
#include "sim/experiment/shards.hpp"

namespace ehsim::cli {

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
                     "Joins the N files of `ehsim run --shard K/N` (K = 1..N, any order) into the file one process\n"
                     "running every replication writes: every dataset the same, bit for bit.\n\n"
                  << options;
        return 0;
    }
    if (files.empty()) throw UsageError("merge: no shard files given");
    if (out.empty()) throw UsageError("merge: give the merged file with --out FILE.h5");
    std::vector<output::RunRecord> shards;
    for (const std::string& file : files) {
        if (std::filesystem::path(file).lexically_normal() == std::filesystem::path(out).lexically_normal())
            throw UsageError("merge: --out " + out + " is one of the shards");
        shards.push_back(output::read_run(file));
    }
    const output::RunRecord merged = experiment::merge_shards(std::move(shards), files);
    if (const auto folder = std::filesystem::path(out).parent_path(); !folder.empty())
        std::filesystem::create_directories(folder);
    remove_temporary_on_interruption(out);
    output::write_hdf5(merged, out);
    std::printf("%zu shards, %llu replications of %s: %s\n", files.size(),
                static_cast<unsigned long long>(merged.metadata.replications), merged.metadata.scenario_name.c_str(),
                out.c_str());
    return 0;
}

}  // namespace ehsim::cli
