#pragma once
// The models the service serves, kept at the versions their aliases point at in the registry.
// One ModelSlot (model_slot.h) per served (model, alias), e.g. spend/production.
//
// How a slot follows its alias:
//   - refresh() (at start, then every poll interval on the watcher thread, with the watcher's own
//     registry connection) reads where each alias points and, if that is not the loaded version,
//     loads the new version completely and then swaps it in. So a deploy made elsewhere (the CLI,
//     `playsight sync`, another replica) is served within one poll interval.
//   - deploy() through the service loads the new version first, then moves the alias in the
//     registry, then swaps: a version that cannot be loaded is refused and the alias stays; when
//     deploy() returns, every later request is served by the new version.
//   - rollback() moves the alias, then loads and swaps the version it moved to. If that load
//     fails, the old version keeps serving, the failure is in status(), and the watcher retries.
// Updates of one slot are serialised by its update mutex, so an older version is never swapped in
// after a newer one. A load that fails leaves the slot as it was and is recorded in status().
//
// Fast deploys: each slot keeps its last kWarmSnapshots served snapshots (the current one
// included) loaded, so a deploy or rollback to one of them is one registry write transaction and
// a swap; only a version not served lately is read and loaded first. (A warm snapshot keeps what
// its drift monitor observed while it was served before.) The API's registry operations (deploy,
// rollback, the registry reads of the routes) share one long-lived registry connection, used
// under a mutex, opened at first use and reopened after the registry was unavailable
// (registry::UnavailableError, which they pass on; a call that finds the kept connection closed
// is tried once more on a new one unless it may have committed). The watcher has its own.
//
// The drift monitor's reference (monitoring/drift.h) is the --reference feature table, read once at
// construction and sampled to at most reference_rows rows (every k-th row), from which each
// loaded version's feature bins and reference predictions are computed when it is loaded.
// Thread-safe; the destructor stops the watcher.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/table.h"
#include "monitoring/drift.h"
#include "registry/registry.h"
#include "serve/model_slot.h"

namespace playsight::serve {

struct LiveModelsOptions {
  registry::RegistryOptions registry;
  std::vector<std::pair<std::string, std::string>> served;  // (model, alias)
  std::chrono::milliseconds poll_interval{500};
  unsigned model_threads = 1;  // XGBoost threads per prediction
  std::string reference_file;  // feature table of the training population; "" = no monitoring
  std::size_t reference_rows = 20000;
  monitoring::DriftThresholds thresholds;
};

struct SlotStatus {
  std::string model;
  std::string alias;
  std::shared_ptr<const ModelSnapshot> snapshot;  // null: nothing loaded yet
  std::uint64_t swaps = 0;                        // versions swapped in since start
  std::uint64_t load_failures = 0;
  std::string last_error;  // of the last refresh or load; "" after a successful one
};

class LiveModels {
 public:
  // Reads the reference table (InputError naming it if it cannot be read). Loads nothing yet.
  explicit LiveModels(LiveModelsOptions options);
  ~LiveModels();
  LiveModels(const LiveModels&) = delete;
  LiveModels& operator=(const LiveModels&) = delete;

  // Brings every slot to its alias's version now. Never throws: failures go to status(). Uses the
  // watcher's connection: call it from one thread at a time, and not after start_watcher().
  void refresh();
  // Starts the watcher thread, which calls refresh() every poll interval until destruction.
  void start_watcher();

  // The slot of (model, alias), or null if the service does not serve it.
  ModelSlot* find(const std::string& model, const std::string& alias) const;
  // True when every slot has a loaded version.
  bool ready() const;
  std::vector<SlotStatus> status() const;
  const LiveModelsOptions& options() const { return options_; }

  // See the top of this file. Registry errors (unknown model, version or alias, nothing to roll
  // back to) are InputErrors; a version that cannot be loaded is an InputError naming it.
  registry::AliasMove deploy(const std::string& model, int version, const std::string& alias,
                             const registry::ChangeNote& note);
  registry::AliasMove rollback(const std::string& model, const std::string& alias,
                               const registry::ChangeNote& note);

  // work(registry) on the service's registry connection (see the top of this file); returns what
  // work returns. Holds the connection's mutex throughout: keep work to registry calls.
  template <typename Work>
  auto with_registry(Work work) const {
    const std::lock_guard lock(registry_mutex_);
    for (int attempt = 1;; ++attempt) {
      const bool reused = registry_ != nullptr;
      try {
        if (!registry_) registry_ = std::make_unique<registry::ModelRegistry>(options_.registry);
        return work(*registry_);
      } catch (const registry::UnavailableError& error) {
        registry_.reset();  // its connection is gone; a new one is opened
        // A connection that sat idle may have been closed by the server meanwhile (a restart, an
        // idle timeout): once, on a new connection, unless the change may have been applied.
        if (!reused || attempt > 1 || error.maybe_applied()) throw;
      }
    }
  }

  static constexpr std::size_t kWarmSnapshots = 3;

 private:
  struct SlotRecord {
    std::unique_ptr<ModelSlot> slot;
    std::uint64_t swaps = 0;
    std::uint64_t load_failures = 0;
    std::string last_error;
    // The last kWarmSnapshots snapshots swapped in, oldest first. Guarded by the update mutex.
    std::vector<std::shared_ptr<const ModelSnapshot>> warm;
  };

  std::shared_ptr<const ModelSnapshot> load(const registry::ModelVersion& version,
                                            const std::string& alias) const;
  // REQUIRES (these three): the slot's update mutex is held.
  void swap_in(SlotRecord& record, std::shared_ptr<const ModelSnapshot> snapshot);
  // A warm snapshot of the version (content_hash "" = any), or null.
  static std::shared_ptr<const ModelSnapshot> warm_snapshot(const SlotRecord& record, int version,
                                                            const std::string& content_hash);
  // The version's warm snapshot, else the version read from the registry and loaded.
  std::shared_ptr<const ModelSnapshot> snapshot_of(const SlotRecord& record, int version,
                                                   const std::string& content_hash);
  void refresh_slot(SlotRecord& record, registry::ModelRegistry& registry);
  void note_failure(SlotRecord& record, const std::string& error);
  SlotRecord* record_of(const std::string& model, const std::string& alias) const;
  void watch();

  LiveModelsOptions options_;
  std::optional<Table> reference_;
  std::vector<std::unique_ptr<SlotRecord>> records_;
  mutable std::mutex status_mutex_;  // guards the counters and errors of records_

  mutable std::mutex registry_mutex_;
  mutable std::unique_ptr<registry::ModelRegistry> registry_;  // with_registry's connection
  std::unique_ptr<registry::ModelRegistry> watcher_registry_;  // the watcher thread's only
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace playsight::serve
