// The game-log generator: determinism, the files' shape, and the properties the rest of
// playsight relies on (payer share, heavy tail, item popularity, balances, the nudge truth).
// Most tests share one generated log of kSharedPlayers players (about a second to make).
#include "simulate/generator.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../support/temp_dir.h"
#include "core/error.h"
#include "core/time.h"
#include "gamelog/schema.h"

namespace playsight::simulate {
namespace {

using namespace gamelog;

constexpr std::int64_t kSharedPlayers = 50'000;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Calls row(fields) for every data row of a generated CSV (no quoting: the generator never
// needs it). Returns the header line.
template <typename Row>
std::string for_each_row(const std::string& path, Row row) {
  const std::string text = read_file(path);
  std::size_t line_start = text.find('\n') + 1;
  std::vector<std::string_view> fields;
  while (line_start < text.size()) {
    const std::size_t line_end = text.find('\n', line_start);
    const std::string_view line(text.data() + line_start, line_end - line_start);
    fields.clear();
    std::size_t field_start = 0;
    while (true) {
      const std::size_t comma = line.find(',', field_start);
      fields.push_back(line.substr(field_start, comma - field_start));
      if (comma == std::string_view::npos) break;
      field_start = comma + 1;
    }
    row(fields);
    line_start = line_end + 1;
  }
  return text.substr(0, text.find('\n'));
}

std::int64_t to_int(std::string_view text) {
  return std::stoll(std::string(text));
}
double to_double(std::string_view text) {
  return std::stod(std::string(text));
}

std::string joined(const auto& columns, std::size_t count) {
  std::string line;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) line += ',';
    line += columns[i];
  }
  return line;
}

GeneratorOptions small_options(const std::string& folder, std::int64_t players) {
  GeneratorOptions options;
  options.players = players;
  options.output_folder = folder;
  options.threads = 2;
  return options;
}

// One log shared by the tests that only read it.
struct SharedLog {
  testing::TempDir dir;
  GeneratorSummary summary;
  GeneratorOptions options;
  SharedLog() {
    options = small_options(dir.path(), kSharedPlayers);
    summary = generate_game_logs(options);
  }
  std::string file(std::string_view name) const { return dir.file(std::string(name)); }
  Seconds log_start() const { return summary.log_start * kSecondsPerDay; }
  Seconds cutoff() const { return summary.cutoff * kSecondsPerDay; }
  Seconds log_end() const { return summary.log_end * kSecondsPerDay; }
};

const SharedLog& shared_log() {
  static const SharedLog log;
  return log;
}

// Label-window top-up total per player id (index), from topups.csv.
std::vector<double> label_topups(const SharedLog& log) {
  std::vector<double> spend(static_cast<std::size_t>(kSharedPlayers) + 1, 0.0);
  for_each_row(log.file(kTopups.file_name), [&](const std::vector<std::string_view>& f) {
    if (parse_timestamp(f[1]) >= log.cutoff()) {
      spend[static_cast<std::size_t>(to_int(f[0]))] += to_double(f[2]);
    }
  });
  return spend;
}

TEST(Generator, SameOptionsGiveTheSameBytesWhateverTheThreads) {
  testing::TempDir one, three, other_seed;
  GeneratorOptions options = small_options(one.path(), 2'500);
  options.threads = 1;
  generate_game_logs(options);
  options.output_folder = three.path();
  options.threads = 3;
  generate_game_logs(options);
  options.output_folder = other_seed.path();
  options.seed = 43;
  generate_game_logs(options);
  for (const std::string_view name :
       {kPlayers.file_name, kItems.file_name, kLogins.file_name, kTopups.file_name,
        kPurchases.file_name, kShopVisits.file_name, kExperiment.file_name, kNudgeTruthFile,
        kManifestFile}) {
    const std::string bytes = read_file(one.file(std::string(name)));
    EXPECT_GT(bytes.size(), 100u) << name;
    EXPECT_EQ(bytes, read_file(three.file(std::string(name)))) << name;
  }
  EXPECT_NE(read_file(one.file("logins.csv")), read_file(other_seed.file("logins.csv")));
  EXPECT_NE(read_file(one.file("players.csv")), read_file(other_seed.file("players.csv")));
}

TEST(Generator, FilesHaveTheSchemaHeadersAndTheCountedRows) {
  const SharedLog& log = shared_log();
  std::map<std::string, std::int64_t> rows_by_file;
  for (const GeneratedFile& file : log.summary.files) rows_by_file[file.name] = file.rows;
  for (const FileSchema* schema :
       {&kPlayers, &kItems, &kLogins, &kTopups, &kPurchases, &kShopVisits, &kExperiment}) {
    std::int64_t rows = 0;
    const std::string header =
        for_each_row(log.file(schema->file_name), [&](const std::vector<std::string_view>& fields) {
          ++rows;
          ASSERT_EQ(fields.size(), schema->column_count);
        });
    EXPECT_EQ(header, joined(schema->columns, schema->column_count)) << schema->file_name;
    EXPECT_EQ(rows, rows_by_file[std::string(schema->file_name)]) << schema->file_name;
  }
  const std::string truth_header = for_each_row(log.file(kNudgeTruthFile), [](const auto&) {});
  EXPECT_EQ(truth_header, joined(kNudgeTruthColumns, kNudgeTruthColumns.size()));
  EXPECT_EQ(rows_by_file["players.csv"], kSharedPlayers);
  EXPECT_EQ(rows_by_file["experiment.csv"], kSharedPlayers);
  EXPECT_EQ(rows_by_file["nudge_truth.csv"], kSharedPlayers);
}

TEST(Generator, ManifestRecordsDatesCountsAndGroups) {
  const SharedLog& log = shared_log();
  const auto manifest = nlohmann::json::parse(read_file(log.file(kManifestFile)));
  EXPECT_EQ(manifest["seed"], 42);
  EXPECT_EQ(manifest["players"], kSharedPlayers);
  EXPECT_EQ(manifest["dates"]["log_start"], "2026-06-03");  // 2026-10-01 - 120 days
  EXPECT_EQ(manifest["dates"]["cutoff"], "2026-10-01");
  EXPECT_EQ(manifest["dates"]["log_end"], "2026-10-31");
  EXPECT_EQ(manifest["files"]["logins.csv"]["rows"], log.summary.files[2].rows);
  EXPECT_EQ(manifest["events"], log.summary.events);
  ASSERT_EQ(manifest["experiment"]["groups"].size(), 3u);
  EXPECT_EQ(manifest["experiment"]["groups"][1]["name"], "nudge_a");
  EXPECT_DOUBLE_EQ(manifest["experiment"]["groups"][2]["share"], 0.25);
  EXPECT_DOUBLE_EQ(manifest["label_window"]["non_payer_share"], log.summary.non_payer_share);
  EXPECT_FALSE(manifest["version"].get<std::string>().empty());
}

TEST(Generator, PlayersAndItemsLookLikeAGame) {
  const SharedLog& log = shared_log();
  std::int64_t next_id = 1, young = 0;
  std::map<char, std::int64_t> genders;
  std::int64_t signed_up_in_history = 0;
  for_each_row(log.file(kPlayers.file_name), [&](const std::vector<std::string_view>& f) {
    EXPECT_EQ(to_int(f[0]), next_id++);
    ++genders[f[1][0]];
    const std::int64_t age = to_int(f[2]);
    ASSERT_GE(age, 14);
    ASSERT_LE(age, 60);
    young += age < 30;
    const Days signup = parse_date(f[3]);
    ASSERT_LT(signup, log.summary.cutoff);            // nobody signs up after the cutoff
    ASSERT_GE(signup, log.summary.cutoff - 2 * 366);  // over about two years
    signed_up_in_history += signup >= log.summary.log_start;
  });
  const auto n = static_cast<double>(kSharedPlayers);
  EXPECT_NEAR(genders['M'] / n, 0.57, 0.02);
  EXPECT_NEAR(genders['F'] / n, 0.36, 0.02);
  EXPECT_NEAR(genders['U'] / n, 0.07, 0.01);
  EXPECT_GT(young / n, 0.5);
  EXPECT_GT(signed_up_in_history / n, 0.08);
  EXPECT_LT(signed_up_in_history / n, 0.25);

  std::int64_t items = 0, main_items = 0;
  std::map<std::string, std::int64_t> categories;
  for_each_row(log.file(kItems.file_name), [&](const std::vector<std::string_view>& f) {
    ++items;
    ++categories[std::string(f[1])];
    const std::int64_t price = to_int(f[2]);
    EXPECT_EQ(price % 1'100, 0);  // VAT-inclusive KRW price points
    EXPECT_EQ(f[4] == "1", price >= 30'000);
    main_items += f[3] == "1";
  });
  EXPECT_EQ(items, 800);
  EXPECT_EQ(main_items, 40);
  EXPECT_EQ(categories.size(), 8u);
  EXPECT_EQ(categories["costume"], 180);
}

TEST(Generator, EventTimesLieInTheLogWindowAndAfterSignup) {
  const SharedLog& log = shared_log();
  std::vector<Days> signup(static_cast<std::size_t>(kSharedPlayers) + 1);
  for_each_row(log.file(kPlayers.file_name), [&](const std::vector<std::string_view>& f) {
    signup[static_cast<std::size_t>(to_int(f[0]))] = parse_date(f[3]);
  });
  for (const FileSchema* schema : {&kLogins, &kTopups, &kPurchases, &kShopVisits}) {
    Seconds earliest = log.log_end(), latest = log.log_start();
    std::int64_t before_signup = 0;
    for_each_row(log.file(schema->file_name), [&](const std::vector<std::string_view>& f) {
      const Seconds time = parse_timestamp(f[1]);
      earliest = std::min(earliest, time);
      latest = std::max(latest, time);
      before_signup += time < signup[static_cast<std::size_t>(to_int(f[0]))] * kSecondsPerDay;
    });
    EXPECT_GE(earliest, log.log_start()) << schema->file_name;
    EXPECT_LT(latest, log.log_end()) << schema->file_name;
    EXPECT_EQ(before_signup, 0) << schema->file_name;
  }
  for_each_row(log.file(kExperiment.file_name), [&](const std::vector<std::string_view>& f) {
    const Seconds exposure = parse_timestamp(f[2]);
    ASSERT_GE(exposure, log.cutoff());
    ASSERT_LT(exposure, log.cutoff() + kSecondsPerDay);
  });
}

TEST(Generator, EventVolumeMatchesTheTeamsBenchmark) {
  // 200,000 players should make 5-9 million events (the team's benchmark: 6.6 million).
  const double per_player =
      static_cast<double>(shared_log().summary.events) / static_cast<double>(kSharedPlayers);
  EXPECT_GT(per_player, 25.0);
  EXPECT_LT(per_player, 45.0);
}

TEST(Generator, MostPlayersPayNothingInTheLabelWindowAndSpendIsHeavyTailed) {
  const SharedLog& log = shared_log();
  std::vector<double> spend = label_topups(log);
  spend.erase(spend.begin());  // index 0 is no player
  const auto payers = std::count_if(spend.begin(), spend.end(), [](double s) { return s > 0; });
  const double non_payer_share = 1.0 - static_cast<double>(payers) / kSharedPlayers;
  EXPECT_GE(non_payer_share, 0.55);
  EXPECT_LE(non_payer_share, 0.66);
  EXPECT_NEAR(non_payer_share, log.summary.non_payer_share, 1e-12);

  std::erase_if(spend, [](double s) { return s <= 0; });
  std::sort(spend.begin(), spend.end(), std::greater<>());
  const double total = std::accumulate(spend.begin(), spend.end(), 0.0);
  const double top_decile = std::accumulate(
      spend.begin(), spend.begin() + static_cast<std::ptrdiff_t>(spend.size() / 10), 0.0);
  EXPECT_GT(top_decile / total, 0.5);
  const double mean = total / static_cast<double>(spend.size());
  const double median = spend[spend.size() / 2];
  EXPECT_GT(mean, 2.0 * median);
}

TEST(Generator, SomePlayersChurnBeforeAndDuringTheLabelWindow) {
  const GeneratorSummary& summary = shared_log().summary;
  const auto n = static_cast<double>(kSharedPlayers);
  EXPECT_GT(summary.churned_in_history / n, 0.05);
  EXPECT_LT(summary.churned_in_history / n, 0.25);
  EXPECT_GT(summary.churned_in_label / n, 0.005);
  // Churned players are silent at the end: a good share of players have no label-window login.
  const SharedLog& log = shared_log();
  std::vector<bool> seen(static_cast<std::size_t>(kSharedPlayers) + 1, false);
  for_each_row(log.file(kLogins.file_name), [&](const std::vector<std::string_view>& f) {
    if (parse_timestamp(f[1]) >= log.cutoff()) seen[static_cast<std::size_t>(to_int(f[0]))] = true;
  });
  const auto silent = std::count(seen.begin() + 1, seen.end(), false);
  EXPECT_GT(silent / n, summary.churned_in_history / n);
}

TEST(Generator, AHundredPopularItemsTakeMostPurchasesAtListOrSalePrices) {
  const SharedLog& log = shared_log();
  std::map<std::int64_t, std::int64_t> list_price;
  for_each_row(log.file(kItems.file_name), [&](const std::vector<std::string_view>& f) {
    list_price[to_int(f[0])] = to_int(f[2]);
  });
  std::map<std::int64_t, std::int64_t> bought;
  std::int64_t purchases = 0, discounted = 0;
  for_each_row(log.file(kPurchases.file_name), [&](const std::vector<std::string_view>& f) {
    const std::int64_t item = to_int(f[2]);
    const std::int64_t price = to_int(f[3]);
    ++bought[item];
    ++purchases;
    ASSERT_TRUE(list_price.contains(item));
    ASSERT_LE(price, list_price[item]);
    ASSERT_GE(price, list_price[item] * 7 / 10);  // sales go up to 30% off
    discounted += price < list_price[item];
  });
  std::vector<std::int64_t> counts;
  for (const auto& [item, count] : bought) counts.push_back(count);
  std::sort(counts.begin(), counts.end(), std::greater<>());
  const double top_100 = std::accumulate(counts.begin(), counts.begin() + 100, 0.0);
  EXPECT_GT(top_100 / static_cast<double>(purchases), 0.7);
  EXPECT_GT(counts.size(), 600u);  // the long tail still sells
  EXPECT_GT(static_cast<double>(discounted) / static_cast<double>(purchases), 0.05);
  EXPECT_LT(static_cast<double>(discounted) / static_cast<double>(purchases), 0.5);
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double xy = 0, xx = 0, yy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    xy += (x[i] - mean_x) * (y[i] - mean_y);
    xx += (x[i] - mean_x) * (x[i] - mean_x);
    yy += (y[i] - mean_y) * (y[i] - mean_y);
  }
  return xy / std::sqrt(xx * yy);
}

TEST(Generator, TasteClustersShowInWhatPlayersBuy) {
  // Collectors buy mounts, pets and packages together; the category shares of regular buyers
  // correlate accordingly, which is the structure PCA on player x item counts finds.
  const SharedLog& log = shared_log();
  std::map<std::int64_t, std::string> category;
  for_each_row(log.file(kItems.file_name), [&](const std::vector<std::string_view>& f) {
    category[to_int(f[0])] = std::string(f[1]);
  });
  std::vector<std::map<std::string, double>> bought(static_cast<std::size_t>(kSharedPlayers) + 1);
  for_each_row(log.file(kPurchases.file_name), [&](const std::vector<std::string_view>& f) {
    bought[static_cast<std::size_t>(to_int(f[0]))][category[to_int(f[2])]] += 1;
  });
  std::map<std::string, std::vector<double>> shares;
  for (const auto& counts : bought) {
    double total = 0;
    for (const auto& [name, count] : counts) total += count;
    if (total < 5) continue;
    for (const char* name : {"mount", "pet", "package", "consumable"}) {
      const auto found = counts.find(name);
      shares[name].push_back(found == counts.end() ? 0.0 : found->second / total);
    }
  }
  ASSERT_GT(shares["mount"].size(), 5'000u);
  EXPECT_GT(correlation(shares["mount"], shares["pet"]), 0.15);
  EXPECT_GT(correlation(shares["mount"], shares["package"]), 0.1);
  EXPECT_LT(correlation(shares["consumable"], shares["pet"]), -0.2);
}

TEST(Generator, PurchasesNeverTakeTheCashBalanceBelowZero) {
  const SharedLog& log = shared_log();
  // (time, order, amount): top-ups (order 0) before purchases (order 1) at the same second.
  std::vector<std::vector<std::array<std::int64_t, 3>>> events(
      static_cast<std::size_t>(kSharedPlayers) + 1);
  for_each_row(log.file(kTopups.file_name), [&](const std::vector<std::string_view>& f) {
    events[static_cast<std::size_t>(to_int(f[0]))].push_back(
        {parse_timestamp(f[1]), 0, to_int(f[2])});
  });
  for_each_row(log.file(kPurchases.file_name), [&](const std::vector<std::string_view>& f) {
    events[static_cast<std::size_t>(to_int(f[0]))].push_back(
        {parse_timestamp(f[1]), 1, -to_int(f[3])});
  });
  std::int64_t negative = 0, buyers = 0, topped_up = 0, spent = 0;
  for (auto& player : events) {
    std::sort(player.begin(), player.end());
    std::int64_t balance = 0;
    bool bought = false;
    for (const auto& event : player) {
      balance += event[2];
      negative += balance < 0;
      bought = bought || event[1] == 1;
      (event[2] > 0 ? topped_up : spent) += std::abs(event[2]);
    }
    buyers += bought;
  }
  EXPECT_EQ(negative, 0);
  EXPECT_GT(buyers, kSharedPlayers / 4);
  // Players spend most of what they top up, but not all of it.
  EXPECT_GT(static_cast<double>(spent) / static_cast<double>(topped_up), 0.4);
  EXPECT_LT(static_cast<double>(spent) / static_cast<double>(topped_up), 0.95);
}

TEST(Generator, ExperimentGroupsHaveTheirShares) {
  const SharedLog& log = shared_log();
  std::map<std::string, std::int64_t> groups;
  for_each_row(log.file(kExperiment.file_name),
               [&](const std::vector<std::string_view>& f) { ++groups[std::string(f[1])]; });
  ASSERT_EQ(groups.size(), 3u);
  const auto n = static_cast<double>(kSharedPlayers);
  EXPECT_NEAR(groups["control"] / n, 0.5, 0.01);
  EXPECT_NEAR(groups["nudge_a"] / n, 0.25, 0.01);
  EXPECT_NEAR(groups["nudge_b"] / n, 0.25, 0.01);
}

struct TruthRow {
  std::string group;
  double expected_control, expected_nudged, effect, realised_control, realised_nudged;
};

std::vector<TruthRow> read_truth(const SharedLog& log) {
  std::vector<TruthRow> rows;
  for_each_row(log.file(kNudgeTruthFile), [&](const std::vector<std::string_view>& f) {
    rows.push_back({std::string(f[1]), to_double(f[2]), to_double(f[3]), to_double(f[4]),
                    to_double(f[5]), to_double(f[6])});
  });
  return rows;
}

TEST(Generator, TrueNudgeEffectsArePositiveOnAverageAndHeterogeneous) {
  const std::vector<TruthRow> truth = read_truth(shared_log());
  for (const std::string group : {"nudge_a", "nudge_b"}) {
    double sum = 0, sum_squares = 0;
    std::int64_t n = 0, zeros = 0, negatives = 0;
    for (const TruthRow& row : truth) {
      // Control players carry nudge_a's effect.
      if (row.group != group && !(group == "nudge_a" && row.group == "control")) continue;
      ASSERT_NEAR(row.effect, row.expected_nudged - row.expected_control, 0.011);
      sum += row.effect;
      sum_squares += row.effect * row.effect;
      ++n;
      zeros += row.effect == 0.0;
      negatives += row.effect < 0.0;
    }
    const double mean = sum / static_cast<double>(n);
    const double sd = std::sqrt(sum_squares / static_cast<double>(n) - mean * mean);
    EXPECT_GT(mean, 100.0) << group;
    EXPECT_GT(sd, 2.0 * mean) << group;  // strongly heterogeneous
    EXPECT_GT(zeros, n / 3) << group;    // many do not respond
    EXPECT_GT(negatives, 0) << group;    // a few are put off
    EXPECT_LT(negatives, n / 20) << group;
  }
}

TEST(Generator, RealisedEffectsAgreeWithTheAnalyticExpectation) {
  const std::vector<TruthRow> truth = read_truth(shared_log());
  for (const std::string group : {"nudge_a", "nudge_b"}) {
    double expected_effect = 0, realised_effect = 0, expected_control = 0, realised_control = 0;
    std::int64_t n = 0;
    for (const TruthRow& row : truth) {
      if (row.group != group && !(group == "nudge_a" && row.group == "control")) continue;
      expected_effect += row.effect;
      realised_effect += row.realised_nudged - row.realised_control;
      expected_control += row.expected_control;
      realised_control += row.realised_control;
      ++n;
    }
    EXPECT_NEAR(realised_effect / expected_effect, 1.0, 0.15) << group;
    EXPECT_NEAR(realised_control / expected_control, 1.0, 0.05) << group;
  }
}

TEST(Generator, TopupsFollowTheWorldEachPlayerLivesIn) {
  const SharedLog& log = shared_log();
  const std::vector<double> spend = label_topups(log);
  const std::vector<TruthRow> truth = read_truth(log);
  std::int64_t mismatches = 0, differing_worlds = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const TruthRow& row = truth[i];
    const double lived = row.group == "control" ? row.realised_control : row.realised_nudged;
    mismatches += lived != spend[i + 1];
    differing_worlds += row.realised_control != row.realised_nudged;
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(differing_worlds, kSharedPlayers / 50);
}

TEST(GeneratorOptions, OutOfRangeValuesNameTheFlag) {
  const auto message_for = [](const std::function<void(GeneratorOptions&)>& change) {
    GeneratorOptions options;
    options.output_folder = "/tmp/unused";
    change(options);
    try {
      validate_generator_options(options);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_for([](auto& o) { o.players = 0; }).find("--players"), std::string::npos);
  EXPECT_NE(message_for([](auto& o) { o.control_share = 1.5; }).find("--control-share"),
            std::string::npos);
  EXPECT_NE(message_for([](auto& o) { o.control_share = std::nan(""); }).find("--control-share"),
            std::string::npos);
  EXPECT_NE(message_for([](auto& o) { o.history_days = 0; }).find("--history-days"),
            std::string::npos);
  EXPECT_NE(message_for([](auto& o) { o.label_days = 400; }).find("--label-days"),
            std::string::npos);
  EXPECT_NE(message_for([](auto& o) { o.nudge_groups = 0; }).find("--nudge-groups"),
            std::string::npos);
  EXPECT_NE(message_for([](auto& o) { o.cutoff = parse_date("1970-01-02"); }).find("--cutoff"),
            std::string::npos);
  EXPECT_EQ(message_for([](auto&) {}), "no error");
}

TEST(GeneratorOptions, RefusesANonEmptyFolderUnlessForced) {
  testing::TempDir dir;
  dir.write("notes.txt", "keep me");
  GeneratorOptions options = small_options(dir.path(), 50);
  try {
    generate_game_logs(options);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("--force"), std::string::npos) << error.what();
  }
  options.overwrite = true;
  const GeneratorSummary summary = generate_game_logs(options);
  EXPECT_EQ(summary.players, 50);
  EXPECT_EQ(read_file(dir.file("notes.txt")), "keep me");  // only our files are written
}

TEST(GeneratorOptions, MoreNudgeGroupsSplitTheRestEvenly) {
  testing::TempDir dir;
  GeneratorOptions options = small_options(dir.path(), 4'000);
  options.nudge_groups = 4;
  options.control_share = 0.2;
  generate_game_logs(options);
  std::map<std::string, std::int64_t> groups;
  for_each_row(dir.file("experiment.csv"),
               [&](const std::vector<std::string_view>& f) { ++groups[std::string(f[1])]; });
  ASSERT_EQ(groups.size(), 5u);
  EXPECT_NEAR(groups["control"] / 4'000.0, 0.2, 0.025);
  for (const char* group : {"nudge_a", "nudge_b", "nudge_c", "nudge_d"}) {
    EXPECT_NEAR(groups[group] / 4'000.0, 0.2, 0.025) << group;
  }
}

// The real binary: bad flags exit with 2 and a message naming the flag.
struct CommandRun {
  int exit_code;
  std::string output;
};

CommandRun run_playsight(const std::string& arguments) {
  const std::string command = std::string(PLAYSIGHT_BINARY) + " " + arguments + " 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), got);
  }
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(GenerateCommand, BadFlagsExitWithTwoNamingTheFlag) {
  testing::TempDir dir;
  const std::string out = " --out " + dir.file("logs");
  for (const auto& [flags, named] :
       std::vector<std::pair<std::string, std::string>>{{"--players 0", "--players"},
                                                        {"--cutoff 2026-13-01", "--cutoff"},
                                                        {"--control-share 1.5", "--control-share"},
                                                        {"--history-days -5", "--history-days"}}) {
    const CommandRun result = run_playsight("generate" + out + " " + flags);
    EXPECT_EQ(result.exit_code, 2) << flags << ": " << result.output;
    EXPECT_NE(result.output.find(named), std::string::npos) << result.output;
  }
  std::filesystem::create_directories(dir.file("logs"));
  dir.write("logs/old.csv", "x\n");
  const CommandRun refused = run_playsight("generate" + out + " --players 10");
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("--force"), std::string::npos) << refused.output;
}

TEST(GenerateCommand, WritesTheFilesAndPrintsASummary) {
  testing::TempDir dir;
  const CommandRun result =
      run_playsight("generate --out " + dir.file("logs") + " --players 300 --seed 5 --threads 1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Generated 300 players"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("top up nothing"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(dir.file("logs")), std::string::npos) << result.output;
  const auto manifest = nlohmann::json::parse(read_file(dir.file("logs/manifest.json")));
  EXPECT_EQ(manifest["seed"], 5);
  EXPECT_EQ(manifest["players"], 300);
}

}  // namespace
}  // namespace playsight::simulate
