#include "sim/authority/authority_files.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace ehsim::authority {
namespace {

// The template's reference authority: Walsall's hand-made baseline (scenarios/walsall/baseline.yaml) and the DfE
// figures its values were set against; tests/authority checks these against the tables.
constexpr double kWalsallChildren = 66044;  // ONS mid-2016, aged 0-17: ons_mid-year_population_estimates.csv
constexpr double kWalsallReferralsPer10000 = 4586.0 / kWalsallChildren * 10000.0;  // c1, 2017, referral_count
constexpr double kWalsallIncidenceLevel4 = 0.04;  // set to bring Walsall's referrals near DfE's 4,586
constexpr double kWalsallHubs = 4;
constexpr double kWalsallSocialCareScreeners = 6, kWalsallEarlyHelpScreeners = 3;
constexpr double kWalsallPopulationGrowth = 0.005;
// Early help FTE of Walsall's baseline, by role.
constexpr std::pair<const char*, double> kWalsallTeams[] = {{"family_support_fte", 47},
                                                            {"youth_worker_fte", 8},
                                                            {"voluntary_sector_fte", 4},
                                                            {"health_visitor_fte", 4},
                                                            {"school_staff_fte", 20}};

// `value` with at most `places` decimals, trailing zeros dropped.
std::string decimal(double value, int places) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", places, value);
    std::string out = text;
    if (out.find('.') != std::string::npos) {
        while (out.back() == '0') out.pop_back();
        if (out.back() == '.') out.pop_back();
    }
    return out == "-0" ? "0" : out;
}

// A count as a reader writes it: 42,981.
std::string with_commas(double value) {
    std::string digits = decimal(std::round(value), 0);
    for (int i = static_cast<int>(digits.size()) - 3; i > (digits[0] == '-' ? 1 : 0); i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string where(const Figure& figure) {
    return "(" + figure.cell.text() + (figure.stand_in.empty() ? "" : "; " + figure.stand_in) + ")";
}

std::string sites(double scale, const std::string& locality) {
    const int hubs = std::max(1, static_cast<int>(std::lround(kWalsallHubs * scale)));
    std::string text;
    for (int hub = 1; hub <= hubs; ++hub)
        text += "  - {name: " + yaml_quoted(hubs == 1 ? "Family hub" : "Family hub " + std::to_string(hub)) +
                ", locality: " + locality +
                ", type: hub, running_cost_per_year: {pounds: 150000, source: \"assumed (Walsall's value): building, "
                "utilities and site staff\"}}\n";
    return text + "  - {name: Outreach, locality: " + locality +
           ", type: spoke, running_cost_per_year: {pounds: 20000, source: \"assumed (Walsall's value): room hire "
           "for outreach\"}}";
}

}  // namespace

std::string file_stem(const std::string& authority) {
    std::string stem;
    for (const char c : authority) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            stem += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!stem.empty() && stem.back() != '-')
            stem += '-';
    }
    while (!stem.empty() && stem.back() == '-') stem.pop_back();
    return stem.empty() ? "authority" : stem;
}

std::string yaml_quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::map<std::string, std::string> template_values(const BaselineFigures& figures) {
    const std::string& name = figures.authority.name;
    const double children = figures.children.value;
    const double scale = children / kWalsallChildren;
    const int year = figures.year;
    std::map<std::string, std::string> values;
    values["authority_comment"] = name;
    values["year_label"] = std::to_string(year - 1) + "-" + std::to_string(year % 100 / 10) + std::to_string(year % 10);
    values["year"] = std::to_string(year);
    values["code_changes"] =
        figures.authority.code_changes.empty()
            ? "#"
            : "# " + figures.authority.code_changes + ": figures of other years may count a different area.";
    values["scale"] = decimal(scale, 3);
    values["name"] = file_stem(name) + "-baseline";
    values["council"] = yaml_quoted(name);
    values["locality"] = yaml_quoted(name);
    values["children_aged_0_to_17"] = decimal(children, 0);
    values["children_source"] = "ONS mid-" + std::to_string(figures.children.cell.year) +
                                " estimate of children aged 0-17, for the year to 31 March " + std::to_string(year) +
                                " " + where(figures.children);
    values["start_date"] = std::to_string(year - 1) + "-04-01";
    // Single years of age: 0-4 is five of them, 5-10 six, 11-15 five, 16-19 four.
    const double per_year_of_age = children / 18.0;
    values["age_0_to_4"] = decimal(std::round(per_year_of_age * 5), 0);
    values["age_5_to_10"] = decimal(std::round(per_year_of_age * 6), 0);
    values["age_11_to_15"] = decimal(std::round(per_year_of_age * 5), 0);
    values["age_16_to_19"] = decimal(std::round(per_year_of_age * 4), 0);
    values["sites"] = sites(scale, values["locality"]);
    for (const auto& [key, walsall] : kWalsallTeams) values[key] = decimal(walsall * scale, 2);
    values["social_worker_fte"] = decimal(figures.social_workers.value, 2);
    values["social_worker_source"] = decimal(figures.social_workers.value, 2) + " case-holding FTE at 30 September " +
                                     std::to_string(figures.social_workers.cell.year) + " " +
                                     where(figures.social_workers) + ".";

    const double referrals_per_10000 = figures.referrals.value / children * 10000.0;
    values["incidence_level_4"] = decimal(kWalsallIncidenceLevel4 * referrals_per_10000 / kWalsallReferralsPer10000, 3);
    values["incidence_source"] =
        "assumed: Walsall's 0.04 scaled by DfE's referral rate (" + decimal(referrals_per_10000, 0) +
        " against Walsall's " + decimal(kWalsallReferralsPer10000, 0) +
        " per 10,000 in 2016-17): " + with_commas(figures.referrals.value) + " referrals " + where(figures.referrals);
    if (figures.children_five_years_before) {
        const Figure& before = *figures.children_five_years_before;
        const double growth = std::pow(children / before.value, 1.0 / 5.0) - 1.0;
        values["population_growth"] = decimal(growth, 4);
        values["growth_source"] = "ONS children aged 0-17: " + with_commas(before.value) + " at mid-" +
                                  std::to_string(before.cell.year) + ", " + with_commas(children) + " at mid-" +
                                  std::to_string(figures.children.cell.year) + " (" + before.cell.file +
                                  "), the same growth a year assumed to go on";
    } else {
        values["population_growth"] = decimal(kWalsallPopulationGrowth, 4);
        values["growth_source"] = "assumed (Walsall's value): ONS publishes no count of children five years earlier";
    }
    values["social_care_screeners"] = decimal(std::max(1.0, std::round(kWalsallSocialCareScreeners * scale)), 0);
    values["early_help_screeners"] = decimal(std::max(1.0, std::round(kWalsallEarlyHelpScreeners * scale)), 0);

    const double share = figures.referrals.value > 0 ? figures.no_further_action.value / figures.referrals.value : 0;
    values["referral_no_further_action"] = decimal(std::clamp(std::round(share * 1000) / 1000, 0.01, 0.99), 3);
    values["no_further_action_source"] =
        "near DfE's " + decimal(100 * share, 1) + "%: " + with_commas(figures.no_further_action.value) + " of " +
        with_commas(figures.referrals.value) + " referrals closed with no further " + "action " +
        where(figures.no_further_action) + "; at least 1% so that the route exists (assumed)";
    return values;
}

std::string fill_template(const std::string& template_text, const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = template_text.find("{{", at);
        if (open == std::string::npos) break;
        const std::size_t close = template_text.find("}}", open);
        if (close == std::string::npos) throw DfeDataError("the scenario template has a '{{' with no '}}'");
        const std::string key = template_text.substr(open + 2, close - open - 2);
        const auto value = values.find(key);
        if (value == values.end()) throw DfeDataError("the scenario template's {{" + key + "}} has no value");
        out += template_text.substr(at, open - at) + value->second;
        at = close + 2;
    }
    return out + template_text.substr(at);
}

std::string baseline_text(const BaselineFigures& figures, const std::string& template_text) {
    return fill_template(template_text, template_values(figures));
}

std::string targets_text(const Authority& authority, int year, const std::vector<TargetFigure>& targets) {
    const std::string years =
        std::to_string(year - 1) + "-" + std::to_string(year % 100 / 10) + std::to_string(year % 10);
    std::string text = "# " + authority.name + ", " + years +
                       ": DfE's published children's social care figures for the year to 31 March " +
                       std::to_string(year) +
                       ", written by `ehsim new-scenario`\n"
                       "# beside the baseline of the same year. Every source names the publication, year, file, "
                       "authority and column\n"
                       "# of the figure (tests/calibration/dfe_targets_test.cpp re-reads such sources); rates per "
                       "10,000 are recomputed\n"
                       "# from the count and ONS's children aged 0-17 at mid-" +
                       std::to_string(year - 1) +
                       ", also the rate's Poisson denominator. Errors: Poisson for counts,\n"
                       "# binomial for percentages, plus a discrepancy for DfE's recording against the model's "
                       "definitions, as in the\n"
                       "# calibrated councils' targets files (calibration/targets/, which give the reasons).\n";
    for (const TargetFigure& target : targets)
        if (!target.figure) text += "# Left out: " + target.name + ", " + target.left_out + ".\n";
    text += "council: " + yaml_quoted(authority.name) +
            "\ndescription: " + yaml_quoted("DfE children's social care, year to 31 March " + std::to_string(year)) +
            "\ntargets:\n";
    const std::string from = std::to_string(year - 1) + "-04", to = std::to_string(year) + "-03";
    for (const TargetFigure& target : targets) {
        if (!target.figure) continue;
        const Figure& figure = *target.figure;
        const bool workforce = target.cases.has_value();
        const std::string month = workforce ? std::to_string(figure.cell.year) + "-09" : to;
        text += "  - {name: " + target.name + ", indicator: " + target.indicator +
                ", from: " + (target.stock ? month : from) + ", to: " + month + ", kind: " + target.kind +
                ",\n     value: ";
        std::string source = figure.cell.text();
        if (target.kind == "rate_per_10000") {
            text += decimal(figure.value / target.per->value * 10000.0, 1) +
                    ", sampling_error: poisson, denominator: " + decimal(target.per->value, 0);
            source += "; per 10,000 of " + target.per->cell.text();
        } else if (target.kind == "proportion") {
            text +=
                decimal(figure.value, 6) + ", sampling_error: binomial, denominator: " + decimal(target.per->value, 0);
        } else if (workforce) {
            text += decimal(figure.value, 6) + ", sampling_error: stated, standard_error: " +
                    decimal(figure.value / std::sqrt(target.cases->value), 3);
        } else {
            text += decimal(figure.value, 6) + ", sampling_error: poisson";
        }
        text += ", discrepancy: " + decimal(target.discrepancy, 2) + ",\n     source: " + yaml_quoted(source);
        if (!target.not_fitted.empty()) text += ",\n     not_fitted: " + yaml_quoted(target.not_fitted);
        text += "}\n";
    }
    return text;
}

}  // namespace ehsim::authority
