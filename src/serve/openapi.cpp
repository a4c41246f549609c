#include "serve/openapi.h"

#include <algorithm>
#include <cctype>

namespace playsight::serve {
namespace {

std::string status_description(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad request: malformed JSON, unknown or missing features, a wrong type (the message "
             "names it)";
    case 401:
      return "No API key, or an unknown one";
    case 403:
      return "The key's role does not allow this";
    case 302:
      return "Found: see the Location header";
    case 404:
      return "Unknown model, alias or report, or one this service does not serve";
    case 409:
      return "The analysis is still running (its seconds are readable)";
    case 413:
      return "The body is over the size limit, or too many players";
    case 422:
      return "The registry refuses the change (unknown version, nothing to roll back to, a "
             "version that cannot be loaded)";
    case 429:
      return "Too many requests without a valid API key from this client address (Retry-After "
             "says when to try again; requests with a valid key are served)";
    case 503:
      return "No version loaded yet, or the model registry is unavailable (Retry-After says when "
             "to try again)";
    default:
      return "See the error message";
  }
}

// getModel, postModelsAliasesPredict, ... from the method and the path's fixed words.
std::string operation_id(const Route& route) {
  std::string out;
  for (char c : route.method) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  bool in_parameter = false;
  for (char c : route.path) {
    if (c == '{') in_parameter = true;
    if (in_parameter) {
      if (c == '}') in_parameter = false;
      upper = true;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::vector<std::string> path_parameters(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t open = path.find('{'); open != std::string::npos;
       open = path.find('{', open + 1))
    out.push_back(path.substr(open + 1, path.find('}', open) - open - 1));
  return out;
}

nlohmann::json error_schema() {
  return {{"type", "object"},
          {"properties",
           {{"error", {{"type", "string"}, {"description", "what is wrong, naming the input"}}},
            {"status", {{"type", "integer"}}}}},
          {"required", {"error", "status"}}};
}

}  // namespace

nlohmann::json openapi_document(const std::vector<Route>& routes, const std::string& version) {
  nlohmann::json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "playsight serve"},
        {"version", version},
        {"description",
         "Batch spend predictions with the model version behind an alias, registry operations, "
         "health, readiness, Prometheus metrics and drift monitoring."}}},
      {"paths", nlohmann::json::object()},
      {"components",
       {{"securitySchemes",
         {{"bearerKey", {{"type", "http"}, {"scheme", "bearer"}}},
          {"apiKeyHeader", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}}},
        {"schemas", {{"Error", error_schema()}}}}}};
  for (const Route& route : routes) {
    nlohmann::json operation = {{"operationId", operation_id(route)},
                                {"summary", route.summary},
                                {"responses", nlohmann::json::object()}};
    nlohmann::json parameters = nlohmann::json::array();
    for (const std::string& name : path_parameters(route.path))
      parameters.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    if (!parameters.empty()) operation["parameters"] = parameters;
    if (route.access != Access::open) {
      operation["security"] = {{{"bearerKey", nlohmann::json::array()}},
                               {{"apiKeyHeader", nlohmann::json::array()}}};
      operation["x-playsight-role"] = access_name(route.access);
      operation["description"] =
          "Needs an API key with the role " + access_name(route.access) + " (or a role above it).";
    }
    if (!route.request_body.empty())
      operation["requestBody"] = {
          {"required", true},
          {"description", route.request_body},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    operation["responses"]["200"] = {{"description", "OK"}};
    std::vector<int> statuses = route.statuses;
    if (route.access != Access::open) statuses.insert(statuses.end(), {401, 403, 429});
    std::sort(statuses.begin(), statuses.end());
    statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
    for (int status : statuses)
      operation["responses"][std::to_string(status)] = {
          {"description", status_description(status)},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    doc["paths"][route.path][method] = std::move(operation);
  }
  return doc;
}

}  // namespace playsight::serve
