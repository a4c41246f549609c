#include "registry/detail/sql_store.h"

#include <string>

#include "core/error.h"

namespace playsight::registry::detail {

std::vector<std::vector<SqlRow>> SqlConnection::query_all(
    const std::vector<SqlStatement>& statements) {
  std::vector<std::vector<SqlRow>> out;
  for (const SqlStatement& statement : statements)
    out.push_back(query(statement.sql, statement.params));
  return out;
}

namespace {

constexpr const char* kVersionColumns =
    "model, version, content_hash, stored_folder, source_folder, model_spec, metrics, training, "
    "playsight_version, git_commit, author, created_at, comment";
constexpr const char* kAuditColumns =
    "id, at, actor, action, model, alias, from_version, to_version, comment";

std::vector<std::string> schema_statements(const SqlConnection& connection) {
  return {
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS versions ("
      " model TEXT NOT NULL REFERENCES models(name), version INTEGER NOT NULL,"
      " content_hash TEXT NOT NULL, stored_folder TEXT NOT NULL, source_folder TEXT NOT NULL,"
      " model_spec TEXT NOT NULL, metrics TEXT NOT NULL, training TEXT NOT NULL,"
      " playsight_version TEXT NOT NULL, git_commit TEXT NOT NULL, author TEXT NOT NULL,"
      " created_at TEXT NOT NULL, comment TEXT NOT NULL, PRIMARY KEY (model, version))",
      "CREATE TABLE IF NOT EXISTS aliases ("
      " model TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL,"
      " updated_at TEXT NOT NULL, PRIMARY KEY (model, alias),"
      " FOREIGN KEY (model, version) REFERENCES versions(model, version))",
      "CREATE TABLE IF NOT EXISTS audit_log (id " + std::string(connection.audit_id_column()) +
          ", at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, model TEXT NOT NULL,"
          " alias TEXT NOT NULL, from_version INTEGER, to_version INTEGER,"
          " comment TEXT NOT NULL)",
      "CREATE INDEX IF NOT EXISTS audit_log_by_model ON audit_log (model, alias, id)",
  };
}

const std::string& text(const SqlRow& row, std::size_t column) {
  static const std::string empty;
  return row.at(column) ? *row[column] : empty;
}

int integer(const SqlRow& row, std::size_t column) {
  return std::stoi(text(row, column));
}

std::optional<int> optional_integer(const SqlRow& row, std::size_t column) {
  if (!row.at(column)) return std::nullopt;
  return std::stoi(*row[column]);
}

SqlValue optional_value(const std::optional<int>& value) {
  if (!value) return std::monostate{};
  return std::int64_t{*value};
}

ModelVersion version_from_row(const SqlRow& row) {
  ModelVersion v;
  v.model = text(row, 0);
  v.version = integer(row, 1);
  v.content_hash = text(row, 2);
  v.stored_folder = text(row, 3);
  v.source_folder = text(row, 4);
  v.model_spec = text(row, 5);
  v.metrics = nlohmann::json::parse(text(row, 6));
  v.training = nlohmann::json::parse(text(row, 7));
  v.playsight_version = text(row, 8);
  v.git_commit = text(row, 9);
  v.author = text(row, 10);
  v.created_at = text(row, 11);
  v.comment = text(row, 12);
  return v;
}

AuditEntry audit_from_row(const SqlRow& row) {
  AuditEntry entry;
  entry.id = std::stoll(text(row, 0));
  entry.at = text(row, 1);
  entry.actor = text(row, 2);
  entry.action = text(row, 3);
  entry.model = text(row, 4);
  entry.alias = text(row, 5);
  entry.from_version = optional_integer(row, 6);
  entry.to_version = optional_integer(row, 7);
  entry.comment = text(row, 8);
  return entry;
}

class SqlSession final : public RegistrySession {
 public:
  SqlSession(SqlConnection& connection, bool writing) : sql_(connection), writing_(writing) {}

  bool lock_model(const std::string& model) override {
    // A read-only transaction needs no lock (and PostgreSQL refuses FOR UPDATE in one).
    const std::string statement = "SELECT name FROM models WHERE name = ?" +
                                  std::string(writing_ ? sql_.lock_rows_clause() : "");
    return !sql_.query(statement, {model}).empty();
  }

  DeployStart lock_for_deploy(const std::string& model, int version,
                              const std::string& alias) override {
    const std::string lock =
        "SELECT name FROM models WHERE name = ?" + std::string(sql_.lock_rows_clause());
    const auto results = sql_.query_all(
        {{lock, {model}},
         {"SELECT content_hash FROM versions WHERE model = ? AND version = ?",
          {model, std::int64_t{version}}},
         {"SELECT version FROM aliases WHERE model = ? AND alias = ?", {model, alias}}});
    DeployStart start;
    start.model_exists = !results[0].empty();
    if (!results[1].empty()) start.content_hash = text(results[1].front(), 0);
    if (!results[2].empty()) start.alias_version = integer(results[2].front(), 0);
    return start;
  }

  void create_model(const std::string& model, const std::string& created_at) override {
    sql_.query("INSERT INTO models (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
               {model, created_at});
    lock_model(model);
  }

  std::vector<std::string> model_names() override {
    std::vector<std::string> names;
    for (const SqlRow& row : sql_.query("SELECT name FROM models ORDER BY name", {}))
      names.push_back(text(row, 0));
    return names;
  }

  std::vector<ModelVersion> versions(const std::string& model) override {
    std::vector<ModelVersion> out;
    for (const SqlRow& row : sql_.query(std::string("SELECT ") + kVersionColumns +
                                            " FROM versions WHERE model = ? ORDER BY version",
                                        {model}))
      out.push_back(version_from_row(row));
    return out;
  }

  std::optional<ModelVersion> find_version(const std::string& model, int version) override {
    const auto rows = sql_.query(
        std::string("SELECT ") + kVersionColumns + " FROM versions WHERE model = ? AND version = ?",
        {model, std::int64_t{version}});
    if (rows.empty()) return std::nullopt;
    return version_from_row(rows.front());
  }

  void insert_version(const ModelVersion& v) override {
    sql_.execute_later(std::string("INSERT INTO versions (") + kVersionColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {v.model, std::int64_t{v.version}, v.content_hash, v.stored_folder,
                        v.source_folder, v.model_spec, v.metrics.dump(), v.training.dump(),
                        v.playsight_version, v.git_commit, v.author, v.created_at, v.comment});
  }

  std::vector<AliasState> aliases(const std::string& model) override {
    std::vector<AliasState> out;
    for (const SqlRow& row :
         sql_.query("SELECT model, alias, version, updated_at FROM aliases WHERE model = ?"
                    " ORDER BY alias",
                    {model}))
      out.push_back({text(row, 0), text(row, 1), integer(row, 2), text(row, 3)});
    return out;
  }

  void set_alias(const AliasState& state) override {
    sql_.execute_later(
        "INSERT INTO aliases (model, alias, version, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version,"
        " updated_at = excluded.updated_at",
        {state.model, state.alias, std::int64_t{state.version}, state.updated_at});
  }

  void append_audit(const AuditEntry& e) override {
    sql_.execute_later(
        "INSERT INTO audit_log (at, actor, action, model, alias, from_version, to_version, "
        "comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {e.at, e.actor, e.action, e.model, e.alias, optional_value(e.from_version),
         optional_value(e.to_version), e.comment});
  }

  std::vector<AuditEntry> audit_log(const std::string& model, const std::string& alias) override {
    std::string statement = std::string("SELECT ") + kAuditColumns + " FROM audit_log";
    std::vector<SqlValue> params;
    if (!model.empty()) {
      statement += " WHERE model = ?";
      params.emplace_back(model);
      if (!alias.empty()) {
        statement += " AND alias = ?";
        params.emplace_back(alias);
      }
    }
    std::vector<AuditEntry> out;
    for (const SqlRow& row : sql_.query(statement + " ORDER BY id", params))
      out.push_back(audit_from_row(row));
    return out;
  }

 private:
  SqlConnection& sql_;
  bool writing_;
};

class SqlStore final : public RegistryStore {
 public:
  SqlStore(std::unique_ptr<SqlConnection> connection, const std::string& url)
      : connection_(std::move(connection)), url_(url) {
    create_schema();
  }

  void write(const std::function<void(RegistrySession&)>& work) override {
    connection_->begin_write();
    run(work, true);
  }

  void read(const std::function<void(RegistrySession&)>& work) override {
    connection_->begin_read();
    run(work, false);
  }

  const std::string& url() const override { return url_; }

 private:
  void run(const std::function<void(RegistrySession&)>& work, bool writing) {
    try {
      SqlSession session(*connection_, writing);
      work(session);
      connection_->commit();
    } catch (...) {
      connection_->rollback();
      throw;
    }
  }

  // The schema version already there, or nullopt when there is no schema yet.
  std::optional<int> existing_schema_version() {
    try {
      const auto rows = connection_->query("SELECT MAX(version) FROM schema_version", {});
      return optional_integer(rows.front(), 0);
    } catch (const Error&) {
      return std::nullopt;  // no table yet; a real fault shows again in create_schema
    }
  }

  // Creates the tables unless they exist at this version. Checking first keeps the DDL (and its
  // table locks) out of the way of other processes' transactions on every later open.
  void create_schema() {
    const std::optional<int> existing = existing_schema_version();
    if (existing == kSchemaVersion) return;
    connection_->begin_write();
    try {
      connection_->lock_schema();
      for (const std::string& statement : schema_statements(*connection_))
        connection_->query(statement, {});
      const auto rows = connection_->query("SELECT MAX(version) FROM schema_version", {});
      const std::optional<int> found = optional_integer(rows.front(), 0);
      if (!found) {
        connection_->query("INSERT INTO schema_version (version) VALUES (?)",
                           {std::int64_t{kSchemaVersion}});
      } else if (*found > kSchemaVersion) {
        throw InputError(url_ + ": the registry's schema is version " + std::to_string(*found) +
                         ", newer than this playsight understands (" +
                         std::to_string(kSchemaVersion) + ")");
      }
      connection_->commit();
    } catch (...) {
      connection_->rollback();
      throw;
    }
  }

  std::unique_ptr<SqlConnection> connection_;
  std::string url_;
};

}  // namespace

std::unique_ptr<RegistryStore> make_sql_store(std::unique_ptr<SqlConnection> connection,
                                              const std::string& url) {
  return std::make_unique<SqlStore>(std::move(connection), url);
}

}  // namespace playsight::registry::detail
