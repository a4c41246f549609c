#include "core/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace playsight {
namespace {

std::string human_amount(double value, Progress::Unit unit) {
  char text[32];
  if (unit == Progress::Unit::kBytes) {
    std::snprintf(text, sizeof text, "%.0f MB", value / 1e6);
  } else if (value >= 1e6) {
    std::snprintf(text, sizeof text, "%.1fM", value / 1e6);
  } else if (value >= 1e3) {
    std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", value);
  }
  return text;
}

}  // namespace

bool Progress::enabled() {
  if (const char* forced = std::getenv("PLAYSIGHT_PROGRESS")) return std::strcmp(forced, "0") != 0;
  return isatty(STDERR_FILENO) != 0;
}

Progress::Progress(std::string label, std::uint64_t total, Unit unit)
    : label_(std::move(label)),
      total_(total),
      unit_(unit),
      enabled_(enabled()),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  finish();
}

void Progress::advance(std::uint64_t amount) {
  done_.fetch_add(amount, std::memory_order_relaxed);
  if (!enabled_) return;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - start_)
                               .count();
  std::int64_t next = next_draw_ns_.load(std::memory_order_relaxed);
  if (now < next || !next_draw_ns_.compare_exchange_strong(next, now + 100'000'000)) return;
  draw(false);
}

void Progress::draw(bool final_draw) {
  std::lock_guard lock(draw_mutex_);
  if (finished_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double done = static_cast<double>(done_.load(std::memory_order_relaxed));
  const double rate = elapsed > 0 ? done / elapsed : 0;
  std::string rate_text = human_amount(rate, unit_) + "/s";
  char line[256];
  if (total_ > 0) {
    const double fraction = std::min(1.0, done / static_cast<double>(total_));
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '-');
    const double eta = rate > 0 ? (static_cast<double>(total_) - done) / rate : 0;
    std::snprintf(line, sizeof line, "\r%s  [%s] %3.0f%%  %s  eta %.0fs\x1b[K", label_.c_str(),
                  bar.c_str(), fraction * 100, rate_text.c_str(), eta);
  } else {
    std::snprintf(line, sizeof line, "\r%s  %s  %s\x1b[K", label_.c_str(),
                  human_amount(done, unit_).c_str(), rate_text.c_str());
  }
  std::fputs(line, stderr);
  if (final_draw) std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

void Progress::finish(const std::string& summary) {
  if (!enabled_) return;
  draw(true);
  std::lock_guard lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "%s  done in %.1fs%s%s\n", label_.c_str(), elapsed,
               summary.empty() ? "" : "  ", summary.c_str());
}

}  // namespace playsight
