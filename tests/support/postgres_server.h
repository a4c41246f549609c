#pragma once
// A real, throwaway PostgreSQL server for the registry tests: a fresh folder under the temp dir
// holding a copy of a cluster made by initdb once per build folder, started on 127.0.0.1 at a free
// port (its socket in that folder too), stopped with `pg_ctl stop -m immediate` and removed when
// the test process ends. PostgreSQL refuses to run as root, so as root the server runs as the user
// `postgres` (through runuser) and owns its folder. When the server binaries (Debian package
// postgresql, /usr/lib/postgresql/*/bin) are missing or the server does not start,
// url_for_new_database throws: the PostgreSQL tests then fail, they do not skip.
#include <memory>
#include <string>

namespace playsight::testing {

class PostgresServer {
 public:
  PostgresServer();  // throws std::runtime_error saying what is missing or what failed
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Creates an empty database and returns its postgresql:// URL.
  std::string url_for_new_database();

  // A registry outage: stop() shuts the server down (pg_ctl stop -m fast: open connections are
  // ended) and returns when it is down; start() starts it again on the same port and data folder
  // and returns when it accepts connections. Both throw std::runtime_error on failure.
  void stop();
  void start();

 private:
  void run(const std::string& command) const;  // as the server's user; throws on failure
  void start_on(int port);
  void pg_ctl_stop(const char* mode) const noexcept;
  void copy_cluster_template();  // the data folder, copied from a cluster made once
  void give_to_server_user(const std::string& folder) const;  // chown to postgres when root

  std::string bin_folder_;
  std::string folder_;
  std::string run_as_;  // "runuser -u postgres -- " when root, else ""
  int port_ = 0;
  int databases_ = 0;
  bool started_ = false;
};

// Waits until the database of `url` has no session but this check's own, polling every 10 ms for
// up to 60 s; false then. After a client is killed, its server process still runs what the
// client had sent (a pipelined COMMIT, say) before it ends: a check that reads in several
// transactions must wait for that first, or it reads half before and half after that commit.
bool wait_until_no_other_session(const std::string& url);

// The one server of this test process, started at first use (so that SQLite-only test runs pay
// nothing) and stopped when the process exits. Forked children must leave with _exit.
std::string new_postgres_database_url();

}  // namespace playsight::testing
