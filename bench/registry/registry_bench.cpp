// Deploys per second of the model registry, on SQLite or a real loopback PostgreSQL
// (tests/support/postgres_server), through the library (registry::ModelRegistry::deploy) or
// through the HTTP service (POST /v1/models/spend/aliases/production/deploy to a `playsight serve`
// child). Each run is a fresh registry with three versions of "spend"; the deploys cycle through
// versions 1, 2, 3, so each one moves the alias. Prints one line per backend and path:
//   RESULT <backend> <through> <median deploys/s> <runs...>
// --breakdown (library only) times, per deploy, the steps the service's deploy took before issue
// 18: open a registry, read the version, load the model, the deploy transaction.
//
// Only APIs that exist before and after issue 18 are used, so scripts/bench-registry can build
// this file against the unchanged tree too (the "before" figures).
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../../tests/support/free_port.h"
#include "../../tests/support/postgres_server.h"
#include "registry/registry.h"
#include "spend/models/artifact.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace registry = playsight::registry;

struct Flags {
  std::string backend = "sqlite";
  std::string through = "library";
  std::string playsight;
  std::string model_a, model_b;
  std::string work = "/tmp/playsight-registry-bench";
  int deploys = 200;
  int runs = 5;
  bool breakdown = false;
};

Flags parse(int argc, char** argv) {
  Flags flags;
  std::map<std::string, std::string*> texts = {
      {"--backend", &flags.backend},     {"--through", &flags.through},
      {"--playsight", &flags.playsight}, {"--model-a", &flags.model_a},
      {"--model-b", &flags.model_b},     {"--work", &flags.work}};
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--breakdown") {
      flags.breakdown = true;
    } else if (i + 1 >= argc) {
      throw std::runtime_error(name + ": expected a value");
    } else if (texts.count(name)) {
      *texts[name] = argv[++i];
    } else if (name == "--deploys" || name == "--runs") {
      (name == "--runs" ? flags.runs : flags.deploys) = std::stoi(argv[++i]);
    } else {
      throw std::runtime_error("unknown flag " + name);
    }
  }
  if (flags.model_a.empty() || flags.model_b.empty())
    throw std::runtime_error("--model-a and --model-b: two trained model folders are needed");
  return flags;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// A fresh registry: versions 1 (model a), 2 (model b), 3 (model a again), production at 1.
registry::RegistryOptions fresh_registry(const Flags& flags, int run) {
  const std::string folder = flags.work + "/run-" + std::to_string(run);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  registry::RegistryOptions options;
  options.url = flags.backend == "sqlite" ? "sqlite://" + folder + "/registry.db"
                                          : playsight::testing::new_postgres_database_url();
  options.store_folder = folder + "/store";
  registry::ModelRegistry registry(options);
  for (const std::string& model : {flags.model_a, flags.model_b, flags.model_a})
    registry.register_version({model, "spend", "", {"bench", ""}});
  registry.deploy("spend", 1, "production", {"bench", ""});
  return options;
}

double library_run(const Flags& flags, int run) {
  registry::ModelRegistry registry(fresh_registry(flags, run));
  const auto start = Clock::now();
  for (int k = 0; k < flags.deploys; ++k)
    registry.deploy("spend", 1 + (k + 1) % 3, "production", {"bench", ""});
  return flags.deploys / seconds_since(start);
}

// Median milliseconds per step of the pre-issue-18 service deploy, over one run's deploys.
void breakdown(const Flags& flags) {
  const registry::RegistryOptions options = fresh_registry(flags, 0);
  std::map<std::string, std::vector<double>> ms;
  const auto timed = [&](const std::string& step, const std::function<void()>& work) {
    const auto start = Clock::now();
    work();
    ms[step].push_back(seconds_since(start) * 1000);
  };
  for (int k = 0; k < flags.deploys; ++k) {
    const int version = 1 + (k + 1) % 3;
    std::unique_ptr<registry::ModelRegistry> registry;
    registry::ModelVersion target;
    timed("1 open registry",
          [&] { registry = std::make_unique<registry::ModelRegistry>(options); });
    timed("2 read version", [&] { target = registry->version("spend", std::to_string(version)); });
    timed("3 load model", [&] {
      playsight::spend::load_model_artifact(target.stored_folder, playsight::spend::ModelOptions{});
    });
    timed("4 deploy transaction", [&] {
      registry->deploy("spend", version, "production", {"bench", ""});
    });
  }
  for (const auto& [step, values] : ms)
    std::printf("STEP %s %s %.3f ms\n", flags.backend.c_str(), step.c_str(), median(values));
}

std::string command_output(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  std::array<char, 256> buffer{};
  while (std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), got);
  if (::pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

double service_run(const Flags& flags, int run) {
  const registry::RegistryOptions options = fresh_registry(flags, run);
  const std::string keys = flags.work + "/run-" + std::to_string(run) + "/keys.json";
  const std::string key = command_output(
      flags.playsight + " serve keys add bench --role deploy --keys " + keys + " 2>/dev/null");
  const int port = playsight::testing::free_tcp_port();
  const std::string log = flags.work + "/run-" + std::to_string(run) + "/serve.log";
  const pid_t server = ::fork();
  if (server == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    const std::string port_text = std::to_string(port);
    const std::string store = options.store_folder.string();
    ::execl(flags.playsight.c_str(), flags.playsight.c_str(), "serve", "--registry",
            options.url.c_str(), "--store", store.c_str(), "--keys", keys.c_str(), "--port",
            port_text.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  httplib::Client client("127.0.0.1", port);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(60);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  for (;;) {
    const auto ready = client.Get("/readyz");
    if (ready && ready->status == 200) break;
    if (Clock::now() > deadline) throw std::runtime_error("the service did not get ready: " + log);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const httplib::Headers headers = {{"Authorization", "Bearer " + key}};
  const auto start = Clock::now();
  for (int k = 0; k < flags.deploys; ++k) {
    const std::string body = "{\"version\": " + std::to_string(1 + (k + 1) % 3) + "}";
    const auto result = client.Post("/v1/models/spend/aliases/production/deploy", headers, body,
                                    "application/json");
    if (!result || result->status != 200)
      throw std::runtime_error("deploy " + std::to_string(k) + " failed: " +
                               (result ? result->body : httplib::to_string(result.error())));
  }
  const double rate = flags.deploys / seconds_since(start);
  ::kill(server, SIGTERM);
  ::waitpid(server, nullptr, 0);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Flags flags = parse(argc, argv);
    if (flags.breakdown) {
      breakdown(flags);
      return 0;
    }
    std::vector<double> rates;
    for (int run = 0; run < flags.runs; ++run)
      rates.push_back(flags.through == "service" ? service_run(flags, run)
                                                 : library_run(flags, run));
    std::printf("RESULT %s %s %.1f", flags.backend.c_str(), flags.through.c_str(), median(rates));
    for (double rate : rates) std::printf(" %.1f", rate);
    std::printf("\n");
    std::filesystem::remove_all(flags.work);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "registry_bench: %s\n", error.what());
    return 1;
  }
}
