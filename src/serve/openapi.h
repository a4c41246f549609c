#pragma once
// The service's OpenAPI 3.0 description (served at /openapi.json), written from the route table
// (routes.h): a path item per route with its path parameters, the API-key security it needs
// (Authorization: Bearer KEY, or X-API-Key), its request body and its answers. Error answers all
// have the body {"error": "...", "status": N}.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "serve/routes.h"

namespace playsight::serve {

nlohmann::json openapi_document(const std::vector<Route>& routes, const std::string& version);

}  // namespace playsight::serve
