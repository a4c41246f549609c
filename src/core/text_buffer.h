#pragma once
// TextBuffer: a growable char buffer for writing CSV fast (no locale, no iostream formatting).
// Numbers are written with std::to_chars; doubles in their shortest exact form, NaN as an empty
// field (a missing value). Not thread-safe: give each thread its own buffer and write the
// buffers out in order.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.h"

namespace playsight {

class TextBuffer {
 public:
  void append(std::string_view text) { data_.append(text); }
  void append(char c) { data_.push_back(c); }

  void append_int(std::int64_t value) {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    data_.append(digits, result.ptr);
  }

  // Shortest representation that reads back to the same double; NaN is written as nothing.
  void append_double(double value) {
    if (std::isnan(value)) return;
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
      append_int(static_cast<std::int64_t>(value));
      return;
    }
    char digits[32];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    data_.append(digits, result.ptr);
  }

  // A double rounded to `decimals` places after the point, trailing zeros trimmed.
  void append_fixed(double value, int decimals) {
    char digits[kMaxNumberChars];
    data_.append(digits, write_fixed(digits, value, decimals));
  }

  // The longest text write_fixed produces, for callers that format into their own memory.
  static constexpr std::size_t kMaxNumberChars = 48;

  // Writes what append_fixed appends at out (room for kMaxNumberChars); returns the new end.
  static char* write_fixed(char* out, double value, int decimals) {
    if (std::isnan(value)) return out;
    if (value >= 0 && value < 10 && value == static_cast<int>(value)) {  // most cells: 0, 1, ...
      *out = static_cast<char>('0' + static_cast<int>(value));
      return out + 1;
    }
    if (value == std::floor(value) && std::fabs(value) < 1e15) {  // counts and whole amounts
      return std::to_chars(out, out + kMaxNumberChars, static_cast<std::int64_t>(value)).ptr;
    }
    char* end =
        std::to_chars(out, out + kMaxNumberChars, value, std::chars_format::fixed, decimals).ptr;
    if (decimals > 0) {
      while (end[-1] == '0') --end;
      if (end[-1] == '.') --end;
    }
    if (end - out == 2 && out[0] == '-' && out[1] == '0') {  // "-0" after rounding
      out[0] = '0';
      return out + 1;
    }
    return end;
  }

  void append_timestamp(Seconds seconds) {
    char text[24];
    data_.append(text, write_timestamp(text, seconds));
  }

  void append_date(Days days) {
    char text[24];
    data_.append(text, write_timestamp(text, days * kSecondsPerDay) - 9);
  }

  // A CSV field: quoted (RFC 4180) only when it holds a comma, quote or line break.
  void append_csv_field(std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
      data_.append(field);
      return;
    }
    data_.push_back('"');
    for (char c : field) {
      if (c == '"') data_.push_back('"');
      data_.push_back(c);
    }
    data_.push_back('"');
  }

  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  const std::string& str() const { return data_; }
  void clear() { data_.clear(); }
  void reserve(std::size_t bytes) { data_.reserve(bytes); }

 private:
  std::string data_;
};

}  // namespace playsight
