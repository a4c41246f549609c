#include "simulate/detail/simulation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "gamelog/schema.h"
#include "simulate/detail/player.h"
#include "simulate/detail/rates.h"

namespace playsight::simulate::detail {

using namespace gamelog;  // the schema of the files written
namespace {

constexpr Seconds kMinPlaySeconds = 30;
constexpr Seconds kMaxPlaySeconds = 6 * 3600;
constexpr double kBuyAfterTopupProbability = 0.75;
constexpr double kCouponProbability = 0.06;
constexpr int kMaxPurchasesPerVisit = 8;
constexpr int kItemsLookedAt = 3;

struct Session {
  Seconds start = 0;
  Seconds play_seconds = 0;
};

// What a player carries from visit to visit.
struct Wallet {
  std::int64_t balance_krw = 0;
  Seconds clock = 0;  // time of the player's latest shop event
};

// Everything one player's simulation needs, so the steps below stay small.
class PlayerSimulation {
 public:
  PlayerSimulation(const World& world, const Player& player, BlockOutput& out)
      : world_(world),
        player_(player),
        out_(out),
        life_(world.seed, static_cast<std::uint64_t>(player.id), kLifeStream),
        topup_stream_(world.seed, static_cast<std::uint64_t>(player.id), kTopupStream),
        shop_(world.seed, static_cast<std::uint64_t>(player.id), kShopStream) {}

  void run() {
    const Days first = std::max(player_.signup_day, world_.log_start);
    const Days last = std::min(player_.churn_day, world_.log_end);
    for (Days day = first; day < last; ++day) simulate_day(day);
  }

  double realised_control() const { return realised_control_; }
  double realised_nudged() const { return realised_nudged_; }

 private:
  void simulate_day(Days day) {
    if (!bernoulli(life_, login_probability(world_, player_, day))) return;
    const int count = 1 + static_cast<int>(std::min<std::int64_t>(
                              poisson(life_, player_.extra_sessions), kMaxExtraSessions));
    std::array<Session, 1 + kMaxExtraSessions> sessions;
    for (int k = 0; k < count; ++k) {
      Session& session = sessions[static_cast<std::size_t>(k)];
      const auto hour = static_cast<Seconds>(world_.session_hour.sample(life_));
      session.start = day * kSecondsPerDay + hour * 3600 + static_cast<Seconds>(life_.below(3600));
      const double play = lognormal(life_, player_.session_log_mean, player_.session_log_sd);
      session.play_seconds =
          std::clamp(static_cast<Seconds>(std::llround(play)), kMinPlaySeconds, kMaxPlaySeconds);
    }
    // Insertion sort by start: at most eight sessions.
    for (int k = 1; k < count; ++k) {
      const Session moving = sessions[static_cast<std::size_t>(k)];
      int j = k;
      for (; j > 0 && sessions[static_cast<std::size_t>(j) - 1].start > moving.start; --j) {
        sessions[static_cast<std::size_t>(j)] = sessions[static_cast<std::size_t>(j) - 1];
      }
      sessions[static_cast<std::size_t>(j)] = moving;
    }
    // A player plays one session at a time: a session ends before the next one starts.
    for (int k = 0; k + 1 < count; ++k) {
      Session& session = sessions[static_cast<std::size_t>(k)];
      const Seconds gap = sessions[static_cast<std::size_t>(k) + 1].start - session.start;
      session.play_seconds = std::max(kMinPlaySeconds, std::min(session.play_seconds, gap - 10));
    }
    for (int k = 0; k < count; ++k) simulate_session(day, sessions[static_cast<std::size_t>(k)]);
  }

  void simulate_session(Days day, const Session& session) {
    record_login(session);
    if (!bernoulli(life_, visit_probability(world_, player_, day))) return;
    // The visit comes during the session, never before the player's previous shop event, and
    // the visit's events stay within the day.
    const Seconds day_end = (day + 1) * kSecondsPerDay - 1;
    const Seconds offset =
        static_cast<Seconds>(life_.below(static_cast<std::uint64_t>(session.play_seconds)));
    wallet_.clock = std::min(day_end, std::max(session.start + offset, wallet_.clock + 1));
    record_visit(wallet_.clock);

    const VisitDraws draws = VisitDraws::draw(topup_stream_);
    VisitTopups topups = decide_visit_topups(world_, player_, day, nullptr, draws);
    if (day >= world_.cutoff) {
      const bool after_exposure = session.start >= player_.exposure_time;
      const VisitTopups nudged =
          after_exposure ? decide_visit_topups(world_, player_, day, &player_.response, draws)
                         : topups;
      realised_control_ += static_cast<double>(topups.total());
      realised_nudged_ += static_cast<double>(nudged.total());
      if (player_.group >= 0) topups = nudged;
    }
    // Top-ups come a little after entering the shop; an impulse one follows the regular one.
    const double timing = draws.u[6];
    if (topups.regular_krw > 0) {
      record_topup(std::min(day_end, wallet_.clock + 5 + static_cast<Seconds>(timing * 90)),
                   topups.regular_krw);
    }
    if (topups.impulse_krw > 0) {
      const double second_timing = timing * 97.0 - std::floor(timing * 97.0);
      record_topup(
          std::min(day_end, wallet_.clock + 20 + static_cast<Seconds>(second_timing * 240)),
          topups.impulse_krw);
    }
    shop_for_items(day, day_end, topups.total() > 0);
  }

  void record_login(const Session& session) {
    TextBuffer& text = out_.out(OutputFile::kLogins);
    text.append_int(player_.id);
    text.append(',');
    world_.append_timestamp(text, session.start);
    text.append(',');
    text.append_int(session.play_seconds);
    text.append('\n');
    out_.count(OutputFile::kLogins);
  }

  void record_visit(Seconds time) {
    TextBuffer& text = out_.out(OutputFile::kShopVisits);
    text.append_int(player_.id);
    text.append(',');
    world_.append_timestamp(text, time);
    text.append('\n');
    out_.count(OutputFile::kShopVisits);
  }

  void record_topup(Seconds time, std::int64_t amount_krw) {
    wallet_.clock = time;
    wallet_.balance_krw += amount_krw;
    TextBuffer& text = out_.out(OutputFile::kTopups);
    text.append_int(player_.id);
    text.append(',');
    world_.append_timestamp(text, time);
    text.append(',');
    text.append_int(amount_krw);
    text.append('\n');
    out_.count(OutputFile::kTopups);
  }

  void shop_for_items(Days day, Seconds day_end, bool topped_up) {
    if (wallet_.balance_krw <= 0) return;
    if (!bernoulli(shop_, topped_up ? kBuyAfterTopupProbability : player_.purchase_appetite)) {
      return;
    }
    const Sale& sale = world_.sale_on(day);
    const AliasTable& choice = world_.item_choice[static_cast<std::size_t>(player_.taste_cluster)];
    for (int purchase = 0; purchase < kMaxPurchasesPerVisit; ++purchase) {
      // The player looks at a few items they like and takes the dearest they can afford.
      const Item* bought = nullptr;
      std::int64_t price = 0;
      for (int look = 0; look < kItemsLookedAt; ++look) {
        const Item& item = world_.items[choice.sample(shop_)];
        const std::int64_t candidate = paid_price(item, sale, bernoulli(shop_, kCouponProbability));
        if (candidate <= wallet_.balance_krw && candidate > price) {
          bought = &item;
          price = candidate;
        }
      }
      if (bought == nullptr) return;
      wallet_.clock =
          std::min(day_end, wallet_.clock + 15 + static_cast<Seconds>(shop_.below(240)));
      wallet_.balance_krw -= price;
      TextBuffer& text = out_.out(OutputFile::kPurchases);
      text.append_int(player_.id);
      text.append(',');
      world_.append_timestamp(text, wallet_.clock);
      text.append(',');
      text.append_int(bought->id);
      text.append(',');
      text.append_int(price);
      text.append('\n');
      out_.count(OutputFile::kPurchases);
      // Players with much cash for their habits keep shopping.
      const auto balance = static_cast<double>(wallet_.balance_krw);
      if (!bernoulli(shop_, balance / (balance + 3.0 * player_.spend_scale))) return;
    }
  }

  const World& world_;
  const Player& player_;
  BlockOutput& out_;
  Rng life_;
  Rng topup_stream_;
  Rng shop_;
  Wallet wallet_;
  double realised_control_ = 0;
  double realised_nudged_ = 0;
};

std::string_view group_name_of(const Player& player, std::string& storage) {
  if (player.group < 0) return kControlGroup;
  storage = nudge_group_name(player.group);
  return storage;
}

void write_player_row(const Player& player, BlockOutput& out) {
  TextBuffer& text = out.out(OutputFile::kPlayers);
  text.append_int(player.id);
  text.append(',');
  text.append(player.gender);
  text.append(',');
  text.append_int(player.age);
  text.append(',');
  text.append_date(player.signup_day);
  text.append('\n');
  out.count(OutputFile::kPlayers);
}

void write_experiment_row(const Player& player, std::string_view group, BlockOutput& out) {
  TextBuffer& text = out.out(OutputFile::kExperiment);
  text.append_int(player.id);
  text.append(',');
  text.append(group);
  text.append(',');
  text.append_timestamp(player.exposure_time);
  text.append('\n');
  out.count(OutputFile::kExperiment);
}

void write_truth_row(const World& world, const Player& player, std::string_view group,
                     const PlayerSimulation& simulation, BlockOutput& out) {
  const double expected_control = expected_label_topups(world, player, false);
  const double expected_nudged = expected_label_topups(world, player, true);
  TextBuffer& text = out.out(OutputFile::kNudgeTruth);
  text.append_int(player.id);
  text.append(',');
  text.append(group);
  text.append(',');
  text.append_fixed(expected_control, 2);
  text.append(',');
  text.append_fixed(expected_nudged, 2);
  text.append(',');
  text.append_fixed(expected_nudged - expected_control, 2);
  text.append(',');
  text.append_double(simulation.realised_control());
  text.append(',');
  text.append_double(simulation.realised_nudged());
  text.append('\n');
  out.count(OutputFile::kNudgeTruth);
}

}  // namespace

std::int64_t paid_price(const Item& item, const Sale& sale, bool coupon) {
  int percent = sale.category < 0 || sale.category == item.category ? sale.discount_percent : 0;
  if (coupon) percent = std::max(percent, 10);
  // Rounded to the nearest 10 KRW.
  return (item.price_krw * (100 - percent) + 500) / 1000 * 10;
}

void simulate_player(const World& world, std::int64_t id, BlockOutput& out) {
  const Player player = draw_player(world, id);
  std::string group_storage;
  const std::string_view group = group_name_of(player, group_storage);
  write_player_row(player, out);
  write_experiment_row(player, group, out);

  PlayerSimulation simulation(world, player, out);
  simulation.run();
  write_truth_row(world, player, group, simulation, out);

  out.label_topups_krw.push_back(player.group >= 0 ? simulation.realised_nudged()
                                                   : simulation.realised_control());
  ++out.group_players[static_cast<std::size_t>(player.group + 1)];
  if (player.churn_day < world.cutoff)
    ++out.churned_in_history;
  else if (player.churn_day < world.log_end)
    ++out.churned_in_label;
}

}  // namespace playsight::simulate::detail
