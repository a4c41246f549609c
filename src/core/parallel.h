#pragma once
// Parallel loops over independent tasks. Workers pull task indices from a shared counter, so
// uneven tasks balance themselves. The first exception thrown by a task stops the handing out of
// new tasks and is rethrown in the caller once all workers have stopped.
//
// `threads` is always passed in by the caller (no global setting); 0 means "one per core".
#include <cstddef>
#include <functional>

namespace playsight {

// The number of worker threads to use for `requested` (0 = hardware concurrency, at least 1).
unsigned resolve_thread_count(unsigned requested);

// Calls task(task_index, worker_index) for every task_index in [0, task_count), on at most
// `threads` workers; worker_index is in [0, workers) and lets tasks use per-worker state.
// Returns the number of workers used.
unsigned parallel_for(std::size_t task_count, unsigned threads,
                      const std::function<void(std::size_t task, unsigned worker)>& task);

}  // namespace playsight
