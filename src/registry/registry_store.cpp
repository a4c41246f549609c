#include "registry/registry_store.h"

#include "core/error.h"
#include "registry/detail/sql_connection.h"
#include "registry/detail/sql_store.h"

namespace playsight::registry {
namespace {

bool is_postgres_url(const std::string& url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

nlohmann::json optional_json(const std::optional<int>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

UnavailableError::UnavailableError(const std::string& url, const std::string& reason,
                                   bool maybe_applied)
    : Error("the model registry " + url + " is unavailable (" + reason + "); retry later"),
      maybe_applied_(maybe_applied) {}

std::optional<std::filesystem::path> sqlite_path_of(const std::string& url) {
  if (is_postgres_url(url)) return std::nullopt;
  constexpr std::string_view kScheme = "sqlite://";
  std::string path = url;
  if (url.starts_with(kScheme)) {
    path = url.substr(kScheme.size());
  } else if (url.find("://") != std::string::npos) {
    throw InputError("registry URL '" + url +
                     "': unknown scheme; expected sqlite:///path/registry.db, a plain path, or "
                     "postgresql://user@host:port/database");
  }
  if (path.empty())
    throw InputError("registry URL '" + url + "': no database file after sqlite://");
  return std::filesystem::path(path);
}

std::unique_ptr<RegistryStore> open_registry_store(const std::string& url) {
  if (is_postgres_url(url)) return detail::make_sql_store(detail::connect_postgres(url), url);
  const std::filesystem::path path = *sqlite_path_of(url);
  return detail::make_sql_store(detail::connect_sqlite(path.string(), url), url);
}

nlohmann::json to_json(const ModelVersion& v) {
  return {{"model", v.model},
          {"version", v.version},
          {"content_hash", v.content_hash},
          {"stored_folder", v.stored_folder},
          {"source_folder", v.source_folder},
          {"model_spec", v.model_spec},
          {"metrics", v.metrics},
          {"training", v.training},
          {"playsight_version", v.playsight_version},
          {"git_commit", v.git_commit},
          {"author", v.author},
          {"created_at", v.created_at},
          {"comment", v.comment}};
}

nlohmann::json to_json(const AliasState& alias) {
  return {{"model", alias.model},
          {"alias", alias.alias},
          {"version", alias.version},
          {"updated_at", alias.updated_at}};
}

nlohmann::json to_json(const AuditEntry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"actor", e.actor},
          {"action", e.action},
          {"model", e.model},
          {"alias", e.alias},
          {"from_version", optional_json(e.from_version)},
          {"to_version", optional_json(e.to_version)},
          {"comment", e.comment}};
}

}  // namespace playsight::registry
