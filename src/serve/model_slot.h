#pragma once
// A model slot: the loaded version of one (model, alias) that requests are served with. The
// loaded version is an immutable ModelSnapshot held by std::shared_ptr: a request takes the
// current snapshot once, at its start, and computes everything with it, so a swap in the middle
// of a request changes nothing for that request (it keeps the old snapshot alive until it ends),
// and no request ever sees half of one version and half of another. The next request gets the
// new snapshot. Thread-safe.
//
// Loading happens off the request path (live_models.h): the new snapshot is built completely
// (model files read, drift reference predicted) before swap() publishes it.
#include <memory>
#include <mutex>
#include <string>

#include "monitoring/drift.h"
#include "spend/models/artifact.h"

namespace playsight::serve {

struct ModelSnapshot {
  std::string model;  // registry names
  std::string alias;
  int version = 0;
  std::string content_hash;  // SHA-256 of the artifact folder (registry/content_hash.h)
  std::string model_spec;    // e.g. ensemble_model
  std::string loaded_at;     // YYYY-MM-DDTHH:MM:SSZ
  spend::ModelArtifact artifact;
  std::unique_ptr<monitoring::DriftMonitor> monitor;  // none without a reference table
};

class ModelSlot {
 public:
  ModelSlot(std::string model, std::string alias)
      : model_(std::move(model)), alias_(std::move(alias)) {}
  ModelSlot(const ModelSlot&) = delete;
  ModelSlot& operator=(const ModelSlot&) = delete;

  const std::string& model() const { return model_; }
  const std::string& alias() const { return alias_; }

  // The snapshot to serve with; null before the first successful load.
  std::shared_ptr<const ModelSnapshot> current() const {
    const std::lock_guard lock(mutex_);
    return current_;
  }
  // Publishes a fully loaded snapshot; requests that already hold the old one finish with it.
  void swap(std::shared_ptr<const ModelSnapshot> next) {
    std::shared_ptr<const ModelSnapshot> old;
    {
      const std::lock_guard lock(mutex_);
      old = std::move(current_);
      current_ = std::move(next);
    }
    // `old` is released here, outside the lock (freeing a model can take a moment).
  }

  // Held while a new version is read, loaded and swapped in, so that two updates (the watcher's
  // and a deploy's) cannot interleave and publish an older version after a newer one.
  std::mutex& update_mutex() { return update_mutex_; }

 private:
  std::string model_;
  std::string alias_;
  mutable std::mutex mutex_;
  std::shared_ptr<const ModelSnapshot> current_;
  std::mutex update_mutex_;
};

}  // namespace playsight::serve
