// The CSV inputs a user hands to playsight, each through the reader that reads it in the product.
// The first byte picks the kind (a lowercase letter: strict, the first bad row stops the read;
// the same letter in uppercase: skip_bad_rows where the reader offers it; any other byte: byte %
// 17); the rest is the file. A reader may refuse a file only with an InputError.
//
//   a raw          core CsvReader: the file read whole and in 4 KB chunks gives the same rows
//   b table        core read_table_csv: every column has one value per key
//   c players      gamelog read_players (players.csv)
//   d items        gamelog read_item_catalogue (items.csv)
//   e logins       spend build_player_features with this logins.csv      (events)
//   f topups       the same with this topups.csv, and spend::clv rfm_from_topups (game log)
//   g purchases    the same with this purchases.csv (beside a fixed items.csv)
//   h shop_visits  the same with this shop_visits.csv
//   i transactions spend build_transaction_features and rfm_from_topups (transactions)
//   j assignment   experiment read_assignment, spend split_players' control group
//   k regions      geo read_regions
//   l sites        geo read_sites (against three fixed regions)
//   m locations    geo read_player_locations
//   n kpi          geo read_kpi (gaps an error, then dropped)
//   o placement    geo read_players_to_place and place_players
//   p weights      geo value_weights and segment_weights
//   q history      spend::history read_purchase_history (the backtest's transaction file), with
//                  the default columns and with named ones and a kind column
#include <cstdint>
#include <numeric>
#include <string>

#include "core/csv_reader.h"
#include "core/table.h"
#include "experiment/assignment.h"
#include "fuzz_support.h"
#include "gamelog/log_folder.h"
#include "gamelog/players.h"
#include "geo/coverage.h"
#include "geo/kpi.h"
#include "geo/player_placement.h"
#include "geo/player_regions.h"
#include "geo/regions.h"
#include "spend/clv/rfm.h"
#include "spend/features.h"
#include "spend/history/purchase_history.h"
#include "spend/models/training_protocol.h"

namespace playsight::fuzz {
namespace {

constexpr int kKinds = 17;

// Reference files the fuzzed file is read against, written once.
struct Fixture {
  // players.csv of `playsight generate --players 4 --seed 3 --cutoff 2026-03-01`, and the items
  // its purchases name.
  std::string players =
      scratch().write("logs/players.csv",
                      "player_id,gender,age,signup_date\n1,M,28,2024-03-07\n"
                      "2,F,25,2025-05-31\n3,M,26,2024-03-04\n4,M,30,2026-01-31\n");
  std::string items = scratch().write(
      "logs/items.csv",
      "item_id,category,price_krw,is_main,is_high_value\n167,gacha,5500,0,0\n"
      "211,package,110000,0,1\n276,mount,33000,1,1\n338,weapon,22000,1,0\n364,pet,22000,0,0\n"
      "375,gacha,33000,0,1\n568,gacha,33000,0,1\n608,costume,5500,1,0\n693,consumable,5500,0,0\n"
      "722,weapon,11000,1,0\n");
  geo::RegionSet regions = geo::read_regions(scratch().write(
      "regions.csv",
      "code,name,centroid_lon,centroid_lat,area_km2,population_2010\n"
      "11010,Jongno-gu,126.977,37.594,23.91,155106\n26110,Jung-gu,129.032,35.106,2.83,47195\n"
      "39010,Jeju-si,126.53,33.5,978.0,\n"));
  geo::PlayerLocations locations = geo::read_player_locations(
      scratch().write("locations.csv", "player_id,region_code\n1,11010\n2,26110\n3,39010\n"),
      regions);
  Days cutoff = parse_date("2026-03-01");
};

const Fixture& fixture() {
  static const Fixture instance;
  return instance;
}

// Row count, skipped rows and an order-independent digest of every field of every row.
struct RawOutcome {
  bool read = false;
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
  std::uint64_t digest = 0;
};

RawOutcome read_raw(const std::string& path, std::size_t chunk_bytes, bool skip) {
  RawOutcome outcome;
  outcome.read = accepts([&] {
    const std::vector<std::string> header = CsvReader(path, {}).header();
    std::vector<std::string_view> wanted(header.begin(), header.end());
    const CsvReader reader(path, wanted);
    CsvReadOptions options;
    options.threads = 1;
    options.chunk_bytes = chunk_bytes;
    options.skip_bad_rows = skip;
    const CsvReadReport report = reader.read(
        [&](unsigned) {
          return [&](const CsvRow& row) {
            std::uint64_t hash = 1469598103934665603ull;
            for (std::size_t k = 0; k < wanted.size(); ++k) {
              for (const char c : row.text(k))
                hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
              hash = (hash ^ 0x1f) * 1099511628211ull;
            }
            outcome.digest += hash;
          };
        },
        options);
    outcome.rows = report.rows;
    outcome.skipped = report.skipped_rows;
  });
  return outcome;
}

// Chunks are at least 4 KB, so the body is repeated until the file spans several of them.
void raw(std::string_view text, bool skip) {
  std::string file(text);
  const std::size_t header_end = file.find('\n');
  if (header_end != std::string::npos && header_end + 1 < file.size()) {
    const std::string body = file.substr(header_end + 1);
    while (file.size() < 3 * 4096) file += body;
  }
  const std::string path = scratch().write("raw.csv", file);
  const RawOutcome whole = read_raw(path, std::size_t{1} << 40, skip);
  const RawOutcome chunked = read_raw(path, 4096, skip);
  require(whole.read == chunked.read, "a file read whole and in chunks: one read, one refused");
  if (!skip && !whole.read) return;
  require(whole.rows == chunked.rows && whole.skipped == chunked.skipped &&
              whole.digest == chunked.digest,
          "a file read whole and in chunks gives other rows: " + std::to_string(whole.rows) +
              " rows, " + std::to_string(whole.skipped) + " skipped vs " +
              std::to_string(chunked.rows) + ", " + std::to_string(chunked.skipped));
}

void table(const std::string& path) {
  accepts([&] {
    const Table t = read_table_csv(path, 1);
    require(t.columns.size() == t.column_names.size(), "read_table_csv: names != columns");
    for (const auto& column : t.columns)
      require(column.size() == t.rows(),
              "read_table_csv: a column's length differs from the keys'");
  });
}

CsvReadOptions read_options(bool skip) {
  CsvReadOptions options;
  options.threads = 1;
  options.skip_bad_rows = skip;
  return options;
}

void players(const std::string& path, bool skip) {
  accepts([&] {
    CsvReadReport report;
    const gamelog::Players p = gamelog::read_players(path, read_options(skip), &report);
    const std::size_t n = p.index.size();
    require(p.gender.size() == n && p.age.size() == n && p.signup_day.size() == n,
            "read_players: columns of unequal length");
    require(report.rows == n, "read_players: rows reported != players read");
  });
}

void items(const std::string& path, bool skip) {
  accepts([&] {
    const gamelog::ItemCatalogue c = gamelog::read_item_catalogue(path, read_options(skip));
    const std::size_t n = c.index.size();
    require(c.category.size() == n && c.price_krw.size() == n && c.is_main.size() == n &&
                c.is_high_value.size() == n,
            "read_item_catalogue: columns of unequal length");
  });
}

spend::FeatureOptions feature_options(bool skip) {
  spend::FeatureOptions options;
  options.cutoff = fixture().cutoff;
  options.threads = 1;
  options.progress = false;
  options.skip_bad_rows = skip;
  options.top_items = 3;
  options.item_components = 2;
  return options;
}

void check_features(const spend::FeatureResult& result) {
  for (const auto& column : result.table.columns)
    require(column.size() == result.table.rows(), "features: a column's length != the players'");
  require(result.table.columns.size() == result.table.column_names.size(),
          "features: names != columns");
}

// One event file of a game log beside the fixed players.csv and items.csv.
void events(std::string_view text, char kind, bool skip) {
  gamelog::LogFolder logs;
  logs.folder = scratch().path("logs");
  logs.players = fixture().players;
  logs.items = fixture().items;
  const std::string name = kind == 'e'   ? "logins.csv"
                           : kind == 'f' ? "topups.csv"
                           : kind == 'g' ? "purchases.csv"
                                         : "shop_visits.csv";
  std::optional<std::string>& file = kind == 'e'   ? logs.logins
                                     : kind == 'f' ? logs.topups
                                     : kind == 'g' ? logs.purchases
                                                   : logs.shop_visits;
  const std::string path = scratch().write("logs/" + name, text);
  file = path;
  accepts([&] { check_features(spend::build_player_features(logs, feature_options(skip))); });
  if (kind == 'f') {
    accepts([&] {
      spend::clv::RfmOptions options;
      options.threads = 1;
      options.skip_bad_rows = skip;
      spend::clv::rfm_from_topups(path, spend::clv::TopupFileKind::kGameLog, fixture().cutoff,
                                  options);
    });
  }
}

void transactions(const std::string& path, bool skip) {
  accepts([&] { check_features(spend::build_transaction_features(path, feature_options(skip))); });
  accepts([&] {
    spend::clv::RfmOptions options;
    options.threads = 1;
    options.skip_bad_rows = skip;
    options.calibration_days = 90;
    const spend::clv::RfmTable rfm = spend::clv::rfm_from_topups(
        path, spend::clv::TopupFileKind::kTransactions, fixture().cutoff, options);
    require(rfm.frequency.size() == rfm.keys.size() && rfm.monetary.size() == rfm.keys.size(),
            "rfm: columns of unequal length");
  });
}

void purchase_history(const std::string& path) {
  spend::history::HistoryReadOptions defaults;
  defaults.threads = 1;
  spend::history::HistoryReadOptions named = defaults;
  named.columns = {"customer_id", "datetime", "amount_gbp", "kind"};
  for (const auto& options : {defaults, named}) {
    accepts([&] {
      const spend::history::PurchaseHistory h =
          spend::history::read_purchase_history(path, options);
      require(h.transactions.size() == h.size() && h.first_purchase.size() == h.size(),
              "read_purchase_history: per-customer columns of unequal length");
      require(h.purchases + h.returns + h.zero_amount_rows == h.rows,
              "read_purchase_history: purchases, returns and zero rows do not add up to the rows");
      std::uint64_t kept = 0;
      for (const auto& list : h.transactions) {
        kept += list.size();
        for (std::size_t k = 1; k < list.size(); ++k)
          require(list[k - 1].time <= list[k].time, "read_purchase_history: not sorted by time");
      }
      require(kept == h.purchases + h.returns, "read_purchase_history: a transaction was lost");
    });
  }
}

void assignment(const std::string& path) {
  accepts([&] {
    const experiment::Assignment a = experiment::read_assignment(path);
    require(a.group.size() == a.players() && a.exposure.size() == a.players(),
            "read_assignment: columns of unequal length");
    std::size_t total = 0;
    for (const std::size_t size : a.group_sizes()) total += size;
    require(total == a.players(), "read_assignment: group sizes do not add up to the players");
  });
  accepts([&] {
    Table features;
    features.key_name = "player_id";
    features.keys = {"1", "2", "3", "4", "5"};
    spend::ProtocolOptions options;
    options.experiment_path = path;
    spend::split_players(features, options);
  });
}

void geo_files(std::string_view text, char kind) {
  const Fixture& f = fixture();
  const std::string path = scratch().write("geo.csv", text);
  switch (kind) {
    case 'k':
      accepts([&] {
        const geo::RegionSet set = geo::read_regions(path);
        require(set.index_by_code.size() == set.size(), "read_regions: codes != regions");
        geo::PlayersToPlace players;
        players.player_ids = {1, 2, 3, 4};
        players.ages = {18, 33, 52, 150};
        for (const std::uint32_t r : geo::place_players(set, players, 7))
          require(r < set.size(), "place_players: a player placed in a region that is not there");
      });
      break;
    case 'l':
      accepts([&] {
        for (const geo::Site& site : geo::read_sites(path, f.regions).sites)
          for (const std::uint32_t r : site.regions)
            require(r < f.regions.size(), "read_sites: a site reaches a region that is not there");
      });
      break;
    case 'm':
      accepts([&] {
        const geo::PlayerLocations l = geo::read_player_locations(path, f.regions);
        require(l.region.size() == l.player_ids.size(), "read_player_locations: lengths differ");
      });
      break;
    case 'n':
      for (const geo::GapHandling gaps : {geo::GapHandling::kError, geo::GapHandling::kDropRegion})
        accepts([&] {
          const geo::KpiPanel panel = geo::read_kpi(path, gaps);
          for (const auto& series : panel.value)
            require(series.size() == panel.days, "read_kpi: a series is not `days` long");
        });
      break;
    case 'o':
      accepts([&] {
        const geo::PlayersToPlace p = geo::read_players_to_place(path);
        const auto placed = geo::place_players(f.regions, p, 7);
        for (const std::uint32_t r : placed)
          require(r < f.regions.size(), "place_players: a region that is not there");
      });
      break;
    default:
      accepts([&] { geo::value_weights(path, "", f.locations); });
      for (const geo::Target t : {geo::Target::kPayer, geo::Target::kActive})
        accepts([&] { geo::segment_weights(path, t, f.locations); });
      break;
  }
}

}  // namespace
}  // namespace playsight::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace playsight::fuzz;
  if (size == 0) return 0;
  const unsigned char first = data[0];
  const bool skip = first >= 'A' && first < 'A' + kKinds;
  const char kind = static_cast<char>(first >= 'a' && first < 'a' + kKinds ? first
                                      : skip                               ? first - 'A' + 'a'
                                                                           : 'a' + first % kKinds);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (kind) {
    case 'a':
      raw(text, skip);
      break;
    case 'b':
      table(scratch().write("table.csv", text));
      break;
    case 'c':
      players(scratch().write("players.csv", text), skip);
      break;
    case 'd':
      items(scratch().write("items.csv", text), skip);
      break;
    case 'e':
    case 'f':
    case 'g':
    case 'h':
      events(text, kind, skip);
      break;
    case 'i':
      transactions(scratch().write("transactions.csv", text), skip);
      break;
    case 'j':
      assignment(scratch().write("experiment.csv", text));
      break;
    case 'q':
      purchase_history(scratch().write("history.csv", text));
      break;
    default:
      geo_files(text, kind);
      break;
  }
  return 0;
}
