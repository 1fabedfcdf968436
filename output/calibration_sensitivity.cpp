// The calibration report's sensitivity section: which calibrated parameters move which published figure, from a
// sensitivity study of the same set-up (`ehsim sensitivity`), beside how much the calibration narrowed each.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "output/calibration_sections.hpp"
#include "output/calibration_text.hpp"
#include "output/report_html.hpp"

namespace ehsim::output {

namespace {

using namespace html;
using namespace calibration_text;

// How much input i matters for output o, as a share of what the most influential input does for o: Morris mu*
// over the largest mu*, or else the Sobol' total index (already a share). NaN when the study has neither.
double influence(const SensitivityRecord& study, std::size_t input, std::size_t output) {
    const std::size_t outputs = study.outputs.size();
    if (study.has_morris) {
        double largest = 0;
        for (std::size_t i = 0; i < study.inputs.size(); ++i)
            largest = std::max(largest, study.mu_star[i * outputs + output]);
        return largest > 0 ? study.mu_star[input * outputs + output] / largest : 0.0;
    }
    if (study.has_sobol) return study.total[input * outputs + output];
    return std::nan("");
}

struct Ranked {
    std::string path;
    double strongest = 0;  // the largest influence over the figures
    std::string strongest_for;
    std::size_t leading = 0;  // figures for which it is among the three most influential
    double width_ratio = std::nan("");
};

std::vector<Ranked> ranked_parameters(const SensitivityRecord& study, const std::vector<ParameterRow>& rows) {
    std::vector<Ranked> ranked;
    const std::size_t inputs = study.inputs.size();
    for (std::size_t i = 0; i < inputs; ++i) {
        Ranked row{study.inputs[i], 0, "", 0, std::nan("")};
        for (const ParameterRow& parameter : rows)
            if (parameter.parameter->path == study.inputs[i]) row.width_ratio = parameter.width_ratio;
        for (std::size_t o = 0; o < study.outputs.size(); ++o) {
            const double mine = influence(study, i, o);
            std::size_t above = 0;
            for (std::size_t j = 0; j < inputs; ++j) above += influence(study, j, o) > mine ? 1 : 0;
            if (above < 3 && mine > 0) ++row.leading;
            if (mine > row.strongest) row.strongest = mine, row.strongest_for = study.outputs[o];
        }
        ranked.push_back(row);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const Ranked& a, const Ranked& b) { return a.leading > b.leading; });
    return ranked;
}

}  // namespace

std::string sensitivity_section(const std::vector<ParameterRow>& rows, const SensitivityRecord& study,
                                const std::string& study_file) {
    std::string html = section_start("sensitivity", "Which parameters matter");
    const std::string method = study.has_morris ? "Morris screening (" + std::to_string(study.trajectories) +
                                                      " trajectories; influence is mu* over the largest mu* for "
                                                      "that figure)"
                                                : "Sobol' indices (influence is the total index)";
    html += "<p>From the sensitivity study <code>" + escape_html(study_file) + "</code> of the set-up <code>" +
            escape_html(study.setup_file) + "</code>, by " + method +
            ": which parameter moves which published figure across its prior range. A parameter that moves many "
            "figures is one the figures can pin down; the last column says how far the calibration did (its "
            "posterior 90% interval as a share of the prior's).</p>\n";
    html +=
        "<div class=\"table-wrap\"><table id=\"sensitivity-table\">\n<caption>The calibrated parameters, "
        "those that lead the most figures first.</caption>\n" +
        table_head({"Parameter", "Figures it is among the three leading parameters for", "Moves most",
                    "Influence there", "Posterior width over prior width"});
    for (const Ranked& row : ranked_parameters(study, rows)) {
        html += "<tr><th scope=\"row\">" + breakable(row.path) + "</th><td>" + std::to_string(row.leading) + " of " +
                std::to_string(study.outputs.size()) + "</td><td>" +
                (row.strongest_for.empty() ? std::string("nothing") : escape_html(row.strongest_for)) + "</td><td>" +
                significant(row.strongest) + "</td><td>" +
                (std::isfinite(row.width_ratio) ? significant(row.width_ratio) : std::string("not calibrated")) +
                "</td></tr>\n";
    }
    html += "</tbody></table></div>\n<p>";
    if (study.negligible.empty()) {
        html += "Every parameter of the study matters for at least one figure.";
    } else {
        html += "Matter for no figure (they could be fixed at their scenario values):";
        for (const std::string& input : study.negligible) html += " <code>" + escape_html(input) + "</code>";
        html += ".";
    }
    return html + " The study's own report (<code>ehsim report " + escape_html(study_file) +
           "</code>) charts every figure's ranking.</p>\n</section>\n";
}

}  // namespace ehsim::output
