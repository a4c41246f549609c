#pragma once
// A request's head (its request line and header lines, up to the blank line) as the connection
// front (connection_front.h) sees it before any worker thread does: where the head ends in the
// bytes received so far, and the few fields that decide whether its body may be read at all.
// The full parsing is cpp-httplib's; this one only has to agree with it on where the head ends
// (the first line that is exactly CRLF after the request line, as httplib's read_headers) and on
// the body's framing (Content-Length, Transfer-Encoding).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace playsight::http {

// The length of the head at the start of `received` (through its blank line), or nullopt while
// the blank line has not arrived.
std::optional<std::size_t> request_head_length(std::string_view received);

struct RequestHead {
  std::string method;  // as sent, or "other" when it is not one httplib accepts
  // The declared body length: 0 without Content-Length (RFC 9112 section 6.3: a request with
  // neither Content-Length nor Transfer-Encoding has no body).
  std::uint64_t content_length = 0;
  bool content_length_invalid = false;  // not digits, too large, or two different values
  bool transfer_encoding = false;       // any Transfer-Encoding (chunked bodies are refused)
  std::string content_encoding;         // lowercased; "" or "identity" for a plain body
};

// The fields above from a complete head (as request_head_length() delimits it).
RequestHead parse_request_head(std::string_view head);

}  // namespace playsight::http
