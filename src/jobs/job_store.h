#pragma once
// The job records in a SQLite database (FOLDER/jobs.db, WAL mode), so that the runner, the
// service and `playsight jobs` in other processes see the same jobs, and a restart loses none.
// Each JobStore holds its own connection; it is not thread-safe (give each thread its own, or
// guard it). Writers wait up to 10 s for one another. Errors are playsight::Error naming the
// database. (Job records are in SQLite only; PostgreSQL, which the registry also speaks, is not
// supported for them yet.)
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobs/job_record.h"

namespace playsight::jobs {

class JobStore {
 public:
  // Opens (creating if missing) the database file and its table.
  explicit JobStore(const std::string& database_file);
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // Inserts a queued job; sets its id and returns it. `folder` is derived by the caller from it,
  // so it is written by set_folder() after.
  std::int64_t insert(JobRecord& record);
  // Writes every mutable field of the record (state, reason, times, exit code, ...).
  void update(const JobRecord& record);
  std::optional<JobRecord> find(std::int64_t id);
  // Every job, or the owner's, newest first.
  std::vector<JobRecord> list(const std::optional<std::string>& owner);
  // Queued and running jobs, oldest first.
  std::vector<JobRecord> unfinished();
  // Marks a cancel request (the runner acts on it); false if the job has finished.
  bool request_cancel(std::int64_t id, const std::string& by);
  // Records that its owner looked at it now (for idle culling).
  void touch(std::int64_t id, std::int64_t now_ms);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace playsight::jobs
