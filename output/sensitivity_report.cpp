#include "output/sensitivity_report.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "output/calibration_text.hpp"
#include "output/sensitivity_charts.hpp"
#include "sim/model/indicators.hpp"

namespace ehsim::output {
namespace {

using namespace html;
using calibration_text::breakable;
using calibration_text::list_of;
using calibration_text::significant;

const model::IndicatorDefinition* indicator_of(const std::string& name) {
    for (const auto& definition : model::kIndicators)
        if (definition.name == name) return &definition;
    return nullptr;
}

// An indicator in words ("children in need per 10,000 ..."), or its name when the model no longer has it.
std::string indicator_words(const std::string& name) {
    const model::IndicatorDefinition* definition = indicator_of(name);
    return definition ? std::string(definition->description) : name;
}

std::string unit_of(const std::string& name) {
    const model::IndicatorDefinition* definition = indicator_of(name);
    return definition ? std::string(definition->unit) : std::string();
}

bool is_effect(const SensitivityRecord& record, std::size_t output) {
    return record.output_kinds[output] == kEffectOutput;
}

// An output's heading (HTML): the indicator by its name, as a researcher finds it in the files.
std::string output_title(const SensitivityRecord& record, std::size_t output) {
    const std::string& period = record.output_periods[output];
    const std::string indicator = escape_html(record.indicators[output]);
    if (is_effect(record, output))
        return "Effect of " + escape_html(record.option_name) + " on " + indicator + ", " + escape_html(period);
    return escape_html(record.outputs[output]) + ": " + indicator + (period.empty() ? "" : ", " + escape_html(period));
}

std::string code(const std::string& path) { return "<code>" + breakable(path) + "</code>"; }

// The inputs flagged as mattering little for `output`, in the file's order.
std::vector<std::string> negligible_for(const SensitivityRecord& record, std::size_t output) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < record.inputs.size(); ++i)
        if (record.negligible_for[i * record.outputs.size() + output] != 0.0) names.push_back(code(record.inputs[i]));
    return names;
}

std::string threshold_words(const SensitivityRecord& record) {
    const std::string share = display(100.0 * record.negligible_threshold, ValueKind::percent, false, -1) + "%";
    std::vector<std::string> rules;
    if (record.has_morris) rules.push_back("its Morris mu* is below " + share + " of the most important parameter's");
    if (record.has_sobol)
        rules.push_back("even the top of its Sobol total index's interval is below " + share + " of the variance");
    return list_of(rules) + (rules.size() > 1 ? " (both methods agree)" : "");
}

std::string methods_words(const SensitivityRecord& record) {
    std::vector<std::string> methods;
    if (record.has_morris)
        methods.push_back("Morris elementary effects (" + plural(record.trajectories, "trajectory", "trajectories") +
                          ", one parameter changed at a time along each)");
    if (record.has_sobol)
        methods.push_back("Sobol variance-based indices (" + std::to_string(record.base_samples) + " base samples, " +
                          std::to_string(record.evaluations) + " sets of values)");
    return list_of(methods);
}

// ---------------------------------------------------------------------------------------------------
// 1. Summary

std::string ranking_sentence(const SensitivityRecord& record, std::size_t output) {
    const std::vector<SensitivityRow> rows = ranked_rows(record, output);
    std::vector<std::string> leading;
    for (const SensitivityRow& row : rows)
        if (!row.negligible && leading.size() < 3) leading.push_back(code(record.inputs[row.input]));
    if (leading.empty()) return "no parameter moves it by more than the threshold.";
    std::string text = "moved most by " + leading.front();
    if (leading.size() > 1) text += ", then " + list_of(std::vector<std::string>(leading.begin() + 1, leading.end()));
    return text + ".";
}

std::string summary_section(const SensitivityRecord& record) {
    std::string html = section_start("summary", "Summary");
    const std::size_t effects = static_cast<std::size_t>(
        std::count(record.output_kinds.begin(), record.output_kinds.end(), std::string(kEffectOutput)));
    const std::size_t figures = record.outputs.size() - effects;
    html += "<p>This report shows which of the <strong>" +
            plural(record.inputs.size(), "uncertain parameter", "uncertain parameters") +
            "</strong> of the calibration set-up <code>" + escape_html(record.setup_file) + "</code> move which of " +
            "<strong>" + plural(record.outputs.size(), "output", "outputs") + "</strong>: the model's value of " +
            plural(figures, "published figure", "published figures");
    if (effects > 0)
        html += " and the effect of the option <strong>" + escape_html(record.option_name) + "</strong> on " +
                plural(effects, "indicator", "indicators") + " (the option's result minus the baseline's)";
    html += ". Each parameter was varied over the whole range its prior allows, by " + methods_words(record) +
            ". At each set of values the model ran " + plural(record.replications, "replication", "replications") +
            " on the same random streams, so two sets differ by their parameters, not by chance.</p>\n";
    const std::vector<std::string> none = [&] {
        std::vector<std::string> names;
        for (const std::string& name : record.negligible) names.push_back(code(name));
        return names;
    }();
    if (none.empty()) {
        html +=
            "<p><strong>Every parameter matters for at least one output</strong>: none can be fixed without "
            "changing some of these results.</p>\n";
    } else {
        const bool one = none.size() == 1;
        html += "<p id=\"negligible-inputs\"><strong>" +
                std::string(one ? "This parameter matters"
                                : "These "
                                  "parameters matter") +
                " for none of the outputs: " + list_of(none) + ".</strong> For every output, " +
                threshold_words(record) + ". " + (one ? "It" : "They") +
                " can be fixed at the scenario's value, and left out of the calibration, without changing these "
                "results.</p>\n";
    }
    html += "<div class=\"sentences\">\n<ul>\n";
    for (std::size_t output = 0; output < record.outputs.size(); ++output)
        html += "<li><strong>" + output_title(record, output) + "</strong>: " + ranking_sentence(record, output) +
                "</li>\n";
    return html + "</ul>\n</div>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 2. The parameters

std::string parameter_section(const SensitivityRecord& record) {
    std::string html = section_start("parameters", "The uncertain parameters");
    html +=
        "<p>Each parameter is a number of the scenario, named by its place in the scenario file, with the reason "
        "the set-up gives for its uncertainty. Its range is its prior's (for a prior without bounds, from its "
        "0.1% to its 99.9% point).</p>\n";
    html +=
        "<div class=\"table-wrap\"><table class=\"summary-table\" id=\"sensitivity-parameters\">\n<caption>The "
        "parameters varied and the range each was varied over.</caption>\n" +
        table_head({"Parameter", "Why it is uncertain", "Range explored", "Matters for"});
    const std::size_t outputs = record.outputs.size();
    for (std::size_t i = 0; i < record.inputs.size(); ++i) {
        std::size_t matters = 0;
        for (std::size_t o = 0; o < outputs; ++o) matters += record.negligible_for[i * outputs + o] == 0.0;
        html +=
            "<tr data-parameter=\"" + escape_html(record.inputs[i]) + "\"><th scope=\"row\">" + code(record.inputs[i]) +
            "</th><td>" + (record.input_why[i].empty() ? std::string("not stated") : escape_html(record.input_why[i])) +
            "</td><td>" + number(significant(record.input_lower[i])) + " to " +
            number(significant(record.input_upper[i])) + "</td><td data-matters=\"" + std::to_string(matters) + "\">" +
            (matters == 0 ? std::string("<strong>nothing</strong>")
                          : std::to_string(matters) + " of " + std::to_string(outputs) + " outputs") +
            "</td></tr>\n";
    }
    return html + "</tbody></table></div>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 3 and 4. Each output: its charts and its table

std::string interval(double estimate, double lower, double upper) {
    if (!std::isfinite(estimate)) return "not available";
    return number(significant(estimate)) + (std::isfinite(lower) && std::isfinite(upper)
                                                ? " <span class=\"interval\">(" + number(significant(lower)) + " to " +
                                                      number(significant(upper)) + ")</span>"
                                                : std::string());
}

std::string output_table(const SensitivityRecord& record, std::size_t output, const std::vector<SensitivityRow>& rows) {
    std::vector<std::string> headings = {"Rank", "Parameter"};
    if (record.has_morris) headings.insert(headings.end(), {"Morris mu*", "Morris sigma"});
    if (record.has_sobol) headings.insert(headings.end(), {"Sobol first order (interval)", "Sobol total (interval)"});
    headings.push_back("Matters here");
    std::string html = "<div class=\"table-wrap\"><table class=\"summary-table sensitivity-table\" id=\"table-" +
                       std::to_string(output) + "\" data-output=\"" + escape_html(record.outputs[output]) +
                       "\" data-replication-noise=\"" + exact_number(record.replication_noise[output]) +
                       "\">\n<caption>The parameters for this output, most important first; replication noise " +
                       number(significant(record.replication_noise[output])) + ".</caption>\n" + table_head(headings);
    for (std::size_t rank = 0; rank < rows.size(); ++rank) {
        const SensitivityRow& row = rows[rank];
        html += "<tr data-parameter=\"" + escape_html(record.inputs[row.input]) + "\" data-negligible=\"" +
                (row.negligible ? "yes" : "no") + "\"><td>" + std::to_string(rank + 1) + "</td><th scope=\"row\">" +
                code(record.inputs[row.input]) + "</th>";
        if (record.has_morris)
            html += "<td data-mu-star=\"" + exact_number(row.mu_star) + "\">" + number(significant(row.mu_star)) +
                    "</td><td data-sigma=\"" + exact_number(row.sigma) + "\">" + number(significant(row.sigma)) +
                    "</td>";
        if (record.has_sobol)
            html += "<td data-first=\"" + exact_number(row.first) + "\">" +
                    interval(row.first, row.first_lower, row.first_upper) + "</td><td data-total=\"" +
                    exact_number(row.total) + "\">" + interval(row.total, row.total_lower, row.total_upper) + "</td>";
        html += std::string("<td>") + (row.negligible ? "little" : "<strong>yes</strong>") + "</td></tr>\n";
    }
    return html + "</tbody></table></div>\n";
}

std::string chart_description(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows,
                              const char* measure, bool sobol) {
    std::string text = std::string(measure) + " of each parameter, most important first. ";
    for (const SensitivityRow& row : rows)
        text += record.inputs[row.input] + ": " +
                (sobol ? "first order " + significant(row.first) + ", total " + significant(row.total)
                       : "mu* " + significant(row.mu_star) + ", sigma " + significant(row.sigma)) +
                ". ";
    text.pop_back();
    return text;
}

std::string output_block(const SensitivityRecord& record, std::size_t output, std::vector<PageChart>& charts) {
    const std::vector<SensitivityRow> rows = ranked_rows(record, output);
    const std::string id = std::to_string(output), unit = unit_of(record.indicators[output]);
    const double noise = record.replication_noise[output];
    std::string html =
        "<div class=\"sensitivity-output\" id=\"output-" + id + "\">\n<h3>" + output_title(record, output) +
        "</h3>\n<p><code>" + escape_html(record.indicators[output]) +
        "</code>: " + escape_html(indicator_words(record.indicators[output])) +
        (unit.empty() ? "" : " (" + escape_html(unit) + ")") + ". It is " + ranking_sentence(record, output) +
        " <strong>Replication noise</strong>: the mean over " + std::to_string(record.replications) +
        " replications at one set of values is uncertain by about " + number(significant(noise)) +
        (unit.empty() ? "" : " " + escape_html(unit)) + " (its standard error); a change of that size is chance.";
    const std::vector<std::string> little = negligible_for(record, output);
    if (!little.empty())
        html += " " + list_of(little) + (little.size() == 1 ? " matters" : " matter") + " little for it.";
    html += "</p>\n";
    if (record.has_morris) {
        const std::string description = chart_description(record, rows, "Morris mu* and sigma", false);
        html += chart_figure("morris-" + id, "How far each parameter moves it (Morris)", description) +
                "The bar (mu*) is the average change in the output when the parameter moves across its range; the "
                "tick (sigma) how much that change varies with the other parameters (interactions or curvature); "
                "the dashed line the replication noise.</figcaption>\n</figure>\n";
        charts.push_back({"morris-" + id, charts::morris_chart(record, rows, noise, unit, description)});
    }
    if (record.has_sobol) {
        const std::string description = chart_description(record, rows, "Sobol first-order and total indices", true);
        html += chart_figure("sobol-" + id, "Its share of the output's variation (Sobol)", description) +
                "First order: the share of the output's variation over the ranges that the parameter causes alone; "
                "total: the share it has a hand in, with others. The lines are " +
                display(100.0 * record.confidence, ValueKind::percent, false, 0) +
                "% bootstrap intervals; the dashed line is the share replication noise alone would make.</figcaption>"
                "\n</figure>\n";
        charts.push_back({"sobol-" + id, charts::sobol_chart(record, rows, noise_share(record, output), description)});
    }
    return html + output_table(record, output, rows) + "</div>\n";
}

std::string outputs_section(const SensitivityRecord& record, bool effects, std::vector<PageChart>& charts) {
    const std::string id = effects ? "effects" : "figures";
    std::string html = section_start(id, effects ? "The option's effect" : "The published figures");
    if (effects) {
        html += "<p>The option <strong>" + escape_html(record.option_name) + "</strong> (<code>" +
                escape_html(record.option_file) +
                "</code>) was run beside the baseline at every set of values, on "
                "the same replications' streams; its effect is the option's result minus the baseline's, averaged "
                "over the replications. A parameter that ranks high here is one the decision depends on.</p>\n";
        if (!record.option_changes.empty()) {
            html += "<p>What it changes:</p>\n<ul>\n";
            for (const std::string& change : record.option_changes) html += "<li>" + escape_html(change) + "</li>\n";
            html += "</ul>\n";
        }
    } else {
        html += "<p>The model's value of each figure of the targets file <code>" + escape_html(record.targets_file) +
                "</code>: the parameters that rank high are those the figure can tell about.</p>\n";
    }
    for (std::size_t output = 0; output < record.outputs.size(); ++output)
        if (is_effect(record, output) == effects) html += output_block(record, output, charts);
    return html + "</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 5. Method notes

std::string method_section(const SensitivityRecord& record, const std::string& path, const ReportLibraries& libraries,
                           const ReportOptions& options) {
    std::string html = section_start("method", "Method notes") + "<dl class=\"facts\">\n";
    const auto fact = [&](const std::string& term, const std::string& value) {
        html += "<dt>" + term + "</dt><dd>" + value + "</dd>\n";
    };
    fact("Set-up file", "<code>" + escape_html(record.setup_file) + "</code>");
    fact("Scenario file", "<code>" + escape_html(record.scenario_file) + "</code>");
    fact("Targets file", "<code>" + escape_html(record.targets_file) + "</code>");
    if (!record.option_file.empty()) fact("Option file", "<code>" + escape_html(record.option_file) + "</code>");
    fact("Methods", methods_words(record));
    if (record.has_morris) fact("Morris grid", std::to_string(record.levels) + " levels per parameter");
    fact("Replications", std::to_string(record.replications) + " per set of values, the same streams at every set");
    fact("Random seed", std::to_string(record.seed));
    fact("Matters little", "for an output, when " + threshold_words(record));
    fact("Model", "ehsim " + escape_html(record.version));
    fact("Sensitivity file", "<code>" + escape_html(path) + "</code>");
    if (!options.written_utc.empty()) fact("This report", "written " + escape_html(options.written_utc));
    fact("Charts", charts_note(libraries));
    html +=
        "</dl>\n<h3>How to read the numbers</h3>\n<p><strong>Morris mu*</strong> is in the output's own units: "
        "how much the output changes, on average, when the parameter alone moves across its range. A large "
        "<strong>sigma</strong> beside it means that change depends on the other parameters. <strong>Sobol "
        "indices</strong> are shares of the output's variation over all the ranges together: the first-order "
        "index what the parameter does alone, the total index everything it has a hand in; the sum of the "
        "first-order indices is at most 1, and a total index near 0 means the parameter can be fixed.</p>\n"
        "<p><strong>Replication noise</strong> is the standard error of an output's mean over the replications "
        "at one set of values. Because every set of values runs the same streams, much of the noise cancels "
        "between sets; still, an effect or index no larger than the noise is not evidence that the parameter "
        "matters.</p>\n";
    return html + "</section>\n";
}

}  // namespace

std::string render_sensitivity_report(const std::string& path, const ReportLibraries& libraries,
                                      const ReportOptions& options) {
    return render_sensitivity_report(read_sensitivity_hdf5(path), path, libraries, options);
}

std::string render_sensitivity_report(const SensitivityRecord& record, const std::string& path,
                                      const ReportLibraries& libraries, const ReportOptions& options) {
    Page page;
    page.title = !options.title.empty() ? options.title
                 : record.option_name.empty()
                     ? std::string("Which uncertain parameters matter")
                     : "Which uncertain parameters matter, for the option " + record.option_name;
    page.subtitle =
        "Sensitivity analysis: " + plural(record.inputs.size(), "parameter", "parameters") + ", " +
        plural(record.outputs.size(), "output", "outputs") + "; " +
        (record.negligible.empty()
             ? std::string("every parameter matters for at least one output")
             : plural(record.negligible.size(), "parameter matters", "parameters matter") + " for none of them");
    page.generator = "ehsim " + record.version;
    page.sections.push_back({"summary", "Summary", summary_section(record)});
    page.sections.push_back({"parameters", "The uncertain parameters", parameter_section(record)});
    if (std::any_of(record.output_kinds.begin(), record.output_kinds.end(),
                    [](const std::string& kind) { return kind != kEffectOutput; }))
        page.sections.push_back({"figures", "The published figures", outputs_section(record, false, page.charts)});
    if (!record.option_file.empty())
        page.sections.push_back({"effects", "The option's effect", outputs_section(record, true, page.charts)});
    page.sections.push_back({"method", "Method notes", method_section(record, path, libraries, options)});
    return render_page(page, libraries);
}

}  // namespace ehsim::output
