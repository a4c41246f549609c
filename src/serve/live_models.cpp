#include "serve/live_models.h"

#include <chrono>

#include "core/error.h"
#include "core/time.h"
#include "spend/models/feature_matrix.h"

namespace playsight::serve {
namespace {

// Every k-th row of the table, so that at most `rows` remain.
Table sample_rows(Table table, std::size_t rows) {
  if (rows == 0 || table.rows() <= rows) return table;
  const std::size_t step = (table.rows() + rows - 1) / rows;
  Table out;
  out.key_name = table.key_name;
  out.column_names = table.column_names;
  out.columns.resize(table.columns.size());
  for (std::size_t r = 0; r < table.rows(); r += step) {
    out.keys.push_back(table.keys[r]);
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      out.columns[c].push_back(table.columns[c][r]);
  }
  return out;
}

}  // namespace

LiveModels::LiveModels(LiveModelsOptions options) : options_(std::move(options)) {
  if (!options_.reference_file.empty())
    reference_ = sample_rows(read_table_csv(options_.reference_file), options_.reference_rows);
  for (const auto& [model, alias] : options_.served) {
    if (find(model, alias)) continue;
    auto record = std::make_unique<SlotRecord>();
    record->slot = std::make_unique<ModelSlot>(model, alias);
    records_.push_back(std::move(record));
  }
}

LiveModels::~LiveModels() {
  {
    const std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

LiveModels::SlotRecord* LiveModels::record_of(const std::string& model,
                                              const std::string& alias) const {
  for (const auto& record : records_)
    if (record->slot->model() == model && record->slot->alias() == alias) return record.get();
  return nullptr;
}

ModelSlot* LiveModels::find(const std::string& model, const std::string& alias) const {
  SlotRecord* record = record_of(model, alias);
  return record ? record->slot.get() : nullptr;
}

bool LiveModels::ready() const {
  for (const auto& record : records_)
    if (!record->slot->current()) return false;
  return !records_.empty();
}

std::vector<SlotStatus> LiveModels::status() const {
  const std::lock_guard lock(status_mutex_);
  std::vector<SlotStatus> out;
  for (const auto& record : records_)
    out.push_back({record->slot->model(), record->slot->alias(), record->slot->current(),
                   record->swaps, record->load_failures, record->last_error});
  return out;
}

std::shared_ptr<const ModelSnapshot> LiveModels::load(const registry::ModelVersion& version,
                                                      const std::string& alias) const {
  auto snapshot = std::make_shared<ModelSnapshot>();
  snapshot->model = version.model;
  snapshot->alias = alias;
  snapshot->version = version.version;
  snapshot->content_hash = version.content_hash;
  snapshot->model_spec = version.model_spec;
  spend::ModelOptions model_options;
  model_options.threads = options_.model_threads;
  try {
    snapshot->artifact = spend::load_model_artifact(version.stored_folder, model_options);
  } catch (const InputError& error) {
    throw InputError(version.model + " version " + std::to_string(version.version) +
                     " cannot be loaded: " + error.what());
  }
  if (reference_) {
    const spend::FeatureMatrix x(*reference_, snapshot->artifact.features);
    const spend::SpendPrediction predicted = snapshot->artifact.model->predict(x);
    snapshot->monitor = std::make_unique<monitoring::DriftMonitor>(
        snapshot->artifact.features, *reference_, predicted.amount, snapshot->artifact.label,
        options_.thresholds);
  }
  snapshot->loaded_at = utc_now_iso();
  return snapshot;
}

void LiveModels::swap_in(SlotRecord& record, std::shared_ptr<const ModelSnapshot> snapshot) {
  std::erase_if(record.warm, [&](const auto& warm) { return warm->version == snapshot->version; });
  record.warm.push_back(snapshot);
  if (record.warm.size() > kWarmSnapshots) record.warm.erase(record.warm.begin());
  record.slot->swap(std::move(snapshot));
  const std::lock_guard lock(status_mutex_);
  ++record.swaps;
  record.last_error.clear();
}

std::shared_ptr<const ModelSnapshot> LiveModels::warm_snapshot(const SlotRecord& record,
                                                               int version,
                                                               const std::string& content_hash) {
  for (const auto& warm : record.warm)
    if (warm->version == version && (content_hash.empty() || warm->content_hash == content_hash))
      return warm;
  return nullptr;
}

std::shared_ptr<const ModelSnapshot> LiveModels::snapshot_of(const SlotRecord& record, int version,
                                                             const std::string& content_hash) {
  if (auto warm = warm_snapshot(record, version, content_hash)) return warm;
  const registry::ModelVersion target = with_registry([&](registry::ModelRegistry& registry) {
    return registry.version(record.slot->model(), std::to_string(version));
  });
  return load(target, record.slot->alias());
}

void LiveModels::note_failure(SlotRecord& record, const std::string& error) {
  const std::lock_guard lock(status_mutex_);
  ++record.load_failures;
  record.last_error = error;
}

void LiveModels::refresh_slot(SlotRecord& record, registry::ModelRegistry& registry) {
  ModelSlot& slot = *record.slot;
  const std::lock_guard update(slot.update_mutex());
  const registry::ModelVersion version = registry.version(slot.model(), slot.alias());
  const auto current = slot.current();
  if (current && current->version == version.version &&
      current->content_hash == version.content_hash) {
    const std::lock_guard lock(status_mutex_);
    record.last_error.clear();
    return;
  }
  auto next = warm_snapshot(record, version.version, version.content_hash);
  swap_in(record, next ? std::move(next) : load(version, slot.alias()));
}

void LiveModels::refresh() {
  try {
    if (!watcher_registry_)
      watcher_registry_ = std::make_unique<registry::ModelRegistry>(options_.registry);
  } catch (const std::exception& error) {
    for (auto& record : records_) note_failure(*record, error.what());
    return;
  }
  for (auto& record : records_) {
    try {
      refresh_slot(*record, *watcher_registry_);
    } catch (const InputError& error) {
      note_failure(*record, error.what());
    } catch (const std::exception& error) {
      // A lost connection: open a new one at the next refresh.
      note_failure(*record, error.what());
      watcher_registry_.reset();
      return;
    }
  }
}

void LiveModels::start_watcher() {
  if (watcher_.joinable()) return;
  watcher_ = std::thread([this] { watch(); });
}

void LiveModels::watch() {
  std::unique_lock lock(stop_mutex_);
  while (!stopping_) {
    if (stop_signal_.wait_for(lock, options_.poll_interval, [this] { return stopping_; })) break;
    lock.unlock();
    refresh();
    lock.lock();
  }
}

registry::AliasMove LiveModels::deploy(const std::string& model, int version,
                                       const std::string& alias, const registry::ChangeNote& note) {
  const auto move_alias = [&](registry::ModelRegistry& registry) {
    return registry.deploy(model, version, alias, note);
  };
  SlotRecord* record = record_of(model, alias);
  if (!record) return with_registry(move_alias);
  const std::lock_guard update(record->slot->update_mutex());
  // Loaded (or warm) before the alias moves, so that a version that cannot be loaded is refused.
  std::shared_ptr<const ModelSnapshot> next = snapshot_of(*record, version, "");
  const registry::AliasMove move = with_registry(move_alias);
  if (next->content_hash != move.to_content_hash) {
    // The warm copy is not what the registry now holds under that number (the registry was
    // replaced under the service): load what it holds; if that fails, as after a rollback.
    try {
      next = snapshot_of(*record, version, move.to_content_hash);
    } catch (const std::exception& error) {
      note_failure(*record, error.what());
      return move;
    }
  }
  if (next != record->slot->current()) swap_in(*record, std::move(next));
  return move;
}

registry::AliasMove LiveModels::rollback(const std::string& model, const std::string& alias,
                                         const registry::ChangeNote& note) {
  const auto move_alias = [&](registry::ModelRegistry& registry) {
    return registry.rollback(model, alias, note);
  };
  SlotRecord* record = record_of(model, alias);
  if (!record) return with_registry(move_alias);
  const std::lock_guard update(record->slot->update_mutex());
  const registry::AliasMove move = with_registry(move_alias);
  try {
    auto next = snapshot_of(*record, move.to_version, move.to_content_hash);
    if (next != record->slot->current()) swap_in(*record, std::move(next));
  } catch (const std::exception& error) {
    note_failure(*record, error.what());
  }
  return move;
}

}  // namespace playsight::serve
