#pragma once
// Errors. Every failure playsight reports is a playsight::Error (or a subclass), whose message
// names the input that is wrong (file, line, column or field) and what was expected.
//
//   InputError    - the user's input is wrong (bad file, bad flag, bad value). The CLI exits 2.
//   Error         - anything else: an internal fault, an I/O failure. The CLI exits 1.
//
// FieldError is thrown by low-level value parsers that do not know where the value came from; the
// reader that called them catches it and rethrows an InputError with the file, line and column.
#include <stdexcept>
#include <string>

namespace playsight {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(message) {}
};

// A value that could not be parsed: says what was expected and what was found, but not where.
class FieldError : public InputError {
 public:
  explicit FieldError(const std::string& message) : InputError(message) {}
};

// Quotes a user's value for an error message, shortened and with control characters escaped.
std::string quote_for_message(std::string_view value, std::size_t max_length = 40);

}  // namespace playsight
