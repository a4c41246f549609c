#pragma once
// KPI panels: a daily KPI per region (new sign-ups, logins, top-ups, ...), the input of
// `playsight geo lift` and `geo design`.
//
// The CSV has the columns region_code, date (YYYY-MM-DD) and value (a non-negative number), one
// row per region and day, in any order. The panel spans the first to the last date of the file.
// A (region, date) given twice is an error. A region that lacks some dates of the span has a gap:
// by default that is an error naming the region, how many dates it lacks and the first of them;
// with GapHandling::kDropRegion such regions are left out, and counted and listed in the panel.
// Gaps are never filled in: an interpolated day would look like data.
// Thread-safety: values and pure functions.
#include <cstddef>
#include <string>
#include <vector>

#include "core/time.h"

namespace playsight::geo {

enum class GapHandling { kError, kDropRegion };
// "error" or "drop-region"; parse throws InputError naming --gaps for others.
GapHandling parse_gap_handling(const std::string& name);

struct KpiPanel {
  std::string path;
  std::vector<std::string> regions;  // codes, sorted
  Days first_day = 0;                // the span is [first_day, first_day + days)
  std::size_t days = 0;
  std::vector<std::vector<double>> value;    // value[region][day]
  std::vector<std::string> dropped_regions;  // regions left out for gaps (kDropRegion)
  std::size_t dropped_values = 0;            // values of those regions that were read

  std::int64_t index_of(const std::string& code) const;  // -1 when absent
};

KpiPanel read_kpi(const std::string& path, GapHandling gaps = GapHandling::kError);

// The panel's days up to and including `last` (the history before a campaign). Throws
// InputError naming --until when no day is left.
KpiPanel panel_until(const KpiPanel& panel, Days last);

// The panel indices of these region codes. Throws InputError with the count and the first of the
// codes that are not in the panel (saying so when regions were dropped for gaps).
std::vector<std::size_t> indices_of_treated(const KpiPanel& panel,
                                            const std::vector<std::string>& codes);

// Writes region_code,date,value rows (values with up to 6 decimals).
void write_kpi(const std::string& path, const KpiPanel& panel);

// Reads a list of region codes, one per line (blank lines and lines starting with # ignored; a
// CSV with a region_code column also works: its first column is taken when the header says so).
std::vector<std::string> read_region_list(const std::string& path);

}  // namespace playsight::geo
