#pragma once
// The RegistryStore over any SqlConnection: the schema and every statement of the registry, once
// for both backends.
#include <memory>

#include "registry/detail/sql_connection.h"
#include "registry/registry_store.h"

namespace playsight::registry::detail {

// The schema version this code writes and reads.
inline constexpr int kSchemaVersion = 1;

// Creates the schema if missing (one transaction), then returns the store.
std::unique_ptr<RegistryStore> make_sql_store(std::unique_ptr<SqlConnection> connection,
                                              const std::string& url);

}  // namespace playsight::registry::detail
