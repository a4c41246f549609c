#pragma once
// HttpError: a request the service refuses, with the HTTP status to answer it with (400 bad
// body, 401 no or unknown API key, 403 a key without the role, 404 unknown model or alias, 413 a
// body over the size limit, 422 a deploy the registry refuses) and a message that names the
// input at fault. The server answers it as {"error": message, "status": status}; any other
// InputError becomes a 400 and anything else a 500, so no request brings the service down.
#include <string>

#include "core/error.h"

namespace playsight::serve {

class HttpError : public InputError {
 public:
  HttpError(int status, const std::string& message) : InputError(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

}  // namespace playsight::serve
