#include "http/request_head.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace playsight::http {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> parse_length(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;  // 18 digits cannot overflow
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::string known_method(std::string_view method) {
  static constexpr std::array<std::string_view, 10> kMethods = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"};
  for (std::string_view known : kMethods)
    if (method == known) return std::string(method);
  return "other";
}

}  // namespace

std::optional<std::size_t> request_head_length(std::string_view received) {
  const std::size_t request_line_end = received.find('\n');
  if (request_line_end == std::string_view::npos) return std::nullopt;
  const std::size_t blank_line = received.find("\n\r\n", request_line_end);
  if (blank_line == std::string_view::npos) return std::nullopt;
  return blank_line + 3;
}

RequestHead parse_request_head(std::string_view head) {
  RequestHead out;
  std::size_t line_start = head.find('\n');
  out.method = known_method(head.substr(0, std::min(head.find(' '), line_start)));
  std::optional<std::uint64_t> length;
  while (line_start != std::string_view::npos && line_start + 1 < head.size()) {
    const std::size_t begin = line_start + 1;
    line_start = head.find('\n', begin);
    const std::size_t end = line_start == std::string_view::npos ? head.size() : line_start;
    // httplib reads only the lines that end with CRLF and skips the others.
    if (end == begin || end == head.size() || head[end - 1] != '\r') continue;
    const std::string_view line = head.substr(begin, end - 1 - begin);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (same_name(name, "Content-Length")) {
      const std::optional<std::uint64_t> parsed = parse_length(value);
      if (!parsed || (length && *length != *parsed)) out.content_length_invalid = true;
      length = parsed;
    } else if (same_name(name, "Transfer-Encoding")) {
      out.transfer_encoding = true;
    } else if (same_name(name, "Content-Encoding")) {
      out.content_encoding.clear();
      for (char c : value)
        out.content_encoding += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (length && !out.content_length_invalid) out.content_length = *length;
  return out;
}

}  // namespace playsight::http
