#include "output/report_html.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ehsim::output {
namespace {

const char* const kStyle = R"css(
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4d4d4d; --line: #b3b3b3; --panel: #f4f4f4; --accent: #0072b2; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0 auto; padding: 1rem 1.25rem 3rem; max-width: 72rem; color: var(--ink); background: #fff;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 1rem 0 0.25rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 0.75rem; padding-top: 0.5rem; border-top: 0.2rem solid var(--accent); }
h3 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; }
p, li, dd, dt { max-width: 48rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
nav ol { padding-left: 1.25rem; }
a { color: var(--accent); }
a:focus, summary:focus { outline: 0.2rem solid #e69f00; outline-offset: 0.1rem; }
code { font-size: 0.9em; overflow-wrap: break-word; }
.sentences ul { margin-top: 0.25rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: 0.75rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; caption-side: top; }
th, td { border-bottom: 0.0625rem solid var(--line); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 0.125rem solid var(--ink); }
.summary-table .interval { color: var(--muted); }
.n { white-space: nowrap; }
/* Narrow windows, and wide ones at 200% zoom: each scenario's row becomes a block of labelled values. */
@media (max-width: 48rem) {
  .summary-table, .summary-table caption, .summary-table tbody, .summary-table tr, .summary-table th,
  .summary-table td { display: block; }
  .summary-table thead { position: absolute; width: 0.0625rem; height: 0.0625rem; overflow: hidden;
                         clip-path: inset(50%); }
  .summary-table tr { border-bottom: 0.125rem solid var(--ink); padding: 0.5rem 0; }
  .summary-table th, .summary-table td { border: none; padding: 0.15rem 0; }
  .summary-table td::before { content: attr(data-label) ": "; font-weight: 600; }
}
.no-effect { display: inline-block; font-size: 0.85em; border: 0.0625rem solid var(--muted); border-radius: 0.3em;
             padding: 0 0.3em; white-space: nowrap; }
figure.fan { margin: 1.5rem 0 2rem; }
.chart { width: 100%; min-height: 8rem; }
.chart svg, .chart canvas { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.95rem; margin-top: 0.25rem; }
details.data-table { margin-top: 0.5rem; }
details.data-table > summary { cursor: pointer; color: var(--accent); }
details.data-table table { font-size: 0.9rem; }
dl.facts { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.5rem; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, .vega-embed .vega-actions, .vega-embed > details { display: none !important; }
  .report-section { break-before: page; page-break-before: always; }
  header + main .report-section:first-child { break-before: avoid; page-break-before: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure.fan, table, tr { break-inside: avoid; page-break-inside: avoid; }
  details.data-table { display: none; }
  a { color: inherit; text-decoration: none; }
}
)css";

// Records every error (and, separately, warning) the page meets in the hidden #report-status element, for
// the end-to-end test and for anyone who opens the page's source: window errors, rejected promises, content
// security policy violations and whatever is written to console.error or console.warn.
const char* const kErrorRecorder = R"js(
(function () {
  "use strict";
  var status = document.getElementById("report-status");
  function record(kind, message) {
    var name = kind === "warning" ? "data-warnings" : "data-errors";
    var previous = status.getAttribute(name);
    status.setAttribute(name, (previous ? previous + "\n" : "") + String(message));
  }
  function text(values) {
    return Array.prototype.map.call(values, function (value) {
      return value && value.message ? value.message : String(value);
    }).join(" ");
  }
  window.ehsimRecord = record;
  window.addEventListener("error", function (event) {
    record("error", (event.message || "error") + (event.lineno ? " (line " + event.lineno + ")" : ""));
  });
  window.addEventListener("unhandledrejection", function (event) { record("error", "unhandled: " + text([event.reason])); });
  document.addEventListener("securitypolicyviolation", function (event) {
    record("error", "blocked by the content security policy: " + event.violatedDirective + " " + event.blockedURI);
  });
  var error = console.error, warn = console.warn;
  console.error = function () { record("error", text(arguments)); return error.apply(console, arguments); };
  console.warn = function () { record("warning", text(arguments)); return warn.apply(console, arguments); };
})();
)js";

// Draws every chart: its columns and width follow the width of its container (so the layout reflows at
// 200% zoom), Vega's expressions are interpreted (no eval: the content security policy forbids it), and the
// count of charts drawn goes into #report-status.
const char* const kRenderer = R"js(
(function () {
  "use strict";
  var status = document.getElementById("report-status");
  var record = window.ehsimRecord;
  if (typeof vegaEmbed !== "function" || typeof vega !== "object") {
    record("error", "the chart libraries did not load");
    return;
  }
  var specs = JSON.parse(document.getElementById("report-charts").textContent);
  var rendered = 0;
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (element) {
    var spec = specs[element.id];
    if (!spec) { record("error", "no specification for chart " + element.id); return; }
    var width = element.clientWidth || 640;
    if (spec.facet && spec.columns !== undefined) {
      // Panels side by side: as many columns as fit.
      var panels = spec.facet.sort.length;
      var columns = Math.max(1, Math.min(panels, Math.floor(width / 300)));
      columns = Math.ceil(panels / Math.ceil(panels / columns));  // balanced rows: 2 + 2, not 3 + 1
      spec.columns = columns;
      spec.spec.width = Math.max(150, Math.floor(width / columns) - 95);
    } else if (spec.facet) {
      spec.spec.width = Math.max(150, width - 260);  // rows of panels: room for row labels and a legend
    } else if (spec.vconcat) {
      spec.vconcat.forEach(function (part) { part.width = Math.max(150, width - 330); });
    } else if (spec.width !== undefined) {
      spec.width = Math.max(150, width - 220);
    }
    vegaEmbed(element, spec, {
      mode: "vega-lite", renderer: "svg", ast: true,
      actions: { export: true, source: false, compiled: false, editor: false }
    }).then(function () {
      rendered += 1;
      element.setAttribute("data-rendered", "true");
      status.setAttribute("data-rendered", String(rendered));
    }).catch(function (failure) {
      record("error", element.id + ": " + (failure && failure.message ? failure.message : String(failure)));
    });
  });
})();
)js";

}  // namespace

namespace html {

// ---------------------------------------------------------------------------------------------------
// Text: HTML, JSON and numbers

std::string escape_html(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                escaped += "&amp;";
                break;
            case '<':
                escaped += "&lt;";
                break;
            case '>':
                escaped += "&gt;";
                break;
            case '"':
                escaped += "&quot;";
                break;
            case '\'':
                escaped += "&#39;";
                break;
            default:
                escaped += c;
        }
    }
    return escaped;
}

// A JSON string that is also safe inside a <script> element: '<', '>' and '&' are escaped, so no "</script>"
// nor "<!--" can appear, and so are U+2028 and U+2029 (line breaks to older JavaScript).
std::string json_string(std::string_view text) {
    std::string json = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"') {
            json += "\\\"";
        } else if (c == '\\') {
            json += "\\\\";
        } else if (c == '\n') {
            json += "\\n";
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            json += escaped;
        } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(text[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(text[i + 2]) == 0xA9)) {
            json += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            json += static_cast<char>(c);
        }
    }
    return json + "\"";
}

// Six significant digits are far finer than a chart can show; non-finite values are JSON's null.
std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::general, 6);
    return std::string(text, result.ptr);
}

// The shortest text that reads back as exactly `value` (from_chars accepts "nan", "inf", "-inf").
std::string exact_number(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

// `magnitude` (>= 0) with `decimals` decimals and commas between thousands.
std::string grouped(double magnitude, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, magnitude);
    std::string digits = text;
    const std::size_t point = digits.find('.');
    std::string whole = digits.substr(0, point);
    const std::string fraction = point == std::string::npos ? "" : digits.substr(point);
    for (std::size_t at = whole.size(); at > 3; at -= 3) whole.insert(at - 3, ",");
    return whole + fraction;
}

// How many decimals a value of this size is written with: counts of 100 or more none, values below 1 two (but
// percentages), others one.
int decimals_for(double size, ValueKind kind) {
    if (kind == ValueKind::count && size >= 100) return 0;
    return size < 1 && kind != ValueKind::percent ? 2 : 1;
}

// A value as a reader sees it: "65.2", "3,456", "78.5", "£1.23m"; with `sign`, "+1.2" and "−1.2" (a true minus
// sign), and no sign on what rounds to zero. Undefined values are "not available". Money picks its own unit
// (£, £k, £m); other values have `decimals` decimals, or as many as their size needs when it is negative.
std::string display(double value, ValueKind kind, bool sign, int decimals) {
    if (!std::isfinite(value)) return "not available";
    const double magnitude = std::abs(value);
    // A whole number of families or contacts is written whole ("0 families", not "0.00").
    if (kind == ValueKind::count && decimals < 0 && magnitude == std::floor(magnitude)) decimals = 0;
    std::string text;
    if (kind == ValueKind::money) {
        if (magnitude >= 1e6)
            text = "£" + grouped(magnitude / 1e6, 2) + "m";
        else if (magnitude >= 1e5)
            text = "£" + grouped(magnitude / 1e3, 0) + "k";
        else if (magnitude >= 1e3)
            text = "£" + grouped(magnitude / 1e3, 1) + "k";
        else
            text = "£" + grouped(magnitude, 0);
    } else {
        text = grouped(magnitude, decimals >= 0 ? decimals : decimals_for(magnitude, kind));
    }
    const bool rounds_to_zero = text.find_first_of("123456789") == std::string::npos;
    if (rounds_to_zero) return text;
    if (value < 0) return "\u2212" + text;
    return sign ? "+" + text : text;
}

std::string month_name(const std::string& label) {
    static const char* const names[] = {"January", "February", "March",     "April",   "May",      "June",
                                        "July",    "August",   "September", "October", "November", "December"};
    // A label of any other form (the file's, so not to be trusted) comes back as it is, escaped for HTML.
    if (label.size() != 7 || label[4] != '-') return escape_html(label);
    for (std::size_t i = 0; i < 4; ++i)
        if (label[i] < '0' || label[i] > '9') return escape_html(label);
    int month = 0;
    const auto result = std::from_chars(label.data() + 5, label.data() + 7, month);
    if (result.ec != std::errc() || result.ptr != label.data() + 7 || month < 1 || month > 12)
        return escape_html(label);
    return std::string(names[month - 1]) + " " + label.substr(0, 4);
}

std::string short_month(const std::string& label) {
    const std::string name = month_name(label);
    const std::size_t space = name.find(' ');
    return space == std::string::npos || name.size() < 8 ? name : name.substr(0, 3) + name.substr(space);
}

std::string plural(std::uint64_t count, const char* one, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

// Inline JavaScript may not contain "</script" (in any case: it would end the element) nor "<!--" (which changes
// how the HTML parser reads the rest of the script). A backslash after the '<' keeps the meaning in a string,
// template, regular expression or comment, where alone such text can occur.
std::string inline_script(const std::string& source) {
    const auto starts_at = [&](std::size_t at, std::string_view text, bool ignore_case) {
        if (source.size() - at < text.size()) return false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = source[at + i];
            const char lowered = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if ((ignore_case ? lowered : c) != text[i]) return false;
        }
        return true;
    };
    std::string escaped;
    escaped.reserve(source.size());
    for (std::size_t at = 0; at < source.size(); ++at) {
        escaped += source[at];
        if (source[at] == '<' && (starts_at(at, "</script", true) || starts_at(at, "<!--", false))) escaped += '\\';
    }
    return escaped;
}

std::string number(const std::string& text) { return "<span class=\"n\">" + text + "</span>"; }

std::string charts_note(const ReportLibraries& libraries) {
    return "drawn with Vega " + escape_html(libraries.vega_version) + ", Vega-Lite " +
           escape_html(libraries.vega_lite_version) + " and vega-embed " + escape_html(libraries.vega_embed_version) +
           ", which are inside this file: it needs no network and no server";
}

std::string section_start(const std::string& id, const std::string& title) {
    return "<section id=\"" + id + "\" class=\"report-section\" aria-labelledby=\"" + id + "-title\">\n<h2 id=\"" + id +
           "-title\">" + title + "</h2>\n";
}

std::string chart_figure(const std::string& id, const std::string& title, const std::string& description) {
    return "<figure class=\"fan\" id=\"figure-" + id + "\">\n<h3>" + title + "</h3>\n<div class=\"chart\" id=\"" + id +
           "\" data-chart role=\"img\" aria-label=\"" + escape_html(description) + "\"></div>\n<figcaption>";
}

std::string table_head(const std::vector<std::string>& headings) {
    std::string html = "<thead><tr>";
    for (const std::string& heading : headings) html += "<th scope=\"col\">" + heading + "</th>";
    return html + "</tr></thead>\n<tbody>\n";
}

std::string data_table_start(const std::string& summary, const std::string& caption,
                             const std::vector<std::string>& headings) {
    return "<details class=\"data-table\"><summary>Data table: " + summary +
           "</summary>\n<div class=\"table-wrap\"><table>\n<caption>" + caption + "</caption>\n" + table_head(headings);
}

std::string data_table_end() { return "</tbody></table></div></details>\n"; }

std::string render_page(const Page& page, const ReportLibraries& libraries) {
    std::string body;
    for (const PageSection& section : page.sections) body += section.html;
    // The specifications as one JSON object, a chart a line, keyed by the ids of their elements.
    std::string specs;
    for (const PageChart& chart : page.charts)
        specs += (specs.empty() ? "" : ",\n") + json_string(chart.id) + ":" + chart.spec;
    std::string html;
    html.reserve(libraries.vega.size() + libraries.vega_lite.size() + libraries.vega_embed.size() + specs.size() +
                 body.size() + 16384);
    html +=
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing may be fetched: the file must open the same offline, from a USB stick or an email.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
        "style-src 'unsafe-inline'; img-src data: blob:\">\n"
        "<meta name=\"generator\" content=\"" +
        escape_html(page.generator) + "\">\n<title>" + escape_html(page.title) + "</title>\n<style>" + kStyle +
        "</style>\n</head>\n<body>\n";
    html += "<div id=\"report-status\" hidden data-errors=\"\" data-warnings=\"\" data-charts=\"" +
            std::to_string(page.charts.size()) + "\" data-rendered=\"0\"></div>\n<script>" + kErrorRecorder +
            "</script>\n";
    html += "<header>\n<h1>" + escape_html(page.title) + "</h1>\n<p class=\"subtitle\">" + escape_html(page.subtitle) +
            ".</p>\n<nav aria-label=\"Contents\"><ol>\n";
    for (const PageSection& section : page.sections)
        html += "<li><a href=\"#" + escape_html(section.id) + "\">" + escape_html(section.title) + "</a></li>\n";
    html += "</ol></nav>\n</header>\n<main>\n" + body + "</main>\n";
    html += "<script type=\"application/json\" id=\"report-charts\">{" + specs + "}</script>\n";
    html += "<script>" + inline_script(libraries.vega) + "</script>\n";
    html += "<script>" + inline_script(libraries.vega_lite) + "</script>\n";
    html += "<script>" + inline_script(libraries.vega_embed) + "</script>\n";
    html += std::string("<script>") + kRenderer + "</script>\n</body>\n</html>\n";
    return html;
}

}  // namespace html

void write_text_atomically(const std::string& path, const std::string& text, const std::string& what) {
    const std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    try {
        if (path.empty()) throw std::runtime_error("the output path is empty");
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            if (!out)
                throw std::runtime_error("cannot create the temporary file '" + temporary + "' (" +
                                         std::strerror(errno) + ")");
            out.write(text.data(), static_cast<std::streamsize>(text.size()));
            out.close();
            // (the stream keeps no reason; errno still holds the failed write's, e.g. "No space left on device")
            if (!out)
                throw std::runtime_error("cannot write the temporary file '" + temporary + "' (" +
                                         std::strerror(errno) + ")");
        }
        std::error_code error;
        std::filesystem::rename(temporary, path, error);
        if (error) throw std::runtime_error("renaming '" + temporary + "' onto it failed (" + error.message() + ")");
    } catch (const std::exception& failure) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw std::runtime_error("cannot write " + what + " to '" + path + "': " + failure.what());
    }
}

}  // namespace ehsim::output
