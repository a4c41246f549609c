// The PostgreSQL backend through libpq. Write transactions run at READ COMMITTED and serialise on
// row locks (SELECT ... FOR UPDATE on the models' rows, taken by the registry's SQL); reads run at
// REPEATABLE READ so that one read sees one snapshot. If the process dies mid-transaction the
// server rolls the transaction back when the connection drops.
#include <libpq-fe.h>

#include <memory>

#include "core/error.h"
#include "registry/detail/sql_connection.h"

namespace playsight::registry::detail {
namespace {

// Any fixed number: the key of the advisory lock that serialises schema creation.
constexpr long long kSchemaLockKey = 7013021;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// '?' -> $1, $2, ... ('?' never appears inside the registry's string literals).
std::string number_parameters(std::string_view sql) {
  std::string out;
  int next = 1;
  for (char c : sql) {
    if (c == '?') {
      out += '$' + std::to_string(next++);
    } else {
      out += c;
    }
  }
  return out;
}

// The URL without a password, for messages.
std::string url_for_messages(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  const std::size_t at = url.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos) return url;
  const std::size_t colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(const std::string& url)
      : url_(url_for_messages(url)), connection_(connect(url)) {
    if (PQstatus(connection_) != CONNECTION_OK) {
      const std::string message = connection_ ? PQerrorMessage(connection_) : "out of memory";
      PQfinish(connection_);
      throw InputError(url_ + ": cannot connect to PostgreSQL: " + trimmed(message));
    }
    query("SET client_min_messages = warning", {});
  }
  ~PostgresConnection() override { PQfinish(connection_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
        texts[i] = std::to_string(*number);
        values[i] = texts[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        values[i] = text->c_str();
      }
    }
    const std::string statement = number_parameters(sql);
    Result result(PQexecParams(connection_, statement.c_str(), static_cast<int>(params.size()),
                               nullptr, values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw Error(url_ + ": " + trimmed(PQerrorMessage(connection_)) +
                  " (in: " + std::string(sql.substr(0, 60)) + ")");
    }
    std::vector<SqlRow> rows;
    const int count = PQntuples(result.get()), columns = PQnfields(result.get());
    for (int r = 0; r < count; ++r) {
      SqlRow row;
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result.get(), r, c)) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(PQgetvalue(result.get(), r, c));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void begin_write() override { query("BEGIN ISOLATION LEVEL READ COMMITTED", {}); }
  void begin_read() override { query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}); }
  void commit() override { query("COMMIT", {}); }
  void rollback() noexcept override {
    if (PGresult* result = PQexec(connection_, "ROLLBACK")) PQclear(result);
  }

  std::string_view lock_rows_clause() const override { return " FOR UPDATE"; }
  std::string_view audit_id_column() const override {
    return "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
  }
  void lock_schema() override {
    query("SELECT pg_advisory_xact_lock(?)", {SqlValue{std::int64_t{kSchemaLockKey}}});
  }

 private:
  // Gives up on an unreachable server after 10 s unless the URL sets its own connect_timeout (the
  // URL, expanded after it, overrides it).
  static PGconn* connect(const std::string& url) {
    const char* keywords[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {"10", url.c_str(), nullptr};
    return PQconnectdbParams(keywords, values, 1);
  }

  static std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  std::string url_;
  PGconn* connection_;
};

}  // namespace

std::unique_ptr<SqlConnection> connect_postgres(const std::string& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace playsight::registry::detail
