#pragma once
// HttpError: a request refused, with the HTTP status to answer it with and a message that names
// the input at fault. The service's route handlers throw it (400 bad body, 401 no or unknown API
// key, 403 a key without the role, 404 unknown model or alias, 413 a body over the size limit,
// 422 a deploy the registry refuses, 429 too many requests without a valid key); the server
// answers it as {"error": message, "status": status} (error_body), the body the connection front
// (connection_front.h) gives its own refusals too. Any other InputError becomes a 400 and anything
// else a 500, so no request brings the service down.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace playsight::http {

class HttpError : public InputError {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;
  HttpError(int status, const std::string& message, Headers headers = {})
      : InputError(message), status_(status), headers_(std::move(headers)) {}
  int status() const { return status_; }
  // Headers the answer carries besides the body (Retry-After, say).
  const Headers& headers() const { return headers_; }

 private:
  int status_;
  Headers headers_;
};

// The JSON body of every error answer: {"error": message, "status": status}.
inline std::string error_body(int status, const std::string& message) {
  return nlohmann::json{{"error", message}, {"status", status}}.dump();
}

}  // namespace playsight::http
