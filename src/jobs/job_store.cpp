#include "jobs/job_store.h"

#include <sqlite3.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <variant>

#include "core/error.h"

namespace playsight::jobs {
namespace {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

constexpr const char* kColumns =
    "id, owner, task, command, memory_bytes, cpu_share, wall_ms, processes, interactive, idle_ms, "
    "state, reason, submitted_at, started_at, finished_at, exit_code, isolation, folder, "
    "last_seen_ms, cancel_requested, cancelled_by, pid, supervisor_pid";

}  // namespace

std::string state_name(JobState state) {
  switch (state) {
    case JobState::queued:
      return "queued";
    case JobState::running:
      return "running";
    case JobState::succeeded:
      return "succeeded";
    case JobState::failed:
      return "failed";
    case JobState::killed:
      break;
  }
  return "killed";
}

JobState parse_state(const std::string& name) {
  for (const JobState state : {JobState::queued, JobState::running, JobState::succeeded,
                               JobState::failed, JobState::killed})
    if (state_name(state) == name) return state;
  throw Error("unknown job state " + quote_for_message(name) + " in the jobs database");
}

struct JobStore::Impl {
  std::string file;
  sqlite3* database = nullptr;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(file + ": " + what + ": " + sqlite3_errmsg(database));
  }

  // Runs one statement; calls on_row for each result row.
  void run(const std::string& sql, const std::vector<Value>& params,
           const std::function<void(sqlite3_stmt*)>& on_row = {}) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(database, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      fail("cannot prepare a statement");
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owner(statement, sqlite3_finalize);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& value = params[i];
      if (const auto* number = std::get_if<std::int64_t>(&value))
        sqlite3_bind_int64(statement, index, *number);
      else if (const auto* real = std::get_if<double>(&value))
        sqlite3_bind_double(statement, index, *real);
      else if (const auto* text = std::get_if<std::string>(&value))
        sqlite3_bind_text(statement, index, text->c_str(), static_cast<int>(text->size()),
                          SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(statement, index);
    }
    for (;;) {
      const int status = sqlite3_step(statement);
      if (status == SQLITE_DONE) break;
      if (status != SQLITE_ROW) fail("cannot run a statement");
      if (on_row) on_row(statement);
    }
  }

  static std::string text(sqlite3_stmt* statement, int column) {
    const unsigned char* value = sqlite3_column_text(statement, column);
    return value ? reinterpret_cast<const char*>(value) : "";
  }

  static JobRecord record_of(sqlite3_stmt* row) {
    JobRecord record;
    record.id = sqlite3_column_int64(row, 0);
    record.owner = text(row, 1);
    record.task = text(row, 2);
    record.command = nlohmann::json::parse(text(row, 3)).get<std::vector<std::string>>();
    record.limits.memory_bytes = static_cast<std::uint64_t>(sqlite3_column_int64(row, 4));
    record.limits.cpu_share = sqlite3_column_double(row, 5);
    record.limits.wall_ms = sqlite3_column_int64(row, 6);
    record.limits.processes = sqlite3_column_int(row, 7);
    record.interactive = sqlite3_column_int(row, 8) != 0;
    record.idle_ms = sqlite3_column_int64(row, 9);
    record.state = parse_state(text(row, 10));
    record.reason = text(row, 11);
    record.submitted_at = text(row, 12);
    record.started_at = text(row, 13);
    record.finished_at = text(row, 14);
    if (sqlite3_column_type(row, 15) != SQLITE_NULL) record.exit_code = sqlite3_column_int(row, 15);
    record.isolation = text(row, 16);
    record.folder = text(row, 17);
    record.last_seen_ms = sqlite3_column_int64(row, 18);
    record.cancel_requested = sqlite3_column_int(row, 19) != 0;
    record.cancelled_by = text(row, 20);
    record.pid = sqlite3_column_int(row, 21);
    record.supervisor_pid = sqlite3_column_int(row, 22);
    return record;
  }

  std::vector<JobRecord> select(const std::string& where, const std::vector<Value>& params) {
    std::vector<JobRecord> out;
    run(std::string("SELECT ") + kColumns + " FROM jobs " + where, params,
        [&](sqlite3_stmt* row) { out.push_back(record_of(row)); });
    return out;
  }
};

JobStore::JobStore(const std::string& database_file) : impl_(std::make_unique<Impl>()) {
  impl_->file = database_file;
  if (sqlite3_open_v2(database_file.c_str(), &impl_->database,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string message = impl_->database ? sqlite3_errmsg(impl_->database) : "no memory";
    sqlite3_close(impl_->database);
    throw Error("cannot open the jobs database " + database_file + ": " + message);
  }
  sqlite3_busy_timeout(impl_->database, 10000);
  impl_->run("PRAGMA journal_mode=WAL", {}, [](sqlite3_stmt*) {});
  impl_->run(
      "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, "
      "task TEXT NOT NULL, command TEXT NOT NULL, memory_bytes INTEGER NOT NULL, cpu_share REAL "
      "NOT NULL, wall_ms INTEGER NOT NULL, processes INTEGER NOT NULL, interactive INTEGER NOT "
      "NULL, idle_ms INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL, submitted_at "
      "TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL, exit_code INTEGER, "
      "isolation TEXT NOT NULL, folder TEXT NOT NULL, last_seen_ms INTEGER NOT NULL, "
      "cancel_requested INTEGER NOT NULL, cancelled_by TEXT NOT NULL, pid INTEGER NOT NULL "
      "DEFAULT 0, supervisor_pid INTEGER NOT NULL DEFAULT 0)",
      {});
}

JobStore::~JobStore() {
  sqlite3_close(impl_->database);
}

std::int64_t JobStore::insert(JobRecord& record) {
  impl_->run(
      "INSERT INTO jobs (owner, task, command, memory_bytes, cpu_share, wall_ms, processes, "
      "interactive, idle_ms, state, reason, submitted_at, started_at, finished_at, isolation, "
      "folder, last_seen_ms, cancel_requested, cancelled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, '', '', '', ?, ?, 0, '')",
      {record.owner, record.task, nlohmann::json(record.command).dump(),
       static_cast<std::int64_t>(record.limits.memory_bytes), record.limits.cpu_share,
       record.limits.wall_ms, std::int64_t{record.limits.processes},
       std::int64_t{record.interactive}, record.idle_ms, state_name(record.state), record.reason,
       record.submitted_at, record.folder, record.last_seen_ms});
  record.id = sqlite3_last_insert_rowid(impl_->database);
  return record.id;
}

void JobStore::update(const JobRecord& record) {
  impl_->run(
      "UPDATE jobs SET state = ?, reason = ?, started_at = ?, finished_at = ?, exit_code = ?, "
      "isolation = ?, folder = ?, pid = ?, supervisor_pid = ? WHERE id = ?",
      {state_name(record.state), record.reason, record.started_at, record.finished_at,
       record.exit_code ? Value(std::int64_t{*record.exit_code}) : Value(), record.isolation,
       record.folder, std::int64_t{record.pid}, std::int64_t{record.supervisor_pid}, record.id});
}

std::optional<JobRecord> JobStore::find(std::int64_t id) {
  std::vector<JobRecord> found = impl_->select("WHERE id = ?", {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<JobRecord> JobStore::list(const std::optional<std::string>& owner) {
  if (owner) return impl_->select("WHERE owner = ? ORDER BY id DESC", {*owner});
  return impl_->select("ORDER BY id DESC", {});
}

std::vector<JobRecord> JobStore::unfinished() {
  return impl_->select("WHERE state IN ('queued', 'running') ORDER BY id", {});
}

bool JobStore::request_cancel(std::int64_t id, const std::string& by) {
  impl_->run(
      "UPDATE jobs SET cancel_requested = 1, cancelled_by = ? WHERE id = ? AND state IN "
      "('queued', 'running')",
      {by, id});
  return sqlite3_changes(impl_->database) > 0;
}

void JobStore::touch(std::int64_t id, std::int64_t now_ms) {
  impl_->run("UPDATE jobs SET last_seen_ms = ? WHERE id = ?", {now_ms, id});
}

}  // namespace playsight::jobs
