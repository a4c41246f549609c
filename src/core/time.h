#pragma once
// Calendar time. playsight keeps instants as seconds since 1970-01-01 00:00:00 (no time zone: the
// logs' own clock) and calendar days as days since 1970-01-01. Text forms:
//   date       YYYY-MM-DD
//   timestamp  YYYY-MM-DD HH:MM:SS, or with 'T' in place of the space, optionally followed by
//              fractional seconds (dropped) and 'Z'; or a bare date (midnight);
//              or a plain integer: Unix seconds.
// Parsers throw FieldError (no location; the caller adds it) naming what they expected.
#include <cstdint>
#include <string>
#include <string_view>

namespace playsight {

using Seconds = std::int64_t;  // seconds since 1970-01-01 00:00:00
using Days = std::int64_t;     // days since 1970-01-01

inline constexpr Seconds kSecondsPerDay = 86400;

struct CivilDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days since 1970-01-01 of a proleptic Gregorian date. REQUIRES: a valid date.
Days days_from_civil(CivilDate date);
CivilDate civil_from_days(Days days);
bool is_valid_date(CivilDate date);

Days parse_date(std::string_view text);          // throws FieldError
Seconds parse_timestamp(std::string_view text);  // throws FieldError

std::string format_date(Days days);
std::string format_timestamp(Seconds seconds);  // YYYY-MM-DD HH:MM:SS
// The system clock's current time in UTC as YYYY-MM-DDTHH:MM:SSZ (ISO 8601), for records.
std::string utc_now_iso();
// Writes YYYY-MM-DD HH:MM:SS (19 chars) at out; returns out + 19. For hot output loops.
char* write_timestamp(char* out, Seconds seconds);

// floor(a / b) for b > 0, also for negative a.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace playsight
