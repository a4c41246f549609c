#include "core/error.h"

#include <cstdio>

namespace playsight {

std::string quote_for_message(std::string_view value, std::size_t max_length) {
  std::string out = "'";
  std::size_t shown = 0;
  for (char c : value) {
    if (shown == max_length) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
    ++shown;
  }
  out += "'";
  return out;
}

}  // namespace playsight
