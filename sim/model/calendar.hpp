// Calendar months over simulated days. Day 0 is the first day of the warm-up; the model reports by
// calendar month because councils do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ehsim::model {

struct Date {
    int year = 1970;
    int month = 1;  // 1-12
    int day = 1;    // 1-31
};

// Days since 1970-01-01 in the proleptic Gregorian calendar, and back.
std::int64_t days_from_civil(Date date);
Date civil_from_days(std::int64_t days);
// "2016-04-01" -> Date, if it is a real date in that exact form.
std::optional<Date> parse_iso_date(const std::string& text);
std::string to_iso(Date date);
Date add_months(Date date, int months);  // the day is clamped to the target month's length

class Calendar {
public:
    Calendar() = default;
    // `months` calendar months starting at `first_day` (of the warm-up).
    Calendar(Date first_day, int months);

    Date first_day() const { return first_day_; }
    int months() const { return static_cast<int>(month_starts_.size()) - 1; }
    // Simulated day on which month `index` starts (index == months() gives the end of the last).
    double month_start(int index) const { return month_starts_[static_cast<std::size_t>(index)]; }
    double end() const { return month_starts_.back(); }
    const std::vector<double>& month_starts() const { return month_starts_; }
    // Simulated day of a date (may be outside the calendar).
    double day_of(Date date) const;
    // "2016-04" for month `index`.
    std::string month_label(int index) const;

private:
    Date first_day_{};
    std::vector<double> month_starts_{0.0};
};

}  // namespace ehsim::model
