// ehsim: one binary, one subcommand per task. Options before the subcommand are the program's own.
#include <boost/program_options.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "ehsim/version.hpp"
#include "output/hdf5_writer.hpp"
#include "sim/cli/commands.hpp"
#include "sim/cli/data_location.hpp"
#include "sim/cli/interruption.hpp"
#include "sim/cluster/cluster.hpp"

namespace {

namespace po = boost::program_options;

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const std::vector<std::string>&);
};

// Subcommands appear here as they are built; see CHANGELOG.md.
constexpr Command kCommands[] = {
    {"run", "run a scenario over replications: indicators to HDF5 and a table", ehsim::cli::run_command},
    {"compare", "run options against a baseline on common random numbers: paired effects", ehsim::cli::compare_command},
    {"calibrate", "fit uncertain parameters to published figures (ABC-SMC): a posterior",
     ehsim::cli::calibrate_command},
    {"sensitivity", "which uncertain parameters move which published figure (Morris, Sobol)",
     ehsim::cli::sensitivity_command},
    {"report", "write the scrutiny report of a run or comparison: one HTML file that opens offline",
     ehsim::cli::report_command},
    {"merge", "join the files of `run --shard K/N` into the one a single process writes", ehsim::cli::merge_command},
    {"new-scenario", "a baseline scenario and targets for any English authority, from DfE's tables",
     ehsim::cli::new_scenario_command},
    {"validate", "check a scenario file and print what it resolves to", ehsim::cli::validate_command},
    {"demo", "run the kernel's M/M/c queue and set it beside the Erlang-C formulas", ehsim::cli::demo_command},
};

void print_help(const po::options_description& options) {
    std::cout << "ehsim " << ehsim::kVersion
              << " - discrete-event simulation of demand and capacity in Early Help\n\n"
                 "Usage: ehsim [--help] [--version] <command> [<options>]\n\nCommands:\n";
    for (const Command& command : kCommands) std::printf("  %-12s %s\n", command.name, command.summary);
    std::cout << "\nRun 'ehsim <command> --help' for a command's options.\n\n" << options;
}

}  // namespace

int main(int argc, char** argv) {
    // Under mpirun every rank runs the same command; only the manager (rank 0) prints and writes files.
    const ehsim::cluster::Session mpi(argc, argv);
    if (!ehsim::cluster::is_manager()) {
        [[maybe_unused]] std::FILE* silenced = std::freopen("/dev/null", "w", stdout);
        ehsim::cli::interrupt_silently();
    }
    ehsim::output::skip_hdf5_cleanup_at_exit();
    ehsim::cli::install_interruption_handlers();
    po::options_description options("Program options");
    options.add_options()("help,h", "show this help and exit")(
        "version", "show the version, git commit and where the bundled data is, and exit");
    try {
        // Options up to the first word that is not an option belong to the program; the rest to the command.
        int first_command_word = 1;
        while (first_command_word < argc && argv[first_command_word][0] == '-') ++first_command_word;
        po::variables_map values;
        po::store(po::command_line_parser(first_command_word, argv).options(options).run(), values);
        if (values.count("help")) {
            print_help(options);
            return 0;
        }
        if (values.count("version")) {
            std::cout << "ehsim " << ehsim::kVersion << " (commit " << ehsim::kGitCommit << ")\n";
            const auto data = ehsim::cli::find_data_location();
            std::cout << "data: "
                      << (data ? data->describe() : "none found (no share/ehsim beside the program, no source tree)")
                      << '\n';
            return 0;
        }
        if (first_command_word >= argc) throw ehsim::cli::UsageError("no command given (try 'ehsim --help')");
        const std::string name = argv[first_command_word];
        const std::vector<std::string> arguments(argv + first_command_word + 1, argv + argc);
        for (const Command& command : kCommands)
            if (name == command.name) return command.run(arguments);
        std::string known;
        for (const Command& command : kCommands) known += std::string(known.empty() ? "" : ", ") + command.name;
        throw ehsim::cli::UsageError("unknown command '" + name + "' (commands: " + known + ")");
    } catch (const ehsim::cli::UsageError& error) {
        if (ehsim::cluster::is_manager()) std::cerr << "ehsim: error: " << error.what() << '\n';
        return 2;
    } catch (const po::error& error) {
        if (ehsim::cluster::is_manager()) std::cerr << "ehsim: error: " << error.what() << " (try 'ehsim --help')\n";
        return 2;
    } catch (const std::exception& error) {
        if (ehsim::cluster::is_manager()) std::cerr << "ehsim: error: " << error.what() << '\n';
        return 1;
    }
}
