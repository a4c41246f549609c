#include "core/time.h"

#include <charconv>
#include <chrono>
#include <cstring>

#include "core/error.h"

namespace playsight {
namespace {

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` ASCII digits at text[pos]; false if any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& value) {
  if (pos + width > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

// Parses YYYY-MM-DD at the start of text; false if it is not there or is not a real date.
bool read_date(std::string_view text, CivilDate& date) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  if (!read_digits(text, 0, 4, date.year) || !read_digits(text, 5, 2, date.month) ||
      !read_digits(text, 8, 2, date.day)) {
    return false;
  }
  return is_valid_date(date);
}

}  // namespace

bool is_valid_date(CivilDate date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= days_in_month(date.year, date.month);
}

// Counts days in 400-year eras starting on March 1st, so that the leap day is the last day of
// its year and month lengths follow a fixed pattern (153 days per five months).
Days days_from_civil(CivilDate date) {
  const int year = date.month <= 2 ? date.year - 1 : date.year;
  const int era = static_cast<int>(floor_div(year, 400));
  const int year_of_era = year - era * 400;                                    // [0, 399]
  const int shifted_month = date.month > 2 ? date.month - 3 : date.month + 9;  // March = 0
  const int day_of_year = (153 * shifted_month + 2) / 5 + date.day - 1;        // [0, 365]
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<Days>(era) * 146097 + day_of_era - 719468;
}

CivilDate civil_from_days(Days days) {
  const Days shifted = days + 719468;
  const Days era = floor_div(shifted, 146097);
  const int day_of_era = static_cast<int>(shifted - era * 146097);  // [0, 146096]
  const int year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
  const int day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const int month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int year = static_cast<int>(year_of_era + era * 400) + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

Days parse_date(std::string_view text) {
  CivilDate date{};
  if (text.size() != 10 || !read_date(text, date)) {
    throw FieldError("expected a date YYYY-MM-DD, got " + quote_for_message(text));
  }
  return days_from_civil(date);
}

namespace {

// Logs repeat the same few hundred dates millions of times, so the date part of the common form
// is looked up in a small per-thread cache keyed by its exact text (month and day pick the slot,
// so dates within one year never evict each other).
struct DateCacheEntry {
  std::uint64_t head = 0;  // "YYYY-MM-" as bytes
  std::uint16_t tail = 0;  // "DD"
  Days days = 0;
};
thread_local DateCacheEntry date_cache[512];

inline unsigned digit(char c) {
  return static_cast<unsigned>(c - '0');
}

// The common form "YYYY-MM-DD HH:MM:SS" (or with 'T'); false if the text is not exactly that
// or is not a real date and time (the general parser then reports it).
bool parse_plain_timestamp(std::string_view text, Seconds& result) {
  const char* s = text.data();
  if (text.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
      s[13] != ':' || s[16] != ':') {
    return false;
  }
  const unsigned month = digit(s[5]) * 10 + digit(s[6]);
  const unsigned day = digit(s[8]) * 10 + digit(s[9]);
  std::uint64_t head = 0;
  std::uint16_t tail = 0;
  std::memcpy(&head, s, sizeof head);
  std::memcpy(&tail, s + 8, sizeof tail);
  DateCacheEntry& entry = date_cache[(month * 32 + day) & 511];
  if (entry.head != head || entry.tail != tail) {
    CivilDate date{};
    if (!read_date(text, date)) return false;
    entry = {head, tail, days_from_civil(date)};
  }
  const unsigned h1 = digit(s[11]), h2 = digit(s[12]), m1 = digit(s[14]), m2 = digit(s[15]),
                 s1 = digit(s[17]), s2 = digit(s[18]);
  if ((h1 > 9) | (h2 > 9) | (m1 > 9) | (m2 > 9) | (s1 > 9) | (s2 > 9)) return false;
  const unsigned hour = h1 * 10 + h2, minute = m1 * 10 + m2, second = s1 * 10 + s2;
  if (hour > 23 || minute > 59 || second > 60) return false;
  result = entry.days * kSecondsPerDay + hour * 3600 + minute * 60 + second;
  return true;
}

}  // namespace

Seconds parse_timestamp(std::string_view text) {
  Seconds plain = 0;
  if (parse_plain_timestamp(text, plain)) return plain;
  const auto fail = [&]() -> Seconds {
    throw FieldError("expected a timestamp 'YYYY-MM-DD HH:MM:SS' (or Unix seconds), got " +
                     quote_for_message(text));
  };
  if (text.empty()) return fail();
  if (text.size() < 10 || text[4] != '-') {  // Unix seconds
    Seconds value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return fail();
    return value;
  }
  CivilDate date{};
  if (!read_date(text, date)) return fail();
  Seconds result = days_from_civil(date) * kSecondsPerDay;
  if (text.size() == 10) return result;
  int hour = 0, minute = 0, second = 0;
  if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' ||
      text[16] != ':' || !read_digits(text, 11, 2, hour) || !read_digits(text, 14, 2, minute) ||
      !read_digits(text, 17, 2, second) || hour > 23 || minute > 59 || second > 60) {
    return fail();
  }
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return fail();
  }
  if (pos < text.size() && text[pos] == 'Z') ++pos;
  if (pos != text.size()) return fail();
  return result + hour * 3600 + minute * 60 + second;
}

std::string format_date(Days days) {
  char buffer[32];
  char* end = write_timestamp(buffer, days * kSecondsPerDay);
  return std::string(buffer, end - 9);
}

std::string utc_now_iso() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string text =
      format_timestamp(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  text[10] = 'T';
  return text + "Z";
}

std::string format_timestamp(Seconds seconds) {
  char buffer[32];
  return std::string(buffer, write_timestamp(buffer, seconds));
}

char* write_timestamp(char* out, Seconds seconds) {
  const Days days = floor_div(seconds, kSecondsPerDay);
  // The remainder taken directly: days * kSecondsPerDay overflows for the earliest instants.
  const int in_day = static_cast<int>((seconds % kSecondsPerDay + kSecondsPerDay) % kSecondsPerDay);
  const CivilDate date = civil_from_days(days);
  const auto put2 = [&out](int value) {
    *out++ = static_cast<char>('0' + value / 10);
    *out++ = static_cast<char>('0' + value % 10);
  };
  put2(date.year / 100);
  put2(date.year % 100);
  *out++ = '-';
  put2(date.month);
  *out++ = '-';
  put2(date.day);
  *out++ = ' ';
  put2(in_day / 3600);
  *out++ = ':';
  put2(in_day / 60 % 60);
  *out++ = ':';
  put2(in_day % 60);
  return out;
}

}  // namespace playsight
