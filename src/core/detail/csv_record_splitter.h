#pragma once
// The inner loop of CsvReader (an implementation detail, in a header so that the per-record
// visitor is inlined into it): splits the records of one chunk into fields, RFC 4180 quoting
// included, and counts line breaks so that errors can be located afterwards.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace playsight::detail {

// The first ',' or '\n' in [p, end), or end. Sixteen bytes at a time where SSE2 is there (all
// x86-64): log fields are short, so one compare usually finds the end of the field.
inline const char* find_field_end(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i newline = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(block, comma), _mm_cmpeq_epi8(block, newline)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != ',' && *p != '\n') ++p;
  return p;
}

class CsvRecordSplitter {
 public:
  // header_text is quoted in "expected N fields (...)" messages.
  CsvRecordSplitter(std::size_t columns, std::string header_text)
      : columns_(columns),
        header_text_(std::move(header_text)),
        fields_(columns),
        unquoted_(columns) {}

  // Splits [p, end), which starts at a record start and ends after a record. For each record:
  // on_record(fields, line) with the record's fields when it has the header's field count, else
  // on_malformed(line, message); `line` counts line breaks from p. Either returns false to stop.
  struct Outcome {
    std::uint64_t lines = 0;  // line breaks passed
    bool complete = false;    // false when a callback stopped the split early
  };

  template <class OnRecord, class OnMalformed>
  Outcome split(const char* p, const char* const end, OnRecord&& on_record,
                OnMalformed&& on_malformed) {
    std::uint64_t line = 0;
    while (p < end) {
      const std::uint64_t record_line = line;
      if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {  // blank line
        p += *p == '\r' ? 2 : 1;
        ++line;
        continue;
      }
      std::size_t column = 0;
      const char* problem = nullptr;  // set when the record's shape is wrong
      while (true) {
        std::string_view field;
        if (p < end && *p == '"') {
          std::string& text = unquoted_[std::min(column, columns_ - 1)];
          if (!read_quoted(p, end, text, line)) {
            problem = "a quoted field is not closed (missing '\"')";
            break;
          }
          if (p < end && *p == '\r' && (p + 1 == end || p[1] == '\n')) ++p;  // CRLF
          if (p < end && *p != ',' && *p != '\n') {
            problem = "unexpected text after a closing quote";
            skip_to_record_end(p, end, line);
            break;
          }
          field = text;
        } else {
          const char* start = p;
          p = find_field_end(p, end);
          const char* field_end = p;
          if (std::memchr(start, '"', static_cast<std::size_t>(field_end - start))) {
            problem =
                "a '\"' inside an unquoted field (quote the whole field and double the quotes "
                "in it: \"5'11\"\"\")";
            p = start;
            skip_to_record_end(p, end, line);
            break;
          }
          if (field_end > start && field_end[-1] == '\r' && (p == end || *p == '\n')) --field_end;
          field = std::string_view(start, static_cast<std::size_t>(field_end - start));
        }
        if (column < columns_) fields_[column] = field;
        ++column;
        if (p < end && *p == ',') {
          ++p;
          continue;
        }
        if (p < end) ++p;  // the line break
        ++line;
        break;
      }
      bool go_on = true;
      if (problem) {
        go_on = on_malformed(record_line, std::string(problem));
      } else if (column != columns_) {
        go_on = on_malformed(record_line, "expected " + std::to_string(columns_) + " fields (" +
                                              header_text_ + "), found " + std::to_string(column));
      } else {
        go_on = on_record(static_cast<const std::vector<std::string_view>&>(fields_), record_line);
      }
      if (!go_on) return {line, false};
    }
    return {line, true};
  }

 private:
  // After a malformed field: moves p past the end of the record, where CsvReader's chunk planner
  // would put it. The planner decides where records end from the parity of all quotes before a
  // point (RFC 4180 keeps every quote paired), so here too every quote toggles "inside" and only a
  // line break outside quotes ends the record; the whole read and the chunked read then skip the
  // same rows. p starts outside quotes.
  static void skip_to_record_end(const char*& p, const char* end, std::uint64_t& line) {
    bool inside = false;
    while (p < end) {
      const char c = *p++;
      if (c == '"') {
        inside = !inside;
      } else if (c == '\n') {
        ++line;
        if (!inside) return;
      }
    }
  }

  // Reads a quoted field starting at p (on the opening quote) into text; false if unclosed.
  static bool read_quoted(const char*& p, const char* end, std::string& text, std::uint64_t& line) {
    text.clear();
    ++p;
    while (p < end) {
      const char* quote =
          static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
      const char* stop_at = quote ? quote : end;
      line += static_cast<std::uint64_t>(std::count(p, stop_at, '\n'));
      text.append(p, stop_at);
      if (!quote) {
        p = end;
        return false;
      }
      if (quote + 1 < end && quote[1] == '"') {  // an escaped quote
        text.push_back('"');
        p = quote + 2;
        continue;
      }
      p = quote + 1;
      return true;
    }
    return false;
  }

  std::size_t columns_;
  std::string header_text_;
  std::vector<std::string_view> fields_;
  std::vector<std::string> unquoted_;
};

}  // namespace playsight::detail
