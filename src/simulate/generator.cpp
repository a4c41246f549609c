#include "simulate/generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "gamelog/schema.h"
#include "playsight/version.h"
#include "simulate/detail/simulation.h"
#include "simulate/detail/world.h"

namespace playsight::simulate {

using namespace gamelog;  // the schema of the files written
namespace {

namespace fs = std::filesystem;
using detail::BlockOutput;
using detail::kOutputFileCount;
using detail::OutputFile;

constexpr std::int64_t kPlayersPerBlock = 1'000;

// The output files in OutputFile order, with their headers.
struct OutputSpec {
  std::string_view file_name;
  std::vector<std::string_view> columns;
};

std::vector<std::string_view> columns_of(const FileSchema& schema) {
  return {schema.columns.begin(),
          schema.columns.begin() + static_cast<std::ptrdiff_t>(schema.column_count)};
}

std::vector<OutputSpec> output_specs() {
  const auto from_schema = [](const FileSchema& schema) {
    return OutputSpec{schema.file_name, columns_of(schema)};
  };
  return {from_schema(kPlayers),
          from_schema(kLogins),
          from_schema(kTopups),
          from_schema(kPurchases),
          from_schema(kShopVisits),
          from_schema(kExperiment),
          OutputSpec{kNudgeTruthFile, {kNudgeTruthColumns.begin(), kNudgeTruthColumns.end()}}};
}

// A file written with large blocks; fclose is checked so that a full disk is an error.
class OutputFileWriter {
 public:
  explicit OutputFileWriter(fs::path path) : path_(std::move(path)) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) {
      throw Error("cannot write " + path_.string() + ": " + std::strerror(errno));
    }
  }
  ~OutputFileWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  OutputFileWriter(const OutputFileWriter&) = delete;
  OutputFileWriter& operator=(const OutputFileWriter&) = delete;

  void write(std::string_view bytes) {
    if (bytes.empty()) return;
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      throw Error("cannot write " + path_.string() + ": " + std::strerror(errno));
    }
    bytes_ += static_cast<std::int64_t>(bytes.size());
  }
  void close() {
    const int result = std::fclose(file_);
    file_ = nullptr;
    if (result != 0) throw Error("cannot write " + path_.string() + ": " + std::strerror(errno));
  }
  std::int64_t bytes() const { return bytes_; }

 private:
  fs::path path_;
  std::FILE* file_ = nullptr;
  std::int64_t bytes_ = 0;
};

std::string header_line(const std::vector<std::string_view>& columns) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) line += ',';
    line += columns[i];
  }
  line += '\n';
  return line;
}

// Hands finished blocks to `write` in block order, from whichever worker finishes the next one,
// and holds back workers that run too far ahead so that memory stays bounded.
class OrderedBlockSink {
 public:
  OrderedBlockSink(std::size_t blocks, std::size_t window, std::function<void(BlockOutput&)> write)
      : pending_(blocks), window_(window), write_(std::move(write)) {}

  void wait_for_turn(std::size_t block) {
    std::unique_lock lock(mutex_);
    turn_.wait(lock, [&] { return failed_ || block < next_ + window_; });
    if (failed_) throw Error("game-log generation stopped");
  }

  void deliver(std::size_t block, std::unique_ptr<BlockOutput> output) {
    std::unique_lock lock(mutex_);
    pending_[block] = std::move(output);
    if (writing_) return;  // the worker writing now will take this block too
    writing_ = true;
    while (next_ < pending_.size() && pending_[next_]) {
      std::unique_ptr<BlockOutput> ready = std::move(pending_[next_]);
      lock.unlock();
      try {
        write_(*ready);
      } catch (...) {
        lock.lock();
        writing_ = false;
        failed_ = true;
        turn_.notify_all();
        throw;
      }
      ready.reset();
      lock.lock();
      ++next_;
      turn_.notify_all();
    }
    writing_ = false;
  }

  void fail() {
    std::lock_guard lock(mutex_);
    failed_ = true;
    turn_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable turn_;
  std::vector<std::unique_ptr<BlockOutput>> pending_;
  std::size_t next_ = 0;
  std::size_t window_;
  bool writing_ = false;
  bool failed_ = false;
  std::function<void(BlockOutput&)> write_;
};

void prepare_output_folder(const GeneratorOptions& options) {
  const fs::path& folder = options.output_folder;
  std::error_code error;
  if (fs::exists(folder, error)) {
    if (!fs::is_directory(folder, error)) {
      throw InputError("--out: " + folder.string() + " exists and is not a folder");
    }
    if (!fs::is_empty(folder, error) && !options.overwrite) {
      throw InputError("--out: folder " + folder.string() +
                       " is not empty; pass --force to overwrite the generated files in it");
    }
    return;
  }
  fs::create_directories(folder, error);
  if (error) throw Error("cannot create folder " + folder.string() + ": " + error.message());
}

void write_items(const detail::World& world, const fs::path& folder, GeneratorSummary& summary) {
  OutputFileWriter file(folder / std::string(kItems.file_name));
  TextBuffer text;
  text.append(header_line(columns_of(kItems)));
  for (const detail::Item& item : world.items) {
    text.append_int(item.id);
    text.append(',');
    text.append(detail::kCategoryNames[static_cast<std::size_t>(item.category)]);
    text.append(',');
    text.append_int(item.price_krw);
    text.append(',');
    text.append(item.is_main ? '1' : '0');
    text.append(',');
    text.append(item.is_high_value ? '1' : '0');
    text.append('\n');
  }
  file.write(text.str());
  file.close();
  summary.files.push_back(
      {std::string(kItems.file_name), static_cast<std::int64_t>(world.items.size()), file.bytes()});
}

// The value at quantile q of sorted values (nearest rank below).
double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

void summarise_label_spend(std::vector<double> spend, GeneratorSummary& summary) {
  const auto players = static_cast<double>(spend.size());
  std::erase_if(spend, [](double value) { return value <= 0.0; });
  std::sort(spend.begin(), spend.end());
  summary.label_payers = static_cast<std::int64_t>(spend.size());
  summary.non_payer_share = 1.0 - static_cast<double>(spend.size()) / players;
  if (spend.empty()) return;
  double total = 0.0;
  for (double value : spend) total += value;
  const std::size_t top_count = (spend.size() + 9) / 10;
  double top = 0.0;
  for (std::size_t i = spend.size() - top_count; i < spend.size(); ++i) top += spend[i];
  summary.payer_mean_krw = total / static_cast<double>(spend.size());
  summary.payer_median_krw = quantile(spend, 0.5);
  summary.payer_p90_krw = quantile(spend, 0.9);
  summary.payer_p99_krw = quantile(spend, 0.99);
  summary.payer_max_krw = spend.back();
  summary.top_decile_spend_share = top / total;
}

// The seven per-player files, written block by block in player order, and what the blocks add
// up to for the summary.
class PlayerFiles {
 public:
  explicit PlayerFiles(const GeneratorOptions& options)
      : specs_(output_specs()),
        group_players_(static_cast<std::size_t>(options.nudge_groups + 1), 0) {
    for (const OutputSpec& spec : specs_) {
      files_.push_back(
          std::make_unique<OutputFileWriter>(options.output_folder / std::string(spec.file_name)));
      files_.back()->write(header_line(spec.columns));
    }
    label_spend_.reserve(static_cast<std::size_t>(options.players));
  }

  std::size_t groups() const { return group_players_.size(); }
  const std::vector<std::int64_t>& group_players() const { return group_players_; }

  // REQUIRES: blocks in player order.
  void write(const BlockOutput& block) {
    for (std::size_t f = 0; f < files_.size(); ++f) {
      files_[f]->write(block.text[f].str());
      rows_[f] += block.rows[f];
    }
    label_spend_.insert(label_spend_.end(), block.label_topups_krw.begin(),
                        block.label_topups_krw.end());
    for (std::size_t g = 0; g < group_players_.size(); ++g) {
      group_players_[g] += block.group_players[g];
    }
    churned_in_history_ += block.churned_in_history;
    churned_in_label_ += block.churned_in_label;
  }

  void close(GeneratorSummary& summary) {
    for (std::size_t f = 0; f < files_.size(); ++f) {
      files_[f]->close();
      summary.files.push_back({std::string(specs_[f].file_name), rows_[f], files_[f]->bytes()});
    }
    summary.events = rows_[static_cast<std::size_t>(OutputFile::kLogins)] +
                     rows_[static_cast<std::size_t>(OutputFile::kShopVisits)] +
                     rows_[static_cast<std::size_t>(OutputFile::kTopups)] +
                     rows_[static_cast<std::size_t>(OutputFile::kPurchases)];
    summary.churned_in_history = churned_in_history_;
    summary.churned_in_label = churned_in_label_;
    summarise_label_spend(std::move(label_spend_), summary);
  }

 private:
  std::vector<OutputSpec> specs_;
  std::vector<std::unique_ptr<OutputFileWriter>> files_;
  std::array<std::int64_t, kOutputFileCount> rows_{};
  std::vector<double> label_spend_;  // per player, in player order
  std::vector<std::int64_t> group_players_;
  std::int64_t churned_in_history_ = 0, churned_in_label_ = 0;
};

// Simulates the players in blocks of kPlayersPerBlock on the option's threads; the blocks are
// written in order, so the files do not depend on the thread count.
void simulate_in_blocks(const detail::World& world, const GeneratorOptions& options,
                        PlayerFiles& files, Progress& progress) {
  const auto blocks =
      static_cast<std::size_t>((options.players + kPlayersPerBlock - 1) / kPlayersPerBlock);
  const unsigned workers = resolve_thread_count(options.threads);
  OrderedBlockSink sink(blocks, 4 * static_cast<std::size_t>(workers),
                        [&files](BlockOutput& block) { files.write(block); });
  parallel_for(blocks, workers, [&](std::size_t block, unsigned) {
    try {
      sink.wait_for_turn(block);
      const std::int64_t first = static_cast<std::int64_t>(block) * kPlayersPerBlock + 1;
      const std::int64_t last = std::min(options.players, first + kPlayersPerBlock - 1);
      auto output = std::make_unique<BlockOutput>();
      output->group_players.assign(files.groups(), 0);
      output->label_topups_krw.reserve(static_cast<std::size_t>(kPlayersPerBlock));
      for (std::int64_t id = first; id <= last; ++id) {
        detail::simulate_player(world, id, *output);
      }
      sink.deliver(block, std::move(output));
      progress.advance(static_cast<std::uint64_t>(last - first + 1));
    } catch (...) {
      sink.fail();
      throw;
    }
  });
}

void write_manifest(const GeneratorOptions& options, const GeneratorSummary& summary,
                    const std::vector<std::int64_t>& group_players) {
  nlohmann::ordered_json manifest;
  manifest["generator"] = "playsight generate";
  manifest["version"] = kVersion;
  manifest["seed"] = options.seed;
  manifest["players"] = options.players;
  manifest["dates"] = {{"log_start", format_date(summary.log_start)},
                       {"cutoff", format_date(summary.cutoff)},
                       {"log_end", format_date(summary.log_end)},
                       {"history_days", options.history_days},
                       {"label_days", options.label_days}};
  nlohmann::ordered_json files = nlohmann::ordered_json::object();
  for (const GeneratedFile& file : summary.files) {
    files[file.name] = {{"rows", file.rows}, {"bytes", file.bytes}};
  }
  manifest["files"] = files;
  manifest["events"] = summary.events;
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  groups.push_back(
      {{"name", kControlGroup}, {"share", options.control_share}, {"players", group_players[0]}});
  for (std::int64_t i = 0; i < options.nudge_groups; ++i) {
    groups.push_back(
        {{"name", nudge_group_name(i)},
         {"share", (1.0 - options.control_share) / static_cast<double>(options.nudge_groups)},
         {"players", group_players[static_cast<std::size_t>(i + 1)]}});
  }
  manifest["experiment"] = {{"groups", groups},
                            {"exposure", "within the first day after the cutoff"},
                            {"truth_file", kNudgeTruthFile},
                            {"control_truth", "control players' true effect is that of nudge_a"}};
  manifest["churn"] = {{"in_history", summary.churned_in_history},
                       {"in_label_window", summary.churned_in_label}};
  manifest["label_window"] = {{"non_payer_share", summary.non_payer_share},
                              {"payers", summary.label_payers},
                              {"payer_topup_mean_krw", summary.payer_mean_krw},
                              {"payer_topup_median_krw", summary.payer_median_krw},
                              {"payer_topup_p90_krw", summary.payer_p90_krw},
                              {"payer_topup_p99_krw", summary.payer_p99_krw},
                              {"payer_topup_max_krw", summary.payer_max_krw},
                              {"top_decile_spend_share", summary.top_decile_spend_share}};
  OutputFileWriter file(options.output_folder / std::string(kManifestFile));
  file.write(manifest.dump(2) + "\n");
  file.close();
}

}  // namespace

std::string nudge_group_name(std::int64_t index) {
  return std::string("nudge_") + static_cast<char>('a' + index);
}

void validate_generator_options(const GeneratorOptions& options) {
  const auto out_of_range = [](std::string_view flag, std::string_view expected,
                               const std::string& got) {
    throw InputError(std::string(flag) + ": expected " + std::string(expected) + ", got " + got);
  };
  if (options.players < 1 || options.players > 50'000'000) {
    out_of_range("--players", "a number of players from 1 to 50000000",
                 std::to_string(options.players));
  }
  const CivilDate cutoff = civil_from_days(options.cutoff);
  if (cutoff.year < 1990 || cutoff.year > 2199) {
    out_of_range("--cutoff", "a date from 1990-01-01 to 2199-12-31", format_date(options.cutoff));
  }
  if (options.history_days < 1 || options.history_days > 3650) {
    out_of_range("--history-days", "a number of days from 1 to 3650",
                 std::to_string(options.history_days));
  }
  if (options.label_days < 1 || options.label_days > 366) {
    out_of_range("--label-days", "a number of days from 1 to 366",
                 std::to_string(options.label_days));
  }
  if (options.nudge_groups < 1 || options.nudge_groups > 26) {
    out_of_range("--nudge-groups", "a number of nudge groups from 1 to 26",
                 std::to_string(options.nudge_groups));
  }
  if (!(options.control_share >= 0.0 && options.control_share <= 1.0)) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", options.control_share);
    out_of_range("--control-share", "a share from 0 to 1", text);
  }
  if (options.output_folder.empty()) {
    throw InputError("--out: expected the folder to write the game logs to");
  }
}

GeneratorSummary generate_game_logs(const GeneratorOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  validate_generator_options(options);
  prepare_output_folder(options);
  const detail::World world = detail::build_world(options);

  GeneratorSummary summary;
  summary.output_folder = options.output_folder;
  summary.players = options.players;
  summary.log_start = world.log_start;
  summary.cutoff = world.cutoff;
  summary.log_end = world.log_end;
  write_items(world, options.output_folder, summary);

  PlayerFiles files(options);
  Progress progress("generate", static_cast<std::uint64_t>(options.players));
  simulate_in_blocks(world, options, files, progress);
  files.close(summary);

  write_manifest(options, summary, files.group_players());
  const fs::path manifest_path = options.output_folder / std::string(kManifestFile);
  summary.files.push_back(
      {std::string(kManifestFile), 0, static_cast<std::int64_t>(fs::file_size(manifest_path))});
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char done[96];
  std::snprintf(done, sizeof done, "%lld players, %lld events",
                static_cast<long long>(options.players), static_cast<long long>(summary.events));
  progress.finish(done);
  return summary;
}

}  // namespace playsight::simulate
