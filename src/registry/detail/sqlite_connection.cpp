// The SQLite backend: one connection in WAL mode with foreign keys on. Writers take the database's
// write lock at BEGIN IMMEDIATE and wait for it up to the busy timeout, so two processes deploying
// at once run one after the other instead of failing or interleaving.
#include <sqlite3.h>

#include <filesystem>

#include "core/error.h"
#include "registry/detail/sql_connection.h"

namespace playsight::registry::detail {
namespace {

constexpr int kBusyTimeoutMilliseconds = 30000;

// A prepared statement, finalised when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* database, std::string_view sql) {
    if (sqlite3_prepare_v2(database, sql.data(), static_cast<int>(sql.size()), &statement_,
                           nullptr) != SQLITE_OK)
      statement_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(const std::string& path, const std::string& url) : url_(url) {
    std::error_code error;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, error);
    if (error)
      throw InputError(url + ": cannot create the folder " + parent.string() + ": " +
                       error.message());
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path.c_str(), &database_, flags, nullptr) != SQLITE_OK) {
      const std::string message = database_ ? sqlite3_errmsg(database_) : "out of memory";
      sqlite3_close(database_);
      throw InputError(url + ": cannot open the SQLite database: " + message);
    }
    sqlite3_busy_timeout(database_, kBusyTimeoutMilliseconds);
    execute("PRAGMA foreign_keys = ON");
    query("PRAGMA journal_mode = WAL", {});
    // In WAL mode a commit appends to the WAL; FULL syncs the WAL once per commit and nothing else
    // (checkpoints sync the database file now and then), so a deploy costs one fsync. NORMAL
    // would skip it: still never corrupt and nothing lost when the process is killed (the OS has
    // the pages), but a power cut or kernel crash could undo the last deploys that had already been
    // answered "done", and the alias would go back to a version nobody deployed last. A deploy is
    // a person's action, a few a day, so the one fsync is worth keeping.
    execute("PRAGMA synchronous = FULL");
  }
  ~SqliteConnection() override { sqlite3_close(database_); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override {
    Statement statement(database_, sql);
    if (!statement.get()) fail(sql);
    for (std::size_t i = 0; i < params.size(); ++i)
      bind(statement.get(), static_cast<int>(i + 1), params[i]);
    std::vector<SqlRow> rows;
    for (;;) {
      const int status = sqlite3_step(statement.get());
      if (status == SQLITE_DONE) break;
      if (status != SQLITE_ROW) fail(sql);
      SqlRow row;
      const int columns = sqlite3_column_count(statement.get());
      for (int c = 0; c < columns; ++c) {
        const unsigned char* text = sqlite3_column_text(statement.get(), c);
        if (text) {
          row.emplace_back(reinterpret_cast<const char*>(text));
        } else {
          row.emplace_back(std::nullopt);
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void begin_write() override { execute("BEGIN IMMEDIATE"); }
  void begin_read() override { execute("BEGIN"); }
  void commit() override { execute("COMMIT"); }
  void rollback() noexcept override {
    sqlite3_exec(database_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  std::string_view lock_rows_clause() const override { return ""; }  // the whole file is locked
  std::string_view audit_id_column() const override { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }
  void lock_schema() override {}  // BEGIN IMMEDIATE already excludes other writers

 private:
  void execute(std::string_view sql) { query(sql, {}); }

  void bind(sqlite3_stmt* statement, int index, const SqlValue& value) {
    int status = SQLITE_OK;
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
      status = sqlite3_bind_int64(statement, index, *number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      status = sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                                 SQLITE_TRANSIENT);
    } else {
      status = sqlite3_bind_null(statement, index);
    }
    if (status != SQLITE_OK)
      throw Error(url_ + ": cannot bind a parameter: " + sqlite3_errmsg(database_));
  }

  [[noreturn]] void fail(std::string_view sql) {
    throw Error(url_ + ": " + sqlite3_errmsg(database_) +
                " (in: " + std::string(sql.substr(0, 60)) + ")");
  }

  std::string url_;
  sqlite3* database_ = nullptr;
};

}  // namespace

std::unique_ptr<SqlConnection> connect_sqlite(const std::string& path, const std::string& url) {
  return std::make_unique<SqliteConnection>(path, url);
}

}  // namespace playsight::registry::detail
