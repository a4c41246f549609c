// playsight models register / list / show / deploy / rollback / history, and playsight sync:
// the model registry (src/registry/) as tasks. Each calls the registry once and prints a table (or
// JSON with --json).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "registry/registry.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

using registry::AliasMove;
using registry::ModelRegistry;

ModelRegistry open_registry(const Values& values) {
  return ModelRegistry({values.text("registry"), values.text("store")});
}

registry::ChangeNote note_of(const Values& values) {
  return {values.text("author"), values.text("comment")};
}

std::vector<Option> registry_options() {
  return {Option::text("registry",
                       "registry URL: sqlite:///path/registry.db, a plain path, or "
                       "postgresql://user@host:port/db (default: $PLAYSIGHT_REGISTRY, else "
                       "sqlite://./playsight-registry/registry.db)"),
          Option::path("store",
                       "folder for the artifact copies (default: store/ beside the SQLite file; "
                       "playsight-registry/store for PostgreSQL)")};
}

std::vector<Option> change_options() {
  return {Option::text("author", "who makes the change (default: $USER)"),
          Option::text("comment", "why, for the audit log")};
}

Option json_option() {
  return Option::flag("json", "print JSON");
}

// The options, then the change options (when the task changes the registry), then the registry's.
std::vector<Option> with_registry(std::vector<Option> options, bool changes) {
  if (changes)
    for (Option& option : change_options()) options.push_back(std::move(option));
  for (Option& option : registry_options()) options.push_back(std::move(option));
  return options;
}

// Prints rows under a header, each column as wide as its widest cell.
void print_table(const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) widths[c] = header[c].size();
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  const auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print_row(header);
  for (const auto& row : rows) print_row(row);
}

void print_json(const nlohmann::json& json) {
  std::printf("%s\n", json.dump(2).c_str());
}

template <typename Record>
void print_json_array(const std::vector<Record>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const Record& record : records) out.push_back(registry::to_json(record));
  print_json(out);
}

std::string version_text(const std::optional<int>& version) {
  return version ? std::to_string(*version) : "-";
}

std::string aliases_of(const std::vector<registry::AliasState>& aliases, int version = 0) {
  std::string out;
  for (const auto& alias : aliases) {
    if (version != 0 && alias.version != version) continue;
    if (!out.empty()) out += ", ";
    out += version != 0 ? alias.alias : alias.alias + "=" + std::to_string(alias.version);
  }
  return out.empty() ? "-" : out;
}

std::string move_text(const AliasMove& move) {
  const std::string from = move.from_version ? std::to_string(*move.from_version) : "(new)";
  return move.model + " " + move.alias + ": " + from + " -> " + std::to_string(move.to_version);
}

std::string code_version(const registry::ModelVersion& version) {
  std::string out = "playsight " + version.playsight_version;
  if (!version.git_commit.empty()) out += " (git " + version.git_commit + ")";
  return out;
}

Result print_list(const Values& values) {
  const std::string& model = values.text("NAME");
  const bool json = values.flag("json");
  ModelRegistry registry = open_registry(values);
  if (model.empty()) {
    const auto models = registry.models();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& m : models) {
        nlohmann::json aliases = nlohmann::json::object();
        for (const auto& alias : m.aliases) aliases[alias.alias] = alias.version;
        out.push_back({{"model", m.model},
                       {"versions", m.version_count},
                       {"latest_version", m.latest_version},
                       {"latest_created_at", m.latest_created_at},
                       {"aliases", aliases}});
      }
      return print_json(out), Result{};
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : models)
      rows.push_back({m.model, std::to_string(m.version_count), std::to_string(m.latest_version),
                      m.latest_created_at, aliases_of(m.aliases)});
    if (rows.empty())
      std::printf("no models in %s\n", registry.url().c_str());
    else
      print_table({"model", "versions", "latest", "registered", "aliases"}, rows);
    return {};
  }
  const auto versions = registry.versions(model);
  const auto aliases = registry.aliases(model);
  if (json) return print_json_array(versions), Result{};
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : versions)
    rows.push_back({std::to_string(v.version), v.created_at, v.author, v.content_hash.substr(0, 12),
                    v.model_spec.empty() ? "-" : v.model_spec, aliases_of(aliases, v.version)});
  print_table({"version", "registered", "author", "sha256", "spec", "aliases"}, rows);
  return {};
}

std::string json_value_text(const nlohmann::json& value) {
  if (value.is_number_float()) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value.get<double>());
    return text;
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Result print_show(const Values& values) {
  const std::string& model = values.text("NAME");
  const std::string& which = values.text("VERSION");
  const bool json = values.flag("json");
  ModelRegistry registry = open_registry(values);
  const registry::ModelVersion v = registry.version(model, which);
  const auto aliases = registry.aliases(model);
  if (json) {
    nlohmann::json out = registry::to_json(v);
    out["aliases"] = nlohmann::json::array();
    for (const auto& alias : aliases)
      if (alias.version == v.version) out["aliases"].push_back(alias.alias);
    return print_json(out), Result{};
  }
  std::vector<std::vector<std::string>> rows = {{"model", v.model},
                                                {"version", std::to_string(v.version)},
                                                {"aliases", aliases_of(aliases, v.version)},
                                                {"sha256", v.content_hash},
                                                {"stored in", v.stored_folder},
                                                {"registered from", v.source_folder},
                                                {"spec", v.model_spec.empty() ? "-" : v.model_spec},
                                                {"code", code_version(v)},
                                                {"author", v.author},
                                                {"registered", v.created_at},
                                                {"comment", v.comment.empty() ? "-" : v.comment}};
  for (const auto& [key, value] : v.metrics.items())
    rows.push_back({"metric " + key, json_value_text(value)});
  for (const auto& [key, value] : v.training.items())
    rows.push_back({"training " + key, json_value_text(value)});
  print_table({"field", "value"}, rows);
  return {};
}

Result print_history(const Values& values) {
  const std::string& model = values.text("NAME");
  const bool json = values.flag("json");
  ModelRegistry registry = open_registry(values);
  const auto entries = registry.history(model);
  if (json) return print_json_array(entries), Result{};
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries)
    rows.push_back({std::to_string(e.id), e.at, e.actor, e.action, e.model,
                    e.alias.empty() ? "-" : e.alias, version_text(e.from_version),
                    version_text(e.to_version), e.comment.empty() ? "-" : e.comment});
  print_table({"id", "when", "who", "action", "model", "alias", "from", "to", "comment"}, rows);
  return {};
}

Result run_register(const Values& values) {
  const std::string& folder = values.text("FOLDER");
  ModelRegistry registry = open_registry(values);
  const registry::RegisteredVersion result = registry.register_version(
      {folder, values.text("name"), values.text("git-commit"), note_of(values)});
  const registry::ModelVersion& v = result.version;
  std::printf("registered %s version %d from %s (sha256 %s)\n", v.model.c_str(), v.version,
              folder.c_str(), v.content_hash.c_str());
  if (result.same_content_as)
    std::printf("note: the same content as version %d\n", *result.same_content_as);
  std::printf("stored in %s\n", v.stored_folder.c_str());
  return {{{"version", v.stored_folder}}};
}

Result run_deploy(const Values& values) {
  const std::string& model = values.text("NAME");
  const int version = static_cast<int>(values.integer("VERSION"));
  const std::string& alias = values.text("alias");
  ModelRegistry registry = open_registry(values);
  const AliasMove move = registry.deploy(model, version, alias, note_of(values));
  if (move.changed()) {
    std::printf("deployed %s\n", move_text(move).c_str());
  } else {
    std::printf("%s %s is already at version %d: nothing changed\n", model.c_str(), alias.c_str(),
                version);
  }
  return {};
}

Result run_rollback(const Values& values) {
  const AliasMove move =
      open_registry(values).rollback(values.text("NAME"), values.text("alias"), note_of(values));
  std::printf("rolled back %s\n", move_text(move).c_str());
  return {};
}

Result run_sync(const Values& values) {
  const std::string& file = values.text("FILE");
  const bool dry_run = values.flag("dry-run");
  const registry::DeployFile deploy_file = registry::read_deploy_file(file);
  ModelRegistry registry = open_registry(values);
  const registry::SyncPlan plan = registry.sync(deploy_file, note_of(values), dry_run);
  std::printf("%s%s: %zu alias%s %s, %zu already as the file says\n", file.c_str(),
              dry_run ? " (dry run, nothing applied)" : "", plan.moves.size(),
              plan.moves.size() == 1 ? "" : "es", dry_run ? "would move" : "moved",
              plan.unchanged.size());
  for (const AliasMove& move : plan.moves) std::printf("  %s\n", move_text(move).c_str());
  return {};
}

}  // namespace

// A task that only calls a registry function (no progress).
template <Result (*run)(const Values&)>
Result plain(const Values& values, Progress&) {
  return run(values);
}

std::vector<Task> models_tasks() {
  const auto task = [](std::string name, std::string summary, std::vector<Option> options,
                       bool changes, Result (*run)(const Values&, Progress&)) {
    return Task{.name = std::move(name),
                .part = "registry",
                .summary = std::move(summary),
                .options = with_registry(std::move(options), changes),
                .run = run};
  };
  return {
      task("models register", "Copy a model folder into the registry as the model's next version.",
           {Option::path("FOLDER", "model folder (with model.json)").needed(),
            Option::text("name", "the model's name in the registry, e.g. spend").needed(),
            Option::text("git-commit", "commit of the code that made the model")},
           true, plain<run_register>),
      task("models list", "The models, or one model's versions.",
           {Option::text("NAME", "a model: list its versions"), json_option()}, false,
           plain<print_list>),
      task("models show", "One version with its metrics and provenance.",
           {Option::text("NAME", "the model").needed(),
            Option::text("VERSION", "a version number or an alias (default: the latest)"),
            json_option()},
           false, plain<print_show>),
      task("models deploy", "Point an alias at a version.",
           {Option::text("NAME", "the model").needed(),
            Option::integer("VERSION", "the version number", 0).without_default().needed(),
            Option::text("alias", "the alias to move, e.g. production").needed()},
           true, plain<run_deploy>),
      task("models rollback",
           "Move an alias back to the version it pointed at before its last deploy.",
           {Option::text("NAME", "the model").needed(),
            Option::text("alias", "the alias, e.g. production").needed()},
           true, plain<run_rollback>),
      task("models history", "The audit log, oldest first.",
           {Option::text("NAME", "only this model"), json_option()}, false, plain<print_history>),
      task("sync", "Bring the registry's aliases to the versions a deploy file (TOML) names.",
           {Option::path("FILE", "deploy file: [models.NAME] tables of alias = version").needed(),
            Option::flag("dry-run", "show what would move, change nothing")},
           true, plain<run_sync>),
  };
}

}  // namespace playsight::tasks
