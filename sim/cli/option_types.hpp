// Option value types for the command line that reject what Boost's own conversions let through.
#pragma once

#include <boost/any.hpp>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/cli/commands.hpp"

namespace ehsim::cli {

// A whole number >= 0 written in plain digits. Boost's conversion to an unsigned type accepts "-1"
// and wraps it to 18446744073709551615; this does not.
struct WholeNumber {
    std::uint64_t value = 0;
};

inline void validate(boost::any& stored, const std::vector<std::string>& values, WholeNumber*, int) {
    boost::program_options::validators::check_first_occurrence(stored);
    const std::string& text = boost::program_options::validators::get_single_string(values);
    WholeNumber number;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, number.value);
    if (text.empty() || text.front() == '-' || text.front() == '+' || error != std::errc() || stop != end)
        throw boost::program_options::invalid_option_value(text);
    stored = number;
}

inline std::ostream& operator<<(std::ostream& stream, const WholeNumber& number) { return stream << number.value; }

// Parses a subcommand's arguments against `all` (its options and the positional ones); mistakes become
// UsageError("<command>: ...").
inline boost::program_options::variables_map parse_with_positional(
    const std::string& command, const std::vector<std::string>& arguments,
    const boost::program_options::options_description& all,
    const boost::program_options::positional_options_description& positional) {
    namespace po = boost::program_options;
    po::variables_map values;
    try {
        po::store(po::command_line_parser(arguments).options(all).positional(positional).run(), values);
        po::notify(values);
    } catch (const po::error& error) {
        throw UsageError(command + ": " + error.what());
    }
    return values;
}

// Parses a subcommand's arguments against its options and, if `scenario` is given, one positional
// scenario file stored there. Mistakes become UsageError("<command>: ...").
inline boost::program_options::variables_map parse_command_line(
    const std::string& command, const std::vector<std::string>& arguments,
    const boost::program_options::options_description& options, std::string* scenario = nullptr) {
    namespace po = boost::program_options;
    po::options_description all;
    all.add(options);
    po::positional_options_description positional;
    if (scenario != nullptr) {
        all.add_options()("scenario", po::value(scenario));
        positional.add("scenario", 1);
    }
    return parse_with_positional(command, arguments, all, positional);
}

// The same with any number of positional scenario files (or folders), stored in `scenarios`.
inline boost::program_options::variables_map parse_command_line(
    const std::string& command, const std::vector<std::string>& arguments,
    const boost::program_options::options_description& options, std::vector<std::string>* scenarios) {
    namespace po = boost::program_options;
    po::options_description all;
    all.add(options);
    all.add_options()("scenario", po::value(scenarios)->composing());
    po::positional_options_description positional;
    positional.add("scenario", -1);
    return parse_with_positional(command, arguments, all, positional);
}

}  // namespace ehsim::cli
