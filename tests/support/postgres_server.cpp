#include "postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace playsight::testing {
namespace {

// The newest /usr/lib/postgresql/<major>/bin that has initdb and pg_ctl.
std::string find_bin_folder() {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const auto bin = entry.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && std::filesystem::exists(bin / "pg_ctl"))
      found.push_back(bin);
  }
  if (found.empty())
    throw std::runtime_error(
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); scripts/setup "
        "installs the Debian package postgresql");
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::stoi(a.parent_path().filename().string()) <
           std::stoi(b.parent_path().filename().string());
  });
  return found.back().string();
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("cannot find a free TCP port on 127.0.0.1");
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string tail_of_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > 1500 ? all.substr(all.size() - 1500) : all;
}

}  // namespace

PostgresServer::PostgresServer() : bin_folder_(find_bin_folder()) {
  char pattern[] = "/tmp/playsight-pg-XXXXXX";
  if (!::mkdtemp(pattern)) throw std::runtime_error("cannot create a folder for PostgreSQL");
  folder_ = pattern;
  give_to_server_user(folder_);
  if (::geteuid() == 0) run_as_ = "runuser -u postgres -- ";
  copy_cluster_template();
  for (int attempt = 0; attempt < 3 && !started_; ++attempt) {
    try {
      start_on(free_port());
    } catch (const std::runtime_error&) {
      if (attempt == 2) throw;
    }
  }
}

// initdb takes seconds (more on a loaded machine) and every PostgreSQL test runs in a process of
// its own, so the cluster is made once per build folder and per PostgreSQL version (under a file
// lock, as CTest runs tests in parallel) and each server starts from a copy of it.
void PostgresServer::copy_cluster_template() {
  const std::string version = std::filesystem::path(bin_folder_).parent_path().filename().string();
#ifdef PLAYSIGHT_BINARY
  const std::filesystem::path base =
      std::filesystem::path(PLAYSIGHT_BINARY).parent_path() / "test-data";
#else
  const std::filesystem::path base = std::filesystem::temp_directory_path();
#endif
  const std::filesystem::path cluster = base / ("postgres-" + version + "-cluster");
  std::filesystem::create_directories(base);
  const std::string lock_path = cluster.string() + ".lock";
  const int lock = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
  if (lock < 0 || ::flock(lock, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lock_path);
  try {
    if (!std::filesystem::exists(cluster / "ready")) {
      std::filesystem::remove_all(cluster);
      std::filesystem::create_directories(cluster);
      give_to_server_user(cluster.string());
      run(bin_folder_ + "/initdb -D " + cluster.string() +
          "/data -A trust -U playsight -E UTF8 --no-sync > " + folder_ + "/initdb.log 2>&1");
      std::ofstream(cluster / "ready") << version << "\n";
    }
  } catch (...) {
    ::close(lock);
    throw;
  }
  ::close(lock);
  // cp -a keeps the owner (the server's user) and the data folder's mode 0700.
  run("cp -a " + cluster.string() + "/data " + folder_ + "/data");
}

void PostgresServer::give_to_server_user(const std::string& folder) const {
  if (::geteuid() != 0) return;
  const passwd* user = ::getpwnam("postgres");
  if (!user)
    throw std::runtime_error("running as root and there is no user 'postgres' to run the server");
  if (::chown(folder.c_str(), user->pw_uid, user->pw_gid) != 0)
    throw std::runtime_error("cannot give " + folder + " to the user postgres");
}

PostgresServer::~PostgresServer() {
  if (started_) pg_ctl_stop("immediate");
  std::error_code error;
  std::filesystem::remove_all(folder_, error);
}

void PostgresServer::start_on(int port) {
  port_ = port;
  try {
    run(bin_folder_ + "/pg_ctl -D " + folder_ + "/data -l " + folder_ + "/server.log -w -t 60" +
        " -o \"-p " + std::to_string(port_) + " -k " + folder_ +
        " -c listen_addresses=127.0.0.1 -c fsync=off\" start > /dev/null 2>&1");
  } catch (const std::runtime_error&) {
    throw std::runtime_error("PostgreSQL did not start on port " + std::to_string(port_) +
                             "; its log:\n" + tail_of_file(folder_ + "/server.log"));
  }
  started_ = true;
}

void PostgresServer::pg_ctl_stop(const char* mode) const noexcept {
  const std::string stop = "cd " + folder_ + " && " + run_as_ + bin_folder_ + "/pg_ctl -D " +
                           folder_ + "/data -m " + mode + " -w -t 60 stop > /dev/null 2>&1";
  [[maybe_unused]] const int ignored = std::system(stop.c_str());
}

void PostgresServer::stop() {
  if (!started_) throw std::runtime_error("PostgreSQL is not running");
  run(bin_folder_ + "/pg_ctl -D " + folder_ + "/data -m fast -w -t 60 stop > /dev/null 2>&1");
  started_ = false;
}

void PostgresServer::start() {
  if (started_) throw std::runtime_error("PostgreSQL is already running");
  start_on(port_);
}

void PostgresServer::run(const std::string& command) const {
  // From the server's folder: the server's user may not be allowed into the current one.
  const int status = std::system(("cd " + folder_ + " && " + run_as_ + command).c_str());
  if (status != 0) throw std::runtime_error("failed (" + std::to_string(status) + "): " + command);
}

std::string PostgresServer::url_for_new_database() {
  const std::string server = "postgresql://playsight@127.0.0.1:" + std::to_string(port_);
  const std::string name = "registry_test_" + std::to_string(++databases_);
  PGconn* connection = PQconnectdb((server + "/postgres").c_str());
  std::string failure;
  if (PQstatus(connection) != CONNECTION_OK) {
    failure = PQerrorMessage(connection);
  } else {
    PGresult* result = PQexec(connection, ("CREATE DATABASE " + name).c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) failure = PQerrorMessage(connection);
    PQclear(result);
  }
  PQfinish(connection);
  if (!failure.empty()) throw std::runtime_error("cannot create a test database: " + failure);
  return server + "/" + name;
}

bool wait_until_no_other_session(const std::string& url) {
  PGconn* connection = PQconnectdb(url.c_str());
  bool alone = false;
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       PQstatus(connection) == CONNECTION_OK && !alone &&
       std::chrono::steady_clock::now() < deadline;) {
    PGresult* result = PQexec(connection,
                              "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                              "current_database() AND pid <> pg_backend_pid()");
    alone =
        PQresultStatus(result) == PGRES_TUPLES_OK && std::string(PQgetvalue(result, 0, 0)) == "0";
    PQclear(result);
    if (!alone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  PQfinish(connection);
  return alone;
}

std::string new_postgres_database_url() {
  static std::unique_ptr<PostgresServer> server;
  static std::string startup_failure;
  if (!server && startup_failure.empty()) {
    try {
      server = std::make_unique<PostgresServer>();
    } catch (const std::exception& error) {
      startup_failure = error.what();
    }
  }
  if (!server) throw std::runtime_error("no PostgreSQL server for the tests: " + startup_failure);
  return server->url_for_new_database();
}

}  // namespace playsight::testing
