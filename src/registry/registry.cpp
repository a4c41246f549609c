#include "registry/registry.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <set>
#include <utility>

#include "core/error.h"
#include "core/time.h"
#include "playsight/version.h"
#include "registry/artifact_store.h"

namespace playsight::registry {
namespace {

// Now as YYYY-MM-DDTHH:MM:SSZ.
std::string utc_now() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string text =
      format_timestamp(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  text[10] = 'T';
  return text + "Z";
}

// model.json's text field, or the fallback when it is missing or not text.
std::string text_field(const nlohmann::json& json, const char* key, const std::string& fallback) {
  const auto found = json.find(key);
  return found != json.end() && found->is_string() ? found->get<std::string>() : fallback;
}

void check_name(const std::string& name, const char* what) {
  if (!is_valid_name(name))
    throw InputError(std::string(what) + " name " + quote_for_message(name) +
                     ": expected 1 to 64 letters, digits, '_' or '-'");
}

std::string actor_of(const ChangeNote& note) {
  return note.actor.empty() ? current_user() : note.actor;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

[[noreturn]] void throw_unknown_model(RegistrySession& session, const std::string& model,
                                      const std::string& url) {
  throw InputError("unknown model " + quote_for_message(model) + " in the registry " + url +
                   " (models: " + joined(session.model_names()) + ")");
}

// Locks the model, or throws naming it and the models there are.
void lock_known_model(RegistrySession& session, const std::string& model, const std::string& url) {
  if (!session.lock_model(model)) throw_unknown_model(session, model, url);
}

// Runs read(session) in a read transaction, after checking that the model exists.
template <typename Read>
auto read_known_model(RegistryStore& store, const std::string& model, Read read) {
  decltype(read(std::declval<RegistrySession&>())) out{};
  store.read([&](RegistrySession& session) {
    lock_known_model(session, model, store.url());
    out = read(session);
  });
  return out;
}

std::string versions_it_has(RegistrySession& session, const std::string& model) {
  const std::vector<ModelVersion> versions = session.versions(model);
  if (versions.empty()) return "it has no versions";
  return "it has versions 1 to " + std::to_string(versions.back().version);
}

ModelVersion require_version(RegistrySession& session, const std::string& model, int version) {
  if (auto found = session.find_version(model, version)) return *found;
  throw InputError("model " + quote_for_message(model) + " has no version " +
                   std::to_string(version) + " (" + versions_it_has(session, model) + ")");
}

std::optional<int> alias_version(RegistrySession& session, const std::string& model,
                                 const std::string& alias) {
  for (const AliasState& state : session.aliases(model))
    if (state.alias == alias) return state.version;
  return std::nullopt;
}

std::string alias_names(RegistrySession& session, const std::string& model) {
  std::vector<std::string> names;
  for (const AliasState& state : session.aliases(model)) names.push_back(state.alias);
  return joined(names);
}

// Moves the alias and writes its audit row, in the caller's transaction.
void move_alias(RegistrySession& session, const AliasMove& move, const std::string& action,
                const std::string& actor, const std::string& comment) {
  const std::string now = utc_now();
  session.set_alias({move.model, move.alias, move.to_version, now});
  session.append_audit(
      {0, now, actor, action, move.model, move.alias, move.from_version, move.to_version, comment});
}

// The versions the alias was moved to, minus those undone by rollbacks (see registry.h).
std::vector<int> deploy_stack(const std::vector<AuditEntry>& entries) {
  std::vector<int> stack;
  for (const AuditEntry& entry : entries) {
    if (entry.action == "rollback") {
      if (!stack.empty()) stack.pop_back();
    } else if (entry.to_version) {
      stack.push_back(*entry.to_version);
    }
  }
  return stack;
}

// Checks every entry of a deploy file; throws one InputError listing all that are wrong.
void check_deploy_file(RegistrySession& session, const DeployFile& file) {
  const std::vector<std::string> known = session.model_names();
  const std::set<std::string> known_set(known.begin(), known.end());
  std::vector<std::string> problems;
  std::set<std::string> reported;
  for (const DeployEntry& entry : file.entries) {
    const std::string at = file.path + ":" + std::to_string(entry.line) + ": models." +
                           entry.model + "." + entry.alias;
    if (!known_set.count(entry.model)) {
      if (reported.insert(entry.model).second)
        problems.push_back(at + ": unknown model " + quote_for_message(entry.model) +
                           " (models: " + joined(known) + ")");
    } else if (!session.find_version(entry.model, entry.version)) {
      problems.push_back(at + " = " + std::to_string(entry.version) + ": model " +
                         quote_for_message(entry.model) + " has no version " +
                         std::to_string(entry.version) + " (" +
                         versions_it_has(session, entry.model) + ")");
    }
  }
  if (problems.empty()) return;
  std::string message;
  for (const std::string& problem : problems) message += (message.empty() ? "" : "\n") + problem;
  if (problems.size() > 1) message += "\n(nothing was applied)";
  throw InputError(message);
}

SyncPlan plan_sync(RegistrySession& session, const DeployFile& file) {
  check_deploy_file(session, file);
  SyncPlan plan;
  plan.file = file.path;
  for (const DeployEntry& entry : file.entries) {
    AliasMove move{entry.model, entry.alias, alias_version(session, entry.model, entry.alias),
                   entry.version, ""};
    (move.changed() ? plan.moves : plan.unchanged).push_back(std::move(move));
  }
  return plan;
}

}  // namespace

std::string default_registry_url() {
  if (const char* url = std::getenv("PLAYSIGHT_REGISTRY"); url && *url) return url;
  return "sqlite://./playsight-registry/registry.db";
}

std::string current_user() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  const passwd* entry = ::getpwuid(::getuid());
  return entry ? entry->pw_name : "unknown";
}

ModelRegistry::ModelRegistry(const RegistryOptions& options) {
  const std::string url = options.url.empty() ? default_registry_url() : options.url;
  store_folder_ = options.store_folder;
  if (store_folder_.empty()) {
    const auto database = sqlite_path_of(url);
    store_folder_ = database ? database->parent_path() / "store"
                             : std::filesystem::path("playsight-registry") / "store";
  }
  store_ = open_registry_store(url);
}

RegisteredVersion ModelRegistry::register_version(const RegisterRequest& request) {
  check_name(request.model, "model");
  const StoredArtifact stored = store_artifact(request.folder, store_folder_);
  const nlohmann::json& json = stored.model_json;
  ModelVersion version;
  version.model = request.model;
  version.content_hash = stored.content_hash;
  version.stored_folder = stored.folder.string();
  version.source_folder = std::filesystem::absolute(request.folder).lexically_normal().string();
  version.model_spec = text_field(json, "alias", "");
  version.metrics = json.value("metrics", nlohmann::json::object());
  version.training = json.value("training", nlohmann::json::object());
  version.playsight_version = text_field(json, "playsight_version", kVersion);
  version.git_commit = request.git_commit;
  version.author = actor_of(request.note);
  version.comment = request.note.comment;
  RegisteredVersion result;
  store_->write([&](RegistrySession& session) {
    version.created_at = utc_now();
    session.create_model(version.model, version.created_at);
    const std::vector<ModelVersion> earlier = session.versions(version.model);
    version.version = earlier.empty() ? 1 : earlier.back().version + 1;
    for (const ModelVersion& other : earlier)
      if (other.content_hash == version.content_hash) result.same_content_as = other.version;
    session.insert_version(version);
    session.append_audit({0, version.created_at, version.author, "register", version.model, "",
                          std::nullopt, version.version, version.comment});
  });
  result.version = version;
  return result;
}

std::vector<ModelSummary> ModelRegistry::models() {
  std::vector<ModelSummary> out;
  store_->read([&](RegistrySession& session) {
    for (const std::string& name : session.model_names()) {
      const std::vector<ModelVersion> versions = session.versions(name);
      ModelSummary summary{name, static_cast<int>(versions.size()), 0, "", session.aliases(name)};
      if (!versions.empty()) {
        summary.latest_version = versions.back().version;
        summary.latest_created_at = versions.back().created_at;
      }
      out.push_back(std::move(summary));
    }
  });
  return out;
}

std::vector<ModelVersion> ModelRegistry::versions(const std::string& model) {
  return read_known_model(*store_, model,
                          [&](RegistrySession& session) { return session.versions(model); });
}

ModelVersion ModelRegistry::version(const std::string& model, const std::string& version_or_alias) {
  return read_known_model(*store_, model, [&](RegistrySession& session) {
    if (version_or_alias.empty()) {
      const std::vector<ModelVersion> all = session.versions(model);
      if (all.empty()) throw InputError("model " + quote_for_message(model) + " has no versions");
      return all.back();
    }
    const bool is_number = version_or_alias.find_first_not_of("0123456789") == std::string::npos;
    if (is_number && version_or_alias.size() < 9)
      return require_version(session, model, std::stoi(version_or_alias));
    const auto aliased = alias_version(session, model, version_or_alias);
    if (!aliased)
      throw InputError("model " + quote_for_message(model) + " has no version or alias " +
                       quote_for_message(version_or_alias) + " (aliases: " +
                       alias_names(session, model) + "; " + versions_it_has(session, model) + ")");
    return require_version(session, model, *aliased);
  });
}

std::vector<AliasState> ModelRegistry::aliases(const std::string& model) {
  return read_known_model(*store_, model,
                          [&](RegistrySession& session) { return session.aliases(model); });
}

std::vector<AuditEntry> ModelRegistry::history(const std::string& model) {
  if (model.empty()) {
    std::vector<AuditEntry> out;
    store_->read([&](RegistrySession& session) { out = session.audit_log("", ""); });
    return out;
  }
  return read_known_model(*store_, model,
                          [&](RegistrySession& session) { return session.audit_log(model, ""); });
}

AliasMove ModelRegistry::deploy(const std::string& model, int version, const std::string& alias,
                                const ChangeNote& note) {
  check_name(alias, "alias");
  AliasMove move{model, alias, std::nullopt, version, ""};
  // Two round trips on PostgreSQL: the lock and the reads, then the writes and COMMIT.
  store_->write([&](RegistrySession& session) {
    const DeployStart start = session.lock_for_deploy(model, version, alias);
    if (!start.model_exists) throw_unknown_model(session, model, url());
    if (!start.content_hash) require_version(session, model, version);  // throws, naming them
    move.to_content_hash = start.content_hash.value_or("");
    move.from_version = start.alias_version;
    if (move.changed()) move_alias(session, move, "deploy", actor_of(note), note.comment);
  });
  return move;
}

AliasMove ModelRegistry::rollback(const std::string& model, const std::string& alias,
                                  const ChangeNote& note) {
  AliasMove move{model, alias, std::nullopt, 0, ""};
  store_->write([&](RegistrySession& session) {
    lock_known_model(session, model, url());
    move.from_version = alias_version(session, model, alias);
    if (!move.from_version)
      throw InputError("model " + quote_for_message(model) + " has no alias " +
                       quote_for_message(alias) + " (aliases: " + alias_names(session, model) +
                       ")");
    const std::vector<int> stack = deploy_stack(session.audit_log(model, alias));
    if (stack.size() < 2)
      throw InputError("model " + quote_for_message(model) + " alias " + quote_for_message(alias) +
                       ": nothing to roll back to (it has pointed at version " +
                       std::to_string(*move.from_version) + " since its first deploy, or every " +
                       "earlier deploy has been rolled back)");
    if (stack.back() != *move.from_version)
      throw Error("model '" + model + "' alias '" + alias + "' points at version " +
                  std::to_string(*move.from_version) + " but its audit log says " +
                  std::to_string(stack.back()));
    move.to_version = stack[stack.size() - 2];
    move.to_content_hash = require_version(session, model, move.to_version).content_hash;
    move_alias(session, move, "rollback", actor_of(note), note.comment);
  });
  return move;
}

SyncPlan ModelRegistry::sync(const DeployFile& file, const ChangeNote& note, bool dry_run) {
  SyncPlan plan;
  if (dry_run) {
    store_->read([&](RegistrySession& session) { plan = plan_sync(session, file); });
    return plan;
  }
  store_->write([&](RegistrySession& session) {
    std::set<std::string> models;  // locked in name order, so two syncs cannot deadlock
    for (const DeployEntry& entry : file.entries) models.insert(entry.model);
    for (const std::string& model : models) session.lock_model(model);
    plan = plan_sync(session, file);
    const std::string comment = note.comment.empty() ? file.path : file.path + ": " + note.comment;
    for (const AliasMove& move : plan.moves)
      move_alias(session, move, "sync", actor_of(note), comment);
    plan.applied = true;
  });
  return plan;
}

}  // namespace playsight::registry
