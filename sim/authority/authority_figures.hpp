// One English authority's published figures for one year, found in DfE's tables: the values a baseline scenario
// starts from and the figures its targets file fits, each with the CSV cell it comes from, and what stands in
// (and why) where DfE publishes no figure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/authority/dfe_tables.hpp"

namespace ehsim::authority {

// An authority as DfE's tables name it.
struct Authority {
    std::string name;          // as DfE spells it: "Bristol, City of"
    std::string region;        // "South West"
    std::string code;          // the newest ONS code: "E06000023"
    std::string number;        // DfE's three-digit number: "801"
    std::vector<int> years;    // years to 31 March with children-in-need figures
    std::string code_changes;  // e.g. "DfE's code changed from E10000009 to E06000059 in 2020"; empty if none
};

// Every authority the children-in-need table names (those reorganised away included), by name.
std::vector<Authority> all_authorities(const DfeTables& tables);

// The authority `asked` names: its name in any case or spacing, its ONS code or DfE's number. Throws DfeDataError
// with "did you mean" for an unknown name.
Authority find_authority(const DfeTables& tables, const std::string& asked);

// Authorities of the same region whose figures start the year after this one's stop (it was reorganised into
// them), and those whose figures stop the year before this one's start (it was formed from them).
std::vector<std::string> successors(const DfeTables& tables, const Authority& authority);
std::vector<std::string> predecessors(const DfeTables& tables, const Authority& authority);

// Throws DfeDataError when `year` (to 31 March) has no children-in-need figures for the authority, naming the
// years it has and, for an authority reorganised before or after, its successors or predecessors in its region.
void check_year(const DfeTables& tables, const Authority& authority, int year);

// Where a figure comes from, as the targets files write it (tests/calibration/dfe_targets_test.cpp reads it):
// "DfE, Characteristics of children in need, year to 31 March 2017: b1_children_in_need.csv, Walsall, At31_episodes".
struct CsvCell {
    std::string publication;  // "DfE, Characteristics of children in need"
    std::string when;         // "year to 31 March ", "at 30 September " or "mid-"
    int year = 0;             // the year as the source names it (ONS: the mid-year)
    std::string file;
    std::string area;               // the authority, or England
    std::vector<std::string> also;  // other cells of the row (a population type)
    std::string column;
    std::string text() const;
};

// The figure in `cell` of `table` (its row found by area, year and population type), or why there is none.
struct Lookup {
    std::optional<double> value;
    std::string why_not;  // DfE's mark in words, or that the table has no such row
    bool row_found = false;
};
Lookup look_up(const DfeTable& table, const CsvCell& cell);

struct Figure {
    double value = 0;
    CsvCell cell;
    std::string stand_in;  // empty: the authority's own figure for the year; else what stands in, and why
};

// The figures a baseline needs. Each is the authority's own for the year when DfE publishes it; else its nearest
// year, else England's rate per child applied to the authority's children (said in `stand_in`).
struct BaselineFigures {
    Authority authority;
    int year = 0;     // the year to 31 March the scenario starts in (1 April of year - 1)
    Figure children;  // ONS children aged 0-17 at mid-(year - 1): DfE's denominator
    std::optional<Figure> children_five_years_before;  // for the population's growth
    Figure referrals;                                  // referrals in the year: scales the incidence of statutory need
    Figure no_further_action;                          // referrals closed with no further action
    Figure social_workers;                             // case-holding FTE at 30 September
};
BaselineFigures baseline_figures(const DfeTables& tables, const Authority& authority, int year);

// One figure of a targets file, or the reason it is left out.
struct TargetFigure {
    std::string name;       // dfe_children_in_need
    std::string indicator;  // children_in_need
    std::string kind;       // count, proportion, rate_per_10000
    bool stock = false;     // at 31 March (or 30 September) rather than over the year
    double discrepancy = 0;
    std::optional<Figure> figure;  // nothing: left out, for `left_out`
    std::optional<Figure> per;     // a rate's population, a proportion's denominator
    std::optional<Figure> cases;   // cases per FTE: the cases counted (its Poisson noise)
    std::string left_out;          // why DfE's table gives no figure
    std::string not_fitted;        // why a figure given is not fitted
};
std::vector<TargetFigure> target_figures(const DfeTables& tables, const Authority& authority, int year);

}  // namespace ehsim::authority
