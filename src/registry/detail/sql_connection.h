#pragma once
// What the registry needs from a SQL database, so that the registry's SQL is written once
// (sql_store.cpp) and each backend only connects and runs statements: SQLite
// (sqlite_connection.cpp) and PostgreSQL (postgres_connection.cpp).
//
// Statements use '?' for parameters (the PostgreSQL backend numbers them $1, $2, ...). Results
// come back as text, NULL as nullopt. Failures throw playsight::Error naming the database and the
// database's own message; a lost or impossible connection throws registry::UnavailableError.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace playsight::registry::detail {

using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;  // monostate = NULL
using SqlRow = std::vector<std::optional<std::string>>;

struct SqlStatement {
  std::string_view sql;
  std::vector<SqlValue> params;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  virtual std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs the statements in order, each one after the one before has finished (so a statement
  // after a row lock sees what the lock's holder committed), and returns each one's rows. A
  // networked backend sends them together, in one round trip. A failure throws and runs none of
  // the statements after it.
  virtual std::vector<std::vector<SqlRow>> query_all(const std::vector<SqlStatement>& statements);
  // A statement whose result is not needed, in the current transaction: a networked backend sends
  // it with the next query or the commit (one round trip for all of them), so its failure may
  // show there instead.
  virtual void execute_later(std::string_view sql, std::vector<SqlValue> params) {
    query(sql, params);
  }
  // A transaction that will write: it excludes other writers as the backend can (see
  // registry_store.h). Then commit() or rollback().
  virtual void begin_write() = 0;
  virtual void begin_read() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;

  // SQL that differs between the backends.
  virtual std::string_view lock_rows_clause() const = 0;  // " FOR UPDATE" or ""
  virtual std::string_view audit_id_column() const = 0;   // an auto-increasing primary key
  virtual void lock_schema() = 0;  // inside begin_write(): excludes concurrent schema creation
};

std::unique_ptr<SqlConnection> connect_sqlite(const std::string& path, const std::string& url);
std::unique_ptr<SqlConnection> connect_postgres(const std::string& url);

}  // namespace playsight::registry::detail
