#pragma once
// The registry's records and the store that keeps them. A store is a database with four tables:
// models, their versions (immutable once written), aliases (model, alias name) -> version, and an
// append-only audit log. Two backends, chosen by a connection URL (open_registry_store):
//
//   sqlite:///abs/path/registry.db, sqlite://rel/path.db or a plain path   SQLite (embedded)
//   postgresql://user@host:port/db (or postgres://...)                     PostgreSQL (libpq)
//
// All reads and writes happen inside RegistryStore::read / RegistryStore::write, which run the
// given work in one database transaction: everything it wrote is committed together when it
// returns, or nothing is when it throws (the exception is rethrown). A process killed in the
// middle leaves the store as it was before the transaction. Writers of the same model are
// serialised: SQLite takes the database's write lock at the start (BEGIN IMMEDIATE, waiting up to
// a busy timeout); PostgreSQL locks the model's row (SELECT ... FOR UPDATE) in
// RegistrySession::lock_model. Callers that touch several models lock them in name order.
//
// The schema is created on first use; its version is kept in the table schema_version, and a
// store written by a newer playsight is refused. A RegistryStore is one connection: use it from one
// thread at a time. Copying is disabled.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace playsight::registry {

// The store cannot be reached at the moment: PostgreSQL is down, restarting or unreachable, or the
// connection was lost in the middle of a statement. A fault of the moment, not of the request:
// the same call may succeed later. what() reads "the model registry URL is unavailable (REASON);
// retry later". A RegistryStore (and so a ModelRegistry) that threw it has lost its connection and
// stays unusable: open a new one to retry. If the connection was lost during COMMIT, the change may
// or may not have been applied (REASON says so); read the store again to know.
class UnavailableError : public Error {
 public:
  UnavailableError(const std::string& url, const std::string& reason, bool maybe_applied = false);
  // True when the connection was lost while the transaction was committing.
  bool maybe_applied() const { return maybe_applied_; }

 private:
  bool maybe_applied_;
};

// One registered version of a model. Never changed after it is written.
struct ModelVersion {
  std::string model;
  int version = 0;                // 1, 2, 3, ... per model
  std::string content_hash;       // SHA-256 of the artifact's files (content_hash.h), hex
  std::string stored_folder;      // the immutable copy of the artifact in the registry's store
  std::string source_folder;      // where it was registered from
  std::string model_spec;         // model.json's "alias", e.g. ensemble_model ("" if none)
  nlohmann::json metrics;         // model.json's "metrics"
  nlohmann::json training;        // model.json's "training" (data summary and protocol)
  std::string playsight_version;  // model.json's "playsight_version", else the registering one
  std::string git_commit;         // given at registration ("" if none)
  std::string author;             // who registered it
  std::string created_at;         // when, YYYY-MM-DDTHH:MM:SSZ (UTC)
  std::string comment;            // free text given at registration
};

// Where one alias of a model points.
struct AliasState {
  std::string model;
  std::string alias;
  int version = 0;
  std::string updated_at;
};

// One row of the audit log. Actions: "register" (to_version = the new version, alias ""),
// "deploy", "rollback", "sync" (an alias moved from from_version to to_version).
struct AuditEntry {
  std::int64_t id = 0;  // increasing; assigned by the store
  std::string at;       // YYYY-MM-DDTHH:MM:SSZ (UTC)
  std::string actor;
  std::string action;
  std::string model;
  std::string alias;
  std::optional<int> from_version;  // none: the alias did not exist before
  std::optional<int> to_version;
  std::string comment;  // the reason given, or the deploy file of a sync
};

// Where a deploy starts from (RegistrySession::lock_for_deploy).
struct DeployStart {
  bool model_exists = false;
  std::optional<std::string> content_hash;  // of the version; none: the model has no such version
  std::optional<int> alias_version;         // where the alias points; none: it does not exist yet
};

// The operations available inside one transaction. Writes may reach the database only with the
// next read or the commit (one round trip for several statements); their failure then shows there,
// and the transaction is rolled back either way.
class RegistrySession {
 public:
  virtual ~RegistrySession() = default;

  // Locks the model against other writers until the transaction ends. False if it does not exist.
  virtual bool lock_model(const std::string& model) = 0;
  // Locks the model as lock_model does, then reads the version's hash and where the alias points
  // (after the lock is held, so it sees the last committed move), all in one round trip.
  virtual DeployStart lock_for_deploy(const std::string& model, int version,
                                      const std::string& alias) = 0;
  // Creates the model if it does not exist yet, then locks it.
  virtual void create_model(const std::string& model, const std::string& created_at) = 0;
  virtual std::vector<std::string> model_names() = 0;                        // sorted
  virtual std::vector<ModelVersion> versions(const std::string& model) = 0;  // by version
  virtual std::optional<ModelVersion> find_version(const std::string& model, int version) = 0;
  // REQUIRES: the model is locked and version.version is one past its highest version.
  virtual void insert_version(const ModelVersion& version) = 0;
  virtual std::vector<AliasState> aliases(const std::string& model) = 0;  // sorted by alias
  // REQUIRES: the model is locked and the version exists.
  virtual void set_alias(const AliasState& state) = 0;
  virtual void append_audit(const AuditEntry& entry) = 0;  // entry.id is ignored
  // In id order; model "" = every model, alias "" = every alias (and registrations) of the model.
  virtual std::vector<AuditEntry> audit_log(const std::string& model, const std::string& alias) = 0;
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;
  RegistryStore() = default;
  RegistryStore(const RegistryStore&) = delete;
  RegistryStore& operator=(const RegistryStore&) = delete;

  // Runs work in one write transaction (see the top of this file).
  virtual void write(const std::function<void(RegistrySession&)>& work) = 0;
  // Runs work in one read-only transaction: it sees one consistent state.
  virtual void read(const std::function<void(RegistrySession&)>& work) = 0;
  // The URL it was opened with, for messages.
  virtual const std::string& url() const = 0;
};

// Opens (and on first use creates) the store a URL names. Throws InputError naming the URL when it
// is malformed, the database cannot be opened, or its schema is newer than this code;
// UnavailableError when the PostgreSQL server cannot be reached.
std::unique_ptr<RegistryStore> open_registry_store(const std::string& url);

// The SQLite database file a URL names, or nullopt for a PostgreSQL URL.
std::optional<std::filesystem::path> sqlite_path_of(const std::string& url);

// JSON forms, for `--json` output and the service.
nlohmann::json to_json(const ModelVersion& version);
nlohmann::json to_json(const AliasState& alias);
nlohmann::json to_json(const AuditEntry& entry);

}  // namespace playsight::registry
