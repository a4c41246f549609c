// playsight models register / list / show / deploy / rollback / history, and playsight sync:
// the model registry (src/registry/) from the command line. Each parses its flags, calls the
// registry once and prints a table (or JSON with --json).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "registry/registry.h"

namespace playsight::cli {
namespace {

using registry::AliasMove;
using registry::ModelRegistry;

struct RegistryFlags {
  std::string url;
  std::string store;
  std::string author;
  std::string comment;
  bool json = false;

  ModelRegistry open() const { return ModelRegistry({url, store}); }
  registry::ChangeNote note() const { return {author, comment}; }
};

void add_registry_flags(CLI::App* command, RegistryFlags& flags) {
  command->add_option("--registry", flags.url,
                      "registry URL: sqlite:///path/registry.db, a plain path, or "
                      "postgresql://user@host:port/db (default: $PLAYSIGHT_REGISTRY, else "
                      "sqlite://./playsight-registry/registry.db)");
  command->add_option("--store", flags.store,
                      "folder for the artifact copies (default: store/ beside the SQLite file; "
                      "playsight-registry/store for PostgreSQL)");
}

void add_change_flags(CLI::App* command, RegistryFlags& flags) {
  command->add_option("--author", flags.author, "who makes the change (default: $USER)");
  command->add_option("--comment", flags.comment, "why, for the audit log");
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

void print_list(RegistryFlags& flags, const std::string& model) {
  ModelRegistry registry = flags.open();
  if (model.empty()) {
    const auto models = registry.models();
    if (flags.json) {
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
      return print_json(out);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : models)
      rows.push_back({m.model, std::to_string(m.version_count), std::to_string(m.latest_version),
                      m.latest_created_at, aliases_of(m.aliases)});
    if (rows.empty())
      std::printf("no models in %s\n", registry.url().c_str());
    else
      print_table({"model", "versions", "latest", "registered", "aliases"}, rows);
    return;
  }
  const auto versions = registry.versions(model);
  const auto aliases = registry.aliases(model);
  if (flags.json) return print_json_array(versions);
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : versions)
    rows.push_back({std::to_string(v.version), v.created_at, v.author, v.content_hash.substr(0, 12),
                    v.model_spec.empty() ? "-" : v.model_spec, aliases_of(aliases, v.version)});
  print_table({"version", "registered", "author", "sha256", "spec", "aliases"}, rows);
}

std::string json_value_text(const nlohmann::json& value) {
  if (value.is_number_float()) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", value.get<double>());
    return text;
  }
  return value.is_string() ? value.get<std::string>() : value.dump();
}

void print_show(RegistryFlags& flags, const std::string& model, const std::string& which) {
  ModelRegistry registry = flags.open();
  const registry::ModelVersion v = registry.version(model, which);
  const auto aliases = registry.aliases(model);
  if (flags.json) {
    nlohmann::json out = registry::to_json(v);
    out["aliases"] = nlohmann::json::array();
    for (const auto& alias : aliases)
      if (alias.version == v.version) out["aliases"].push_back(alias.alias);
    return print_json(out);
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
}

void print_history(RegistryFlags& flags, const std::string& model) {
  ModelRegistry registry = flags.open();
  const auto entries = registry.history(model);
  if (flags.json) return print_json_array(entries);
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries)
    rows.push_back({std::to_string(e.id), e.at, e.actor, e.action, e.model,
                    e.alias.empty() ? "-" : e.alias, version_text(e.from_version),
                    version_text(e.to_version), e.comment.empty() ? "-" : e.comment});
  print_table({"id", "when", "who", "action", "model", "alias", "from", "to", "comment"}, rows);
}

void run_register(RegistryFlags& flags, const std::string& folder, const std::string& name,
                  const std::string& git_commit) {
  ModelRegistry registry = flags.open();
  const registry::RegisteredVersion result =
      registry.register_version({folder, name, git_commit, flags.note()});
  const registry::ModelVersion& v = result.version;
  std::printf("registered %s version %d from %s (sha256 %s)\n", v.model.c_str(), v.version,
              folder.c_str(), v.content_hash.c_str());
  if (result.same_content_as)
    std::printf("note: the same content as version %d\n", *result.same_content_as);
  std::printf("stored in %s\n", v.stored_folder.c_str());
}

void run_deploy(RegistryFlags& flags, const std::string& model, int version,
                const std::string& alias) {
  ModelRegistry registry = flags.open();
  const AliasMove move = registry.deploy(model, version, alias, flags.note());
  if (move.changed()) {
    std::printf("deployed %s\n", move_text(move).c_str());
  } else {
    std::printf("%s %s is already at version %d: nothing changed\n", model.c_str(), alias.c_str(),
                version);
  }
}

void run_sync(RegistryFlags& flags, const std::string& file, bool dry_run) {
  const registry::DeployFile deploy_file = registry::read_deploy_file(file);
  ModelRegistry registry = flags.open();
  const registry::SyncPlan plan = registry.sync(deploy_file, flags.note(), dry_run);
  std::printf("%s%s: %zu alias%s %s, %zu already as the file says\n", file.c_str(),
              dry_run ? " (dry run, nothing applied)" : "", plan.moves.size(),
              plan.moves.size() == 1 ? "" : "es", dry_run ? "would move" : "moved",
              plan.unchanged.size());
  for (const AliasMove& move : plan.moves) std::printf("  %s\n", move_text(move).c_str());
}

}  // namespace

void add_models_command(CLI::App& app) {
  CLI::App* models = app.add_subcommand(
      "models",
      "The model registry: register model folders as versions, deploy them to aliases "
      "(production, staging, ...), roll back, and read the audit log.");
  models->require_subcommand(1);

  struct Arguments {
    RegistryFlags flags;
    std::string folder, name, model, which, alias, git_commit;
    int version = 0;
  };
  auto a = std::make_shared<Arguments>();

  CLI::App* reg = models->add_subcommand(
      "register", "Copy a model folder into the registry as the model's next version.");
  reg->add_option("FOLDER", a->folder, "model folder (with model.json)")->required();
  reg->add_option("--name", a->name, "the model's name in the registry, e.g. spend")->required();
  reg->add_option("--git-commit", a->git_commit, "commit of the code that made the model");
  add_change_flags(reg, a->flags);
  add_registry_flags(reg, a->flags);
  reg->callback([a] { run_register(a->flags, a->folder, a->name, a->git_commit); });

  CLI::App* list = models->add_subcommand("list", "The models, or one model's versions.");
  list->add_option("NAME", a->model, "a model: list its versions");
  list->add_flag("--json", a->flags.json, "print JSON");
  add_registry_flags(list, a->flags);
  list->callback([a] { print_list(a->flags, a->model); });

  CLI::App* show = models->add_subcommand("show", "One version with its metrics and provenance.");
  show->add_option("NAME", a->model, "the model")->required();
  show->add_option("VERSION", a->which, "a version number or an alias (default: the latest)");
  show->add_flag("--json", a->flags.json, "print JSON");
  add_registry_flags(show, a->flags);
  show->callback([a] { print_show(a->flags, a->model, a->which); });

  CLI::App* deploy = models->add_subcommand("deploy", "Point an alias at a version.");
  deploy->add_option("NAME", a->model, "the model")->required();
  deploy->add_option("VERSION", a->version, "the version number")->required();
  deploy->add_option("--alias", a->alias, "the alias to move, e.g. production")->required();
  add_change_flags(deploy, a->flags);
  add_registry_flags(deploy, a->flags);
  deploy->callback([a] { run_deploy(a->flags, a->model, a->version, a->alias); });

  CLI::App* rollback = models->add_subcommand(
      "rollback", "Move an alias back to the version it pointed at before its last deploy.");
  rollback->add_option("NAME", a->model, "the model")->required();
  rollback->add_option("--alias", a->alias, "the alias, e.g. production")->required();
  add_change_flags(rollback, a->flags);
  add_registry_flags(rollback, a->flags);
  rollback->callback([a] {
    const AliasMove move = a->flags.open().rollback(a->model, a->alias, a->flags.note());
    std::printf("rolled back %s\n", move_text(move).c_str());
  });

  CLI::App* history = models->add_subcommand("history", "The audit log, oldest first.");
  history->add_option("NAME", a->model, "only this model");
  history->add_flag("--json", a->flags.json, "print JSON");
  add_registry_flags(history, a->flags);
  history->callback([a] { print_history(a->flags, a->model); });
}

void add_sync_command(CLI::App& app) {
  struct Arguments {
    RegistryFlags flags;
    std::string file;
    bool dry_run = false;
  };
  auto a = std::make_shared<Arguments>();
  CLI::App* sync = app.add_subcommand(
      "sync", "Bring the registry's aliases to the versions a deploy file (TOML) names.");
  sync->add_option("FILE", a->file, "deploy file: [models.NAME] tables of alias = version")
      ->required();
  sync->add_flag("--dry-run", a->dry_run, "show what would move, change nothing");
  add_change_flags(sync, a->flags);
  add_registry_flags(sync, a->flags);
  sync->callback([a] { run_sync(a->flags, a->file, a->dry_run); });
}

}  // namespace playsight::cli
