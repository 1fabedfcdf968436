// Prints an HTML report to PDF with headless Chromium (Debian's chromium package), as a reader's browser
// would print it (the report's print style sheet, its charts drawn first).
#pragma once

#include <string>

namespace ehsim::cli {

// Prints the HTML file `html_file` to `pdf_file`, written under a temporary name and renamed when complete.
// Chromium is EHSIM_CHROMIUM if set, else chromium or chromium-browser on the PATH. Throws std::runtime_error
// with one line when Chromium is not installed (saying how to install it) or fails to print; no PDF is left.
void print_to_pdf(const std::string& html_file, const std::string& pdf_file);

// Whether print_to_pdf would find a Chromium to run (checked before a long run that ends with --pdf).
bool chromium_available();

}  // namespace ehsim::cli
