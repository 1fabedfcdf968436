#include "sim/cli/pdf_printer.hpp"

#include <stdexcept>

namespace ehsim::cli {

// Placeholder until PDF printing lands (same session): refuses clearly rather than writing a file.
void print_to_pdf(const std::string& html_file, const std::string& pdf_file) {
    throw std::runtime_error("cannot print " + html_file + " to " + pdf_file + ": PDF printing is not written yet");
}

}  // namespace ehsim::cli
