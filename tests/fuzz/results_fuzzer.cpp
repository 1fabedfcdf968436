// A results file as `ehsim report` reads it: its format, then the run or comparison, calibration or sensitivity
// study it holds, read and rendered into the report page (the chart libraries built in).
#include <cstddef>
#include <cstdint>

#include "output/calibration_report.hpp"
#include "output/report_content.hpp"
#include "output/report_writer.hpp"
#include "output/results_reader.hpp"
#include "output/sensitivity_report.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ehsim::output;
    const std::string file = ehsim::fuzz::write_input("fuzzed-results.h5", data, size);
    ehsim::fuzz::expect_accepted_or_one_line(file, [&] {
        const std::string format = results_format(file);
        if (format == "ehsim-calibration")
            render_calibration_report(file, report_libraries(), {});
        else if (format == "ehsim-sensitivity")
            render_sensitivity_report(file, report_libraries(), {});
        else
            render_report(read_report_input(file), report_libraries(), {});
    });
    return 0;
}
