#pragma once
// Minimum-cost assignment (the Hungarian method, Kuhn-Munkres with potentials): which detection
// belongs to which track, so that the total cost (1 - IoU) is smallest. SORT-style trackers use
// it every frame; the sizes are small (people in a frame), and O(n^2 m) is plenty.
//
// cost is rows x columns, row-major, any shape; every row is assigned to a distinct column when
// rows <= columns, else every column to a distinct row. Returns, per row, the column assigned or
// -1. Throws InputError for a cost that is not finite or a size that does not match.
// Thread-safety: pure function.
#include <cstddef>
#include <vector>

namespace playsight::audience {

std::vector<int> minimum_cost_assignment(const std::vector<double>& cost, std::size_t rows,
                                         std::size_t columns);

}  // namespace playsight::audience
