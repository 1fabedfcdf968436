// What every ehsim report page shares, whatever it reports (a run, a comparison or a calibration): text
// written for readers (numbers, months, HTML and JSON escaping), the chart libraries, and the page itself
// (style sheet, print rules, error recorder, chart renderer). Used by the report writers of output/ only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ehsim::output {

// How a value is written.
enum class ValueKind { rate, count, percent, money };

// The chart libraries, as JavaScript source, and their versions.
struct ReportLibraries {
    std::string vega, vega_lite, vega_embed;  // vega.min.js, vega-lite.min.js, vega-embed.min.js
    std::string vega_version, vega_lite_version, vega_embed_version;
};

// The chart libraries built into the program (vega, vega-lite and vega-embed at the versions of
// output/report/package-lock.json, checked against its integrity hashes when ehsim was built:
// cmake/embed_report_libraries.cmake).
const ReportLibraries& report_libraries();

// Writes `text` to `path` atomically (a temporary file in the same folder, renamed when complete; removed on
// failure). Throws std::runtime_error("cannot write <what> to '<path>': <reason>").
void write_text_atomically(const std::string& path, const std::string& text, const std::string& what = "the report");

namespace html {

// Okabe-Ito colours (safe for the common colour-vision deficiencies), and tints of them for bands.
inline constexpr const char* kBand90 = "#c4e5f7";    // sky blue (#56B4E9) at 35% on white
inline constexpr const char* kBand50 = "#80b9d9";    // blue (#0072B2) at 50% on white
inline constexpr const char* kMedian = "#0072b2";    // blue
inline constexpr const char* kBaseline = "#d55e00";  // vermillion (dashed where it is a line)
inline constexpr const char* kCategorical[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                               "#56b4e9", "#d55e00", "#f0e442", "#000000"};

// ---- text
std::string escape_html(std::string_view text);
// A JSON string that is also safe inside a <script> element.
std::string json_string(std::string_view text);
// Six significant digits; non-finite values are null.
std::string json_number(double value);
// The shortest text that reads back as exactly `value`.
std::string exact_number(double value);
// `magnitude` (>= 0) with `decimals` decimals and commas between thousands.
std::string grouped(double magnitude, int decimals);
int decimals_for(double size, ValueKind kind);
// A value as a reader sees it: "65.2", "3,456", "£1.23m"; with `sign`, "+1.2" and "−1.2"; "not available" when
// undefined. `decimals` < 0: as many as its size needs.
std::string display(double value, ValueKind kind, bool sign = false, int decimals = -1);
// "2016-04" -> "April 2016", "Apr 2016"; a label of another form comes back escaped for HTML.
std::string month_name(const std::string& label);
std::string short_month(const std::string& label);
std::string plural(std::uint64_t count, const char* one, const char* many);
// A number in running text, never broken across lines.
std::string number(const std::string& text);
// JavaScript source made safe to inline in a <script> element.
std::string inline_script(const std::string& source);

// ---- pieces of a page

// "drawn with Vega 5.33.1, Vega-Lite ... which are inside this file: ...", for a report's method notes.
std::string charts_note(const ReportLibraries& libraries);

// The start of a section of the page: its element and its heading (`title`, HTML).
std::string section_start(const std::string& id, const std::string& title);

// The start of a chart's figure, up to its open <figcaption>: heading (`title`, HTML) and the chart's element,
// which screen readers read as `description`.
std::string chart_figure(const std::string& id, const std::string& title, const std::string& description);

// A table's head row, one column heading (HTML) each, and the opening of its body.
std::string table_head(const std::vector<std::string>& headings);

// A chart's figures as a table behind a disclosure (it does not print: the chart does): its summary line and
// caption (HTML), head row and the opening of its body; data_table_end() closes it.
std::string data_table_start(const std::string& summary, const std::string& caption,
                             const std::vector<std::string>& headings);
std::string data_table_end();

// ---- the page

struct PageSection {
    std::string id;     // the section element's id, for the contents list
    std::string title;  // its heading, for the contents list
    std::string html;   // the whole <section> element
};

// One element with the attribute data-chart, and its Vega-Lite specification (JSON text).
struct PageChart {
    std::string id;
    std::string spec;
};

struct Page {
    std::string title, subtitle;
    std::string generator;  // e.g. "ehsim 0.6.0 (commit abc123)"
    std::vector<PageSection> sections;
    std::vector<PageChart> charts;  // every chart the sections hold, in their order
};

// The whole HTML document: one file with its style, its charts' data and the chart libraries inside it. Each
// element with the attribute data-chart is drawn from the specification under its id; a specification with a
// facet and "columns" gets as many columns as fit its container, one without a facet the container's width.
std::string render_page(const Page& page, const ReportLibraries& libraries);

}  // namespace html
}  // namespace ehsim::output
