#pragma once
// The route table: every endpoint of the service once, with its method, path template, the role
// a caller needs, what it does and what it can answer. The server registers its handlers from
// this table (server.cpp) and the OpenAPI description is written from it (openapi.h), so the two
// cannot disagree. Handlers see a RouteRequest (no HTTP library types) and return a Reply; they
// report refusals by throwing HttpError (http/http_error.h).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "access/api_keys.h"
#include "http/http_error.h"

namespace playsight::serve {

// What a handler throws to refuse a request, and the roles the table's Access levels stand for.
using access::Role;
using http::HttpError;

enum class Access { open, predict, deploy, admin };  // open: no key needed

struct RouteRequest {
  std::map<std::string, std::string> path;   // the {name}s of the path template
  std::map<std::string, std::string> query;  // ?name=value parameters (the first of each name)
  std::string body;
  // The caller's key (none for open routes or without access control).
  std::optional<access::ApiKey> key;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Route {
  std::string method;  // GET, POST or DELETE
  std::string path;    // OpenAPI path template, e.g. /v1/models/{name}
  Access access = Access::predict;
  std::string summary;
  std::string request_body;   // what a POST body holds ("" = none), for the description
  std::vector<int> statuses;  // the answers it gives besides 200
  std::function<Reply(const RouteRequest&)> handler;
};

inline std::string access_name(Access access) {
  return access == Access::open
             ? "none"
             : access::role_name(static_cast<Role>(static_cast<int>(access) - 1));
}

}  // namespace playsight::serve
