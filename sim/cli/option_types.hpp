// Option value types for the command line that reject what Boost's own conversions let through.
#pragma once

#include <boost/any.hpp>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

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

}  // namespace ehsim::cli
