// The PostgreSQL backend through libpq. Write transactions run at READ COMMITTED and serialise on
// row locks (SELECT ... FOR UPDATE on the models' rows, taken by the registry's SQL); reads run at
// REPEATABLE READ so that one read sees one snapshot. If the process dies mid-transaction the
// server rolls the transaction back when the connection drops. A failure that leaves the
// connection bad (PQstatus CONNECTION_BAD: the server stopped, restarted or went away) is a
// registry::UnavailableError; the connection is not reopened here (the store's owner opens a new
// one).
#include <libpq-fe.h>

#include <memory>

#include "core/error.h"
#include "registry/detail/sql_connection.h"
#include "registry/registry_store.h"

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

// The first line of a libpq message (its later lines are hints about the first), trimmed.
std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

// Parameters as libpq takes them: texts that live as long as this object.
class ParameterTexts {
 public:
  explicit ParameterTexts(const std::vector<SqlValue>& params)
      : texts_(params.size()), values_(params.size(), nullptr) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
        texts_[i] = std::to_string(*number);
        values_[i] = texts_[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        values_[i] = text->c_str();
      }
    }
  }
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> values_;
};

std::vector<SqlRow> rows_of(const PGresult* result) {
  std::vector<SqlRow> rows;
  const int count = PQntuples(result), columns = PQnfields(result);
  for (int r = 0; r < count; ++r) {
    SqlRow row;
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(PQgetvalue(result, r, c));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool succeeded(const PGresult* result) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// A deploy is two round trips: BEGIN, the lock and the reads go in one pipeline (libpq's pipeline
// mode: sent together, run one after the other by the server), the writes and COMMIT in another.
// BEGIN and the writes wait in pending_ until the next query or the commit.
class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(const std::string& url)
      : url_(url_for_messages(url)), connection_(connect(url)) {
    if (PQstatus(connection_) != CONNECTION_OK) {
      const std::string message = connection_ ? PQerrorMessage(connection_) : "out of memory";
      PQfinish(connection_);
      throw UnavailableError(url_, "cannot connect to PostgreSQL: " + first_line(message));
    }
    query("SET client_min_messages = warning", {});
  }
  ~PostgresConnection() override { PQfinish(connection_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    if (!pending_.empty()) return std::move(query_all({{sql, params}}).back());
    const std::string statement = number_parameters(sql);
    const ParameterTexts texts(params);
    Result result(PQexecParams(connection_, statement.c_str(), texts.count(), nullptr,
                               texts.values(), nullptr, nullptr, 0));
    if (!succeeded(result.get())) fail(PQerrorMessage(connection_), sql, false);
    return rows_of(result.get());
  }

  std::vector<std::vector<SqlRow>> query_all(const std::vector<SqlStatement>& statements) override {
    std::vector<Pending> batch = std::move(pending_);
    pending_.clear();
    unsent_begin_ = false;
    const std::size_t first = batch.size();
    for (const SqlStatement& statement : statements)
      batch.push_back({std::string(statement.sql), statement.params});
    std::vector<std::vector<SqlRow>> all = run_pipeline(batch);
    return {std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(first)),
            std::make_move_iterator(all.end())};
  }

  void execute_later(std::string_view sql, std::vector<SqlValue> params) override {
    pending_.push_back({std::string(sql), std::move(params)});
  }

  void begin_write() override { begin("BEGIN ISOLATION LEVEL READ COMMITTED"); }
  void begin_read() override { begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
  void commit() override {
    execute_later("COMMIT", {});
    query_all({});
  }
  void rollback() noexcept override {
    pending_.clear();
    if (unsent_begin_) {
      unsent_begin_ = false;  // the server never saw the transaction
      return;
    }
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
  struct Pending {
    std::string sql;
    std::vector<SqlValue> params;
  };

  void begin(const char* sql) {
    execute_later(sql, {});
    unsent_begin_ = true;
  }

  // Sends the statements in one pipeline and reads every result. Throws at the first failure
  // (the server skips the statements after it).
  std::vector<std::vector<SqlRow>> run_pipeline(const std::vector<Pending>& batch) {
    if (batch.empty()) return {};
    if (PQenterPipelineMode(connection_) != 1)
      fail(PQerrorMessage(connection_), batch.front().sql, false);
    bool sent = true;
    for (const Pending& statement : batch) {
      const std::string numbered = number_parameters(statement.sql);
      const ParameterTexts texts(statement.params);
      sent = sent && PQsendQueryParams(connection_, numbered.c_str(), texts.count(), nullptr,
                                       texts.values(), nullptr, nullptr, 0) == 1;
    }
    sent = sent && PQpipelineSync(connection_) == 1;
    std::vector<std::vector<SqlRow>> out;
    std::string failure;
    std::string_view failed_sql = batch.front().sql;
    for (std::size_t i = 0; sent && i < batch.size(); ++i) {
      Result result(PQgetResult(connection_));
      if (!result) break;  // the connection is gone
      if (succeeded(result.get())) {
        out.push_back(rows_of(result.get()));
      } else if (failure.empty() && PQresultStatus(result.get()) != PGRES_PIPELINE_ABORTED) {
        failure = PQresultErrorMessage(result.get());
        failed_sql = batch[i].sql;
      }
      while (PGresult* end_of_command = PQgetResult(connection_)) PQclear(end_of_command);
    }
    if (sent)
      if (PGresult* sync = PQgetResult(connection_)) PQclear(sync);
    PQexitPipelineMode(connection_);
    if (!sent && failure.empty()) failure = PQerrorMessage(connection_);
    if (out.size() == batch.size() && failure.empty()) return out;
    if (failure.empty()) failure = PQerrorMessage(connection_);
    fail(failure, failed_sql, batch.back().sql == "COMMIT");
  }

  [[noreturn]] void fail(const std::string& message, std::string_view sql, bool committing) {
    if (PQstatus(connection_) == CONNECTION_BAD)
      throw UnavailableError(
          url_,
          "connection lost: " + first_line(message) +
              (committing ? "; the change may or may not have been applied" : ""),
          committing);
    throw Error(url_ + ": " + trimmed(message) + " (in: " + std::string(sql.substr(0, 60)) + ")");
  }

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
  std::vector<Pending> pending_;
  bool unsent_begin_ = false;  // pending_ starts with a BEGIN not sent yet
};

}  // namespace

std::unique_ptr<SqlConnection> connect_postgres(const std::string& url) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace playsight::registry::detail
