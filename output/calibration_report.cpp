#include "output/calibration_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "output/calibration_sections.hpp"
#include "output/calibration_text.hpp"

namespace ehsim::output {
namespace {

using namespace html;
using namespace calibration_text;

// ---------------------------------------------------------------------------------------------------
// 1. Summary

std::string summary_section(const CalibrationResults& results, const std::vector<FitRow>& fit,
                            const std::vector<ParameterRow>& parameters) {
    std::string html = section_start("summary", "Summary");
    const std::size_t inside =
        static_cast<std::size_t>(std::count_if(fit.begin(), fit.end(), [](const FitRow& row) { return row.inside; }));
    const std::string targets_file = results.attribute("targets_file");
    html += "<p>The model";
    if (!results.scenario_name.empty())
        html += " (scenario <strong>" + escape_html(results.scenario_name) + "</strong>)";
    html += " was calibrated to <strong>" + plural(fit.size(), "published figure", "published figures") + "</strong>";
    const std::string council = !results.targets_council.empty() ? results.targets_council : results.council;
    if (!council.empty()) html += " of " + escape_html(council);
    if (!targets_file.empty()) html += " (<code>" + escape_html(targets_file) + "</code>)";
    html += ": " + plural(parameters.size(), "uncertain parameter was", "uncertain parameters were") +
            " fitted to them by approximate Bayesian computation";
    if (!results.generations.empty()) {
        html += ", over " + plural(results.generations.size(), "generation", "generations") + " and " +
                number(whole(total_simulations(results))) + " simulations";
    }
    html += ".</p>\n";

    html += "<p><strong>The calibrated model reproduces " + std::to_string(inside) + " of the " +
            std::to_string(fit.size()) +
            " published figures</strong>: for those, the published value lies inside the range that nine in ten of "
            "the calibrated model's runs fall in (its 90% interval).";
    if (inside < fit.size())
        html += " For the others it does not: the model cannot reproduce them with these parameters and priors.";
    html += "</p>\n<div class=\"sentences\">\n<ul>\n";
    for (const FitRow& row : fit) {
        const CalibrationTarget& target = *row.target;
        const ValueKind kind = value_kind(target);
        const int decimals = figure_decimals(row, kind);
        html += "<li><strong>" + escape_html(target.name) + "</strong> (" + escape_html(period_text(target)) +
                "): published " + published_text(row) + "; the model's median " +
                number(figure_value(row.model.p50, kind, decimals)) + ", nine runs in ten between " +
                number(figure_value(row.model.p05, kind, decimals)) + " and " +
                number(figure_value(row.model.p95, kind, decimals)) + ": ";
        html +=
            row.inside ? "<strong>reproduced</strong>." : "<strong>not reproduced</strong>, " + miss_text(row) + ".";
        if (!target.not_fitted.empty()) html += " Shown, not fitted: " + escape_html(target.not_fitted);
        if (!row.inside && !target.known_gap.empty()) html += " What the model lacks: " + escape_html(target.known_gap);
        html += "</li>\n";
    }
    html += "</ul>\n</div>\n";
    if (inside < fit.size()) {
        html +=
            "<p>A published figure outside the model's range points to something the model does not represent, or "
            "to a figure the council defines differently from the model: not to a parameter that more tuning would "
            "fix.</p>\n";
    }

    std::vector<std::string> narrowed, unchanged;
    for (const ParameterRow& row : parameters) {
        const std::string name = "<code>" + breakable(row.parameter->path) + "</code>";
        (std::isfinite(row.width_ratio) && row.width_ratio < 0.75 ? narrowed : unchanged).push_back(name);
    }
    html += "<p>";
    if (!narrowed.empty()) {
        html += "The published figures narrowed the range of " + list_of(narrowed) +
                " (to less than three quarters of the width the prior gave).";
    }
    if (!unchanged.empty()) {
        const bool one = unchanged.size() == 1;
        html += std::string(narrowed.empty() ? "" : " ") + "They say little about " + list_of(unchanged) + ": " +
                (one ? "its range is" : "their ranges are") +
                " still about as wide as before the calibration, and results that depend on " + (one ? "it" : "them") +
                " carry that uncertainty.";
    }
    const std::string stop_reason = results.attribute("stop_reason");
    if (!stop_reason.empty()) html += " The calibration stopped because: " + escape_html(stop_reason) + ".";
    html += "</p>\n</section>\n";
    return html;
}

// ---------------------------------------------------------------------------------------------------
// 4. How the calibration went

// The generations' table; with a column for the steps the emulators screened out when any were.
std::string generation_table(const std::vector<CalibrationGeneration>& generations, bool screened_any) {
    std::string html;
    html +=
        "<div class=\"table-wrap\"><table id=\"generation-table\">\n<caption>Each generation of the calibration."
        "</caption>\n" +
        table_head(screened_any
                       ? std::vector<std::string>{"Generation", "Tolerance", "Acceptance rate", "Effective sample size",
                                                  "Distinct particles", "Steps per copy", "Simulations",
                                                  "Proposals outside the prior", "Steps screened out", "Wall time"}
                       : std::vector<std::string>{"Generation", "Tolerance", "Acceptance rate", "Effective sample size",
                                                  "Distinct particles", "Steps per copy", "Simulations",
                                                  "Proposals outside the prior", "Wall time"});
    for (std::size_t g = 0; g < generations.size(); ++g) {
        const CalibrationGeneration& row = generations[g];
        const auto cell = [](const std::string& text, double value) {
            return "<td data-value=\"" + exact_number(value) + "\">" + text + "</td>";
        };
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f s", row.wall_seconds);
        html +=
            "<tr><th scope=\"row\">" + std::to_string(g) + "</th>" + cell(significant(row.tolerance), row.tolerance) +
            cell(std::isfinite(row.acceptance_rate)
                     ? display(100.0 * row.acceptance_rate, ValueKind::percent, false, 1) + "%"
                     : "not available",
                 row.acceptance_rate) +
            cell(whole(row.effective_sample_size), row.effective_sample_size) +
            cell(std::isfinite(row.distinct_particles) ? whole(row.distinct_particles) : "not recorded",
                 row.distinct_particles) +
            cell(!std::isfinite(row.moves) ? "not recorded" : (row.moves > 0 ? whole(row.moves) : "none"), row.moves) +
            cell(whole(row.simulations), row.simulations) +
            cell(whole(row.proposals_outside_prior), row.proposals_outside_prior) +
            (screened_any ? cell(std::isfinite(row.proposals_screened) ? whole(row.proposals_screened) : "none",
                                 row.proposals_screened)
                          : std::string()) +
            cell(std::isfinite(row.wall_seconds) ? std::string(seconds) : "not recorded", row.wall_seconds) + "</tr>\n";
    }
    return html;
}

std::string progress_section(const CalibrationResults& results) {
    std::string html = section_start("progress", "How the calibration went");
    const std::vector<CalibrationGeneration>& generations = results.generations;
    const bool moves = results.attribute("abc_method") == "mcmc_moves";
    const bool screened_any = std::any_of(generations.begin(), generations.end(), [](const CalibrationGeneration& g) {
        return std::isfinite(g.proposals_screened) && g.proposals_screened > 0;
    });
    if (generations.empty()) return html + "<p>The file records no generation.</p>\n</section>\n";
    // Each figure's miss is measured in its stated error when the distance scales are the errors.
    bool stated_error = true;
    for (const CalibrationTarget& target : results.targets)
        stated_error = stated_error && std::isfinite(target.error_sd) && target.distance_scale == target.error_sd;
    html +=
        "<p>The calibration ran in generations. Each generation kept the parameter values whose simulated figures "
        "came within its <strong>tolerance</strong> of the published ones, and set a tighter tolerance for the "
        "next. The tolerance is the typical distance between the simulated and the published figures, measured " +
        std::string(stated_error ? "in each figure's stated error (1 means about one error away on average)"
                                 : "on each figure's own scale") +
        (moves ? ". After the first generation, the particles beyond each new tolerance were replaced by copies of "
                 "those within it, and each copy took <strong>steps</strong> (Metropolis-Hastings moves) that keep it "
                 "within the tolerance. The <strong>acceptance rate</strong> is the share of steps accepted; the "
                 "weights are equal, so the effective sample size is the number of particles, and the number of "
                 "<strong>distinct particles</strong> (different parameter values) says how many of them a copy "
                 "has not merely repeated." +
                     std::string(screened_any ? " Each step was first screened by history matching's emulators, which "
                                                "predict the figures a run would give; only the steps the screen let "
                                                "through were simulated, and a second test on the run corrects for the "
                                                "screen, so the posterior is the one the simulations alone would give "
                                                "(<strong>steps screened out</strong> cost no simulation)."
                                              : "") +
                     "</p>\n"
               : ". The <strong>acceptance rate</strong> is the share of simulations kept, and the <strong>effective "
                 "sample size</strong> how many independent values the weighted set is worth.</p>\n");
    html += generation_table(generations, screened_any);
    html += "</tbody></table></div>\n<p>";
    const std::string stop_reason = results.attribute("stop_reason");
    html += "It stopped after " + plural(generations.size(), "generation", "generations") + " and " +
            number(whole(total_simulations(results))) + " simulations" +
            (stop_reason.empty() ? std::string(" (the file does not say why).")
                                 : ", because: <strong>" + escape_html(stop_reason) + "</strong>.");
    const CalibrationGeneration& last = generations.back();
    if (std::isfinite(last.tolerance) && stated_error) {
        html += last.tolerance > 1.0
                    ? " The last tolerance, " + significant(last.tolerance) +
                          ", is above 1: the simulated figures are still further than one stated error from the "
                          "published ones on average."
                    : " The last tolerance, " + significant(last.tolerance) +
                          ", is within about one stated error of the figures on average.";
    }
    if (moves && std::isfinite(last.distinct_particles) && last.distinct_particles < 200) {
        html += " The last generation holds only " + whole(last.distinct_particles) +
                " distinct particles: few values represent the posterior, so its intervals are rough. More steps "
                "per copy or more particles would refine them.";
    } else if (std::isfinite(last.effective_sample_size) && last.effective_sample_size < 200) {
        html += " The last generation's effective sample size, " + whole(last.effective_sample_size) +
                ", is small: few particles represent the posterior, so its intervals are rough. More particles "
                "would refine them.";
    }
    return html + "</p>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 4b. History matching, when the calibration ran it first

// Two significant figures, as plain decimals ("95", "4.5", "0.37"): these are rough measures, not counts.
std::string two_figures(double value) {
    char text[32];
    std::snprintf(text, sizeof text, std::abs(value) >= 10 ? "%.0f" : "%.2g", value);
    return text;
}

// The percentage of the priors' range left, in words a panel reads ("0.37%", "less than 0.001%").
std::string share_left(double volume) {
    if (!std::isfinite(volume)) return "not recorded";
    if (volume > 0 && volume < 1e-5) return "less than 0.001%";
    return two_figures(100.0 * volume) + "%";
}

std::string history_matching_section(const CalibrationResults& results) {
    std::string html = section_start("history-matching", "Ruling out first: history matching");
    const std::vector<CalibrationWave>& waves = results.waves;
    const std::string rule = results.history_matching_rule == "maximum" ? "largest" : "second largest";
    html += "<p>Before the generations above, " + plural(waves.size(), "wave", "waves") +
            " of simulations ruled out the parameter values that the published figures forbid. Each wave ran a "
            "spread of parameter values, fitted a statistical stand-in (an <strong>emulator</strong>) to each "
            "figure, and set aside every value whose " +
            rule + " miss, counted in the figures' uncertainty, was beyond " +
            (std::isfinite(results.history_matching_cutoff) ? significant(results.history_matching_cutoff) : "3") +
            ". The calibration then searched only the space left.</p>\n";
    html +=
        "<div class=\"table-wrap\"><table id=\"wave-table\">\n<caption>Each wave of history matching: the "
        "emulators' leave-one-out check is the share of runs each emulator predicted within two of its standard "
        "errors from the others (about 95% if it is apt); the space left is a share of the priors' range.</caption>"
        "\n" +
        table_head({"Wave", "Parameter values run", "Simulations", "Leave-one-out within 2 (mean, lowest)",
                    "Space left", "Wall time"});
    for (std::size_t w = 0; w < waves.size(); ++w) {
        const CalibrationWave& wave = waves[w];
        double sum = 0, lowest = 1;
        std::size_t counted = 0;
        for (const double share : wave.loo_within_2)
            if (std::isfinite(share)) sum += share, lowest = std::min(lowest, share), ++counted;
        const std::string check = counted == 0 ? "not recorded"
                                               : two_figures(100.0 * sum / static_cast<double>(counted)) + "%, " +
                                                     two_figures(100.0 * lowest) + "%";
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f s", wave.wall_seconds);
        html += "<tr><th scope=\"row\">" + std::to_string(w + 1) + "</th><td>" + whole(wave.points) + "</td><td>" +
                whole(wave.simulations) + "</td><td>" + check + "</td><td data-value=\"" + exact_number(wave.volume) +
                "\">" + share_left(wave.volume) + "</td><td>" + std::string(seconds) + "</td></tr>\n";
    }
    html += "</tbody></table></div>\n<p>History matching stopped because: <strong>" +
            escape_html(results.history_matching_stop.empty() ? "not recorded" : results.history_matching_stop) +
            "</strong>.";
    for (const std::string& warning : results.history_matching_warnings) html += " " + escape_html(warning) + ".";
    // The figures that no run of the last wave met: what the parameters cannot reach.
    std::string missed;
    const CalibrationWave& last = waves.back();
    for (std::size_t t = 0; t < results.targets.size() && t < last.closest.size(); ++t)
        if (std::isfinite(last.closest[t]) && last.closest[t] > results.history_matching_cutoff)
            missed += std::string(missed.empty() ? "" : "; ") + escape_html(results.targets[t].name) +
                      " (closest run " + two_figures(last.closest[t]) + " uncertainties away)";
    if (!missed.empty())
        html += " No run of the last wave came within the cut-off of: " + missed +
                ". Either a parameter that moves these figures is not among those calibrated, or the model counts "
                "them differently from the published figure (docs/calibration.md).";
    return html + "</p>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 5. Method notes

std::string method_section(const CalibrationResults& results, const std::vector<FitRow>& fit,
                           const ReportLibraries& libraries, const ReportOptions& options) {
    std::string html = section_start("method", "Method notes");
    html += "<dl class=\"facts\">\n";
    const auto fact = [&](const std::string& term, const std::string& value) {
        html += "<dt>" + term + "</dt><dd>" + value + "</dd>\n";
    };
    const auto recorded = [&](const char* name) {
        const std::string value = results.attribute(name);
        return value.empty() ? std::string("not recorded") : escape_html(value);
    };
    const auto file_fact = [&](const char* term, const char* file, const char* hash) {
        const std::string path = results.attribute(file), fingerprint = results.attribute(hash);
        if (path.empty()) return fact(term, "not recorded");
        fact(term,
             "<code>" + escape_html(path) + "</code>" +
                 (fingerprint.empty() ? std::string() : ", fingerprint <code>" + escape_html(fingerprint) + "</code>"));
    };
    fact("Random seed", recorded("seed"));
    fact("Particles", recorded("particles") + " (parameter sets carried from generation to generation)");
    const std::string total = results.attribute("total_simulations");
    fact("Simulations", total.empty() ? number(whole(total_simulations(results))) : escape_html(total));
    if (!results.parameters.empty())
        fact("Posterior draws", std::to_string(results.parameters.front().posterior.size()) +
                                    " (an equal-weight resample of the last generation's weighted particles)");
    if (!fit.empty())
        fact("Runs for the fit", std::to_string(fit.front().target->predictive.size()) +
                                     " fresh runs of the model with parameters drawn from the posterior");
    file_fact("Set-up file", "setup_file", "setup_fnv1a64");
    file_fact("Scenario file", "scenario_file", "scenario_fnv1a64");
    file_fact("Targets file", "targets_file", "targets_fnv1a64");
    fact("Model", "ehsim " + recorded("ehsim_version") + ", commit <code>" + recorded("git_commit") + "</code>");
    fact("Calibration file", "<code>" + escape_html(results.path) + "</code>, written " + recorded("created_utc"));
    if (!options.written_utc.empty()) fact("This report", "written " + escape_html(options.written_utc));
    fact("Charts", charts_note(libraries));
    html += "</dl>\n";
    html +=
        "<p>A fingerprint (FNV-1a, 64 bits) is computed from a file's bytes: a file with another fingerprint is "
        "not the file this calibration used.</p>\n";
    html +=
        "<h3>How the calibration works</h3>\n<p>The calibration (approximate Bayesian computation by sequential "
        "Monte Carlo, ABC-SMC) draws many sets of parameter values, first from the priors, runs the model once "
        "with each, and keeps those whose figures come close enough to the published ones. Each later generation "
        "moves the kept values a little, runs them again and keeps them under a tighter tolerance, so what "
        "remains, weighted by how plausible it is, is the posterior: every set of values that reproduces the "
        "published figures about as well as their errors allow, not one best guess.</p>\n";
    html +=
        "<h3>What the intervals mean</h3>\n<p>A parameter's <strong>90% interval</strong> is the range of its "
        "middle nine in ten draws: before the calibration (prior) and after it (posterior). A figure's 90% "
        "interval is the range that nine in ten fresh runs of the calibrated model fell in, each run with its own "
        "parameter values from the posterior, its own chance events, and the allowance for the difference between "
        "the council's recording and the model's. It is therefore wider than chance alone would make it. A "
        "published figure inside it is one the model can reproduce; outside, one it cannot.</p>\n";
    html +=
        "<h3>Limits</h3>\n<p>A calibration finds the values that make the model agree with the published figures; "
        "it cannot make up for what the model leaves out. Options run on this calibration (with "
        "<code>--posterior</code>) carry the posterior's uncertainty as well as chance.</p>\n";
    return html + "</section>\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

std::string render_calibration_report(const std::string& path, const ReportLibraries& libraries,
                                      const ReportOptions& options, const std::string& sensitivity_file) {
    return render_calibration_report(read_calibration_results(path), libraries, options, sensitivity_file);
}

std::string render_calibration_report(const CalibrationResults& results, const ReportLibraries& libraries,
                                      const ReportOptions& options, const std::string& sensitivity_file) {
    const std::vector<FitRow> fit = calibration_fit(results);
    const std::vector<ParameterRow> parameters = calibration_parameters(results);
    const std::size_t inside =
        static_cast<std::size_t>(std::count_if(fit.begin(), fit.end(), [](const FitRow& row) { return row.inside; }));
    const std::string who = !results.targets_council.empty() ? results.targets_council
                            : !results.council.empty()       ? results.council
                                                             : results.scenario_name;
    Page page;
    page.title = !options.title.empty() ? options.title
                 : who.empty()          ? std::string("Calibration of the model to published figures")
                                        : "Calibration of the model to " + who + "'s published figures";
    page.subtitle = "Model calibration: " + plural(parameters.size(), "parameter", "parameters") + " fitted to " +
                    plural(fit.size(), "published figure", "published figures") + "; " + std::to_string(inside) +
                    " of " + std::to_string(fit.size()) + " reproduced";
    page.generator =
        "ehsim " + results.attribute("ehsim_version") + " (commit " + results.attribute("git_commit") + ")";
    page.sections.push_back({"summary", "Summary", summary_section(results, fit, parameters)});
    page.sections.push_back({"fit", "Published figures beside the model's", fit_section(fit, page.charts)});
    page.sections.push_back({"parameters", "The parameters", parameter_section(parameters, page.charts)});
    if (!sensitivity_file.empty())
        page.sections.push_back(
            {"sensitivity", "Which parameters matter",
             sensitivity_section(parameters, read_sensitivity_hdf5(sensitivity_file), sensitivity_file)});
    page.sections.push_back({"progress", "How the calibration went", progress_section(results)});
    if (!results.waves.empty())
        page.sections.push_back(
            {"history-matching", "Ruling out first: history matching", history_matching_section(results)});
    page.sections.push_back({"method", "Method notes", method_section(results, fit, libraries, options)});
    return render_page(page, libraries);
}

}  // namespace ehsim::output
