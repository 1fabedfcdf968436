#include "sim/model/calendar.hpp"

#include <cstdio>

namespace ehsim::model {

// The algorithm of H. Hinnant, "chrono-compatible low-level date algorithms": eras of 400 years.
std::int64_t days_from_civil(Date date) {
    const std::int64_t year = date.year - (date.month <= 2 ? 1 : 0);
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t year_of_era = year - era * 400;
    const std::int64_t day_of_year = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
    const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

Date civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t day_of_era = days - era * 146097;
    const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
    const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
    const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
    return Date{static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

namespace {
int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}
}  // namespace

std::optional<Date> parse_iso_date(const std::string& text) {
    int year = 0, month = 0, day = 0, consumed = 0;
    if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 ||
        consumed != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return std::nullopt;
    return Date{year, month, day};
}

std::string to_iso(Date date) {
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
    return text;
}

Date add_months(Date date, int months) {
    const int index = date.year * 12 + (date.month - 1) + months;
    const int year = index >= 0 ? index / 12 : (index - 11) / 12;
    const int month = index - year * 12 + 1;
    const int day = date.day <= days_in_month(year, month) ? date.day : days_in_month(year, month);
    return Date{year, month, day};
}

Calendar::Calendar(Date first_day, int months) : first_day_(first_day) {
    const std::int64_t origin = days_from_civil(first_day);
    month_starts_.clear();
    for (int index = 0; index <= months; ++index)
        month_starts_.push_back(static_cast<double>(days_from_civil(add_months(first_day, index)) - origin));
}

double Calendar::day_of(Date date) const {
    return static_cast<double>(days_from_civil(date) - days_from_civil(first_day_));
}

std::string Calendar::month_label(int index) const {
    const Date date = add_months(first_day_, index);
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d", date.year, date.month);
    return text;
}

}  // namespace ehsim::model
