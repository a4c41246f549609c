#pragma once
// The model registry: named models, each a list of immutable versions (artifact folders copied
// into the registry's store: artifact_store.h), aliases such as `production` and `staging` that
// point at one version each, and an audit log of every change (registry_store.h has the records
// and the backends).
//
// Every change is one transaction of the store: a version and its "register" audit row, or an
// alias move and its audit row, are written together or not at all, so a process killed mid-deploy
// leaves the alias at its old or its new version, never at none. Concurrent writers of a model
// are serialised by the store.
//
// Rollback: the audit rows of one (model, alias) form a stack. Each deploy or sync that moved the
// alias pushes the version it moved to; each rollback pops one. `rollback` moves the alias to the
// version under the top, so repeated rollbacks walk back through the deploys: after deploying
// 1, 2, 3, a rollback goes to 2, the next to 1, and the next fails (nothing before 1). A deploy
// after a rollback pushes again. Deploying the version an alias already points at changes
// nothing and writes no audit row.
//
// Names of models and aliases: 1 to 64 of [A-Za-z0-9_-]. User errors (unknown model, version or
// alias, a bad folder or deploy file) are InputErrors naming what is wrong; a registry that cannot
// be reached is an UnavailableError (registry_store.h), after which this ModelRegistry's connection
// is gone: open a new one. A ModelRegistry is one connection: use it from one thread at a time.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "registry/deploy_file.h"
#include "registry/registry_store.h"

namespace playsight::registry {

struct RegistryOptions {
  std::string url;  // registry_store.h; default_registry_url() when empty
  // Where artifact copies go. Empty: `store/` beside the SQLite database; for PostgreSQL,
  // ./playsight-registry/store (give a folder all replicas share).
  std::filesystem::path store_folder;
};

// Who makes a change and why. actor "" = current_user().
struct ChangeNote {
  std::string actor;
  std::string comment;
};

struct RegisterRequest {
  std::filesystem::path folder;  // a model artifact folder with model.json
  std::string model;             // the name to register it under
  std::string git_commit;        // of the code that made it, if known
  ChangeNote note;               // actor = the version's author
};

struct RegisteredVersion {
  ModelVersion version;
  std::optional<int> same_content_as;  // an earlier version of the model with the same hash
};

struct ModelSummary {
  std::string model;
  int version_count = 0;
  int latest_version = 0;
  std::string latest_created_at;
  std::vector<AliasState> aliases;
};

struct AliasMove {
  std::string model;
  std::string alias;
  std::optional<int> from_version;  // none: the alias is new
  int to_version = 0;
  std::string to_content_hash;  // of to_version (deploy and rollback fill it)
  bool changed() const { return from_version != to_version; }
};

struct SyncPlan {
  std::string file;
  std::vector<AliasMove> moves;      // aliases that differ from the file, in file order
  std::vector<AliasMove> unchanged;  // aliases already as the file says
  bool applied = false;              // false for a dry run
};

class ModelRegistry {
 public:
  // Opens (creating on first use) the store. Throws InputError for a bad URL or database.
  explicit ModelRegistry(const RegistryOptions& options);

  // Copies the folder into the store and adds it as the model's next version (1 for a new model).
  RegisteredVersion register_version(const RegisterRequest& request);

  std::vector<ModelSummary> models();
  std::vector<ModelVersion> versions(const std::string& model);
  // version_or_alias: a version number, an alias name, or "" for the latest version.
  ModelVersion version(const std::string& model, const std::string& version_or_alias);
  std::vector<AliasState> aliases(const std::string& model);
  // model "" = every model; in order of the changes.
  std::vector<AuditEntry> history(const std::string& model);

  // Points the alias at the version (creating the alias if new). Action "deploy".
  AliasMove deploy(const std::string& model, int version, const std::string& alias,
                   const ChangeNote& note);
  // Moves the alias back as described at the top of this file. Action "rollback".
  AliasMove rollback(const std::string& model, const std::string& alias, const ChangeNote& note);
  // Brings the aliases the file names to its versions in one transaction, each move an audit row
  // with action "sync" and the file's path as comment (plus the note's comment). Every entry is
  // checked first; if any names an unknown model or version, nothing is applied and the
  // InputError lists every such entry as FILE:LINE: KEY: what is wrong. dry_run: plan only.
  SyncPlan sync(const DeployFile& file, const ChangeNote& note, bool dry_run);

  const std::string& url() const { return store_->url(); }
  const std::filesystem::path& store_folder() const { return store_folder_; }

 private:
  std::unique_ptr<RegistryStore> store_;
  std::filesystem::path store_folder_;
};

// $PLAYSIGHT_REGISTRY if set, else sqlite://./playsight-registry/registry.db.
std::string default_registry_url();
// $USER if set, else the login name of the process's user.
std::string current_user();

}  // namespace playsight::registry
