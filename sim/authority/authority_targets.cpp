// The DfE figures an authority's targets file fits for one year: those the calibrated councils' targets files
// fit (calibration/targets/), with the same errors, each left out with DfE's reason when its cell has no figure.
#include <cmath>

#include "sim/authority/authority_figures.hpp"

namespace ehsim::authority {
namespace {

enum class Table { children_in_need, referrals, plans_started, plans_open, looked_after, workforce };

struct TargetSpec {
    const char* name;
    const char* indicator;
    const char* kind;  // count, proportion, rate_per_10000
    Table table;
    const char* column;
    bool stock;
    double discrepancy;
    const char* percent_of;  // a proportion's binomial denominator, a column of the same row
};

// Discrepancies as calibration/targets/*.yaml state them: 10% for what the model represents directly, 15% for
// referrals and shares of them, 20% for assessed not in need and caseloads, 30% for small counts that follow
// local recording practice.
constexpr TargetSpec kTargets[] = {
    {"dfe_referrals", "social_care_referrals", "count", Table::referrals, "referral_count", false, 0.15, nullptr},
    {"dfe_rereferrals_within_12_months", "social_care_rereferral_pct", "proportion", Table::referrals,
     "rereferral_percent", false, 0.15, "referral_count"},
    {"dfe_referrals_no_further_action", "referrals_no_further_action", "count", Table::referrals,
     "no_further_action_count", false, 0.3, nullptr},
    {"dfe_assessed_not_in_need", "assessed_not_in_need", "count", Table::referrals, "not_in_need_count", false, 0.2,
     nullptr},
    {"dfe_children_in_need_started", "children_in_need_episodes_started", "count", Table::children_in_need,
     "Started_episodes", false, 0.1, nullptr},
    {"dfe_children_in_need_ended", "children_in_need_episodes_ended", "count", Table::children_in_need,
     "Ended_episodes", false, 0.1, nullptr},
    {"dfe_children_in_need", "children_in_need", "count", Table::children_in_need, "At31_episodes", true, 0.1, nullptr},
    {"dfe_children_in_need_per_10000", "children_in_need_per_10000", "rate_per_10000", Table::children_in_need,
     "At31_episodes", true, 0.1, nullptr},
    {"dfe_awaiting_assessment", "awaiting_assessment", "count", Table::children_in_need, "awaiting_assessment", true,
     0.3, nullptr},
    {"dfe_protection_plans_started", "protection_plans_started", "count", Table::plans_started, "CPP_start", false, 0.1,
     nullptr},
    {"dfe_second_protection_plans", "second_protection_plans_pct", "proportion", Table::plans_started,
     "CPP_subsequent_percent", false, 0.15, "CPP_start"},
    {"dfe_children_on_protection_plans", "children_on_protection_plans", "count", Table::plans_open, "CPP_At31", true,
     0.1, nullptr},
    {"dfe_child_protection_per_10000", "child_protection_per_10000", "rate_per_10000", Table::plans_open, "CPP_At31",
     true, 0.1, nullptr},
    {"dfe_protection_plans_under_3_months", "protection_plans_under_3_months_pct", "proportion", Table::plans_open,
     "3_months_or_less_percent", true, 0.15, "CPP_At31"},
    {"dfe_protection_plans_3_to_6_months", "protection_plans_3_to_6_months_pct", "proportion", Table::plans_open,
     "more_than_3_months_6_months_percent", true, 0.15, "CPP_At31"},
    {"dfe_protection_plans_6_to_12_months", "protection_plans_6_to_12_months_pct", "proportion", Table::plans_open,
     "more_than_6_months_less_than_1_year_percent", true, 0.15, "CPP_At31"},
    {"dfe_protection_plans_1_to_2_years", "protection_plans_1_to_2_years_pct", "proportion", Table::plans_open,
     "1_year_less_than_2_years_percent", true, 0.15, "CPP_At31"},
    {"dfe_protection_plans_2_years_or_more", "protection_plans_2_years_or_more_pct", "proportion", Table::plans_open,
     "2_years_or_more_percent", true, 0.15, "CPP_At31"},
    {"dfe_children_looked_after", "children_looked_after", "count", Table::looked_after, nullptr, true, 0.1, nullptr},
    {"dfe_looked_after_per_10000", "looked_after_per_10000", "rate_per_10000", Table::looked_after, nullptr, true, 0.1,
     nullptr},
    {"dfe_social_work_cases_per_fte", "social_work_cases_per_fte", "count", Table::workforce, "caseload_fte", true, 0.2,
     nullptr},
};

const char* const kAwaitingNotFitted =
    "DfE counts far fewer children awaiting assessment at 31 March than the model holds waiting for or in "
    "assessment (England 2025: 16,290 against 396,870 episodes started in the year, about 15 days of starts): the "
    "two count different things (docs/indicators.md, docs/calibration.md)";

// The cell a target reads for `year`; looked-after children are in one file to 2017 and another from 2021.
std::optional<CsvCell> cell_for(const DfeTables& tables, const TargetSpec& spec, const std::string& area, int year) {
    const auto make = [&](const char* publication, const char* when, const DfeTable& table, const char* column,
                          std::vector<std::string> also = {}) {
        return CsvCell{publication, when, year, table.file_name(), area, std::move(also), column};
    };
    const char* const in_need = "DfE, Characteristics of children in need";
    const char* const year_to = "year to 31 March ";
    switch (spec.table) {
        case Table::children_in_need:
            return make(in_need, year_to, tables.children_in_need, spec.column);
        case Table::referrals:
            return make(in_need, year_to, tables.referrals, spec.column);
        case Table::plans_started:
            return make(in_need, year_to, tables.protection_plans_started, spec.column);
        case Table::plans_open:
            return make(in_need, year_to, tables.protection_plans_open, spec.column);
        case Table::workforce:
            return make("DfE, Children's social work workforce", "at 30 September ", tables.workforce, spec.column);
        case Table::looked_after:
            if (tables.looked_after_2015_to_2017.row(area, year) >= 0)
                return make("DfE, Children looked after in England", year_to, tables.looked_after_2015_to_2017,
                            "looked_after_at_31_march");
            if (tables.looked_after.row(area, year) >= 0)
                return make("DfE, Children looked after in England", year_to, tables.looked_after, "children_count",
                            {"Children looked after on 31 March each year"});
            return std::nullopt;
    }
    return std::nullopt;
}

const DfeTable& table_of(const DfeTables& tables, const CsvCell& cell) {
    for (const DfeTable* table :
         {&tables.children_in_need, &tables.referrals, &tables.protection_plans_started, &tables.protection_plans_open,
          &tables.looked_after_2015_to_2017, &tables.looked_after, &tables.workforce, &tables.population})
        if (table->file_name() == cell.file) return *table;
    throw DfeDataError("no table " + cell.file);
}

// The cell's figure, or why DfE gives none.
std::optional<Figure> figure_at(const DfeTables& tables, const CsvCell& cell, std::string& why_not) {
    const Lookup found = look_up(table_of(tables, cell), cell);
    if (found.value) {
        why_not.clear();
        return Figure{*found.value, cell, ""};
    }
    why_not = found.row_found ? cell.file + " " + cell.column + " is " + found.why_not
                              : "no row for " + std::to_string(cell.year) + " in " + cell.file;
    return std::nullopt;
}

}  // namespace

std::vector<TargetFigure> target_figures(const DfeTables& tables, const Authority& authority, int year) {
    check_year(tables, authority, year);
    std::vector<TargetFigure> figures;
    const CsvCell children{"ONS mid-year population estimates",
                           "mid-",
                           year - 1,
                           tables.population.file_name(),
                           authority.name,
                           {},
                           "population_estimate"};
    for (const TargetSpec& spec : kTargets) {
        TargetFigure target{spec.name, spec.indicator, spec.kind, spec.stock, spec.discrepancy, {}, {}, {}, "", ""};
        const std::optional<CsvCell> cell = cell_for(tables, spec, authority.name, year);
        if (!cell) {
            target.left_out = "DfE's tables here hold no children looked after for " + std::to_string(year) +
                              " (2015 to 2017 for the five seed councils only, then 2021 on)";
            figures.push_back(std::move(target));
            continue;
        }
        target.figure = figure_at(tables, *cell, target.left_out);
        std::string why_not;
        if (target.figure && target.kind == std::string("rate_per_10000")) {
            target.per = figure_at(tables, children, why_not);
            if (!target.per || !(target.per->value > 0))
                target.left_out = "the rate's denominator, ONS children aged 0-17, " + why_not;
        } else if (target.figure && spec.percent_of) {
            CsvCell over = *cell;
            over.column = spec.percent_of;
            target.per = figure_at(tables, over, why_not);
            if (!target.per || !(target.per->value > 0))
                target.left_out = "the percentage's denominator, " + std::string(spec.percent_of) + ", " +
                                  (target.per ? "is 0" : why_not);
        } else if (target.figure && spec.table == Table::workforce) {
            CsvCell cases = *cell;
            cases.column = "cases";
            target.cases = figure_at(tables, cases, why_not);
            if (!target.cases || !(target.cases->value > 0))
                target.left_out = "the cases counted, " + (target.cases ? std::string("0") : why_not);
        }
        if (!target.left_out.empty()) target.figure.reset();
        if (target.figure && target.name == std::string("dfe_awaiting_assessment"))
            target.not_fitted = kAwaitingNotFitted;
        figures.push_back(std::move(target));
    }
    return figures;
}

}  // namespace ehsim::authority
