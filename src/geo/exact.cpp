#include "geo/exact.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "core/error.h"

namespace playsight::geo {
namespace {

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};

// What the branch-and-cut callback needs: the starting solution and the best bound seen.
struct SearchState {
  std::vector<double> start;  // 1-based column values, empty when there is none
  bool start_given = false;
  double best_bound = INFINITY;
};

void on_search_event(glp_tree* tree, void* info) {
  auto* state = static_cast<SearchState*>(info);
  const int reason = glp_ios_reason(tree);
  if (reason == GLP_IHEUR && !state->start.empty() && !state->start_given) {
    glp_ios_heur_sol(tree, state->start.data());
    state->start_given = true;
  }
  const int best = glp_ios_best_node(tree);
  if (best != 0) state->best_bound = glp_ios_node_bound(tree, best);
}

}  // namespace

std::string exact_solver_name() {
  return std::string("GLPK ") + glp_version();
}

ExactResult exact_selection(const CoverageProblem& problem, double budget,
                            const ExactOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const int sites = static_cast<int>(problem.sites.size());
  // Only regions that are worth something and that some site reaches need a variable.
  std::vector<std::vector<int>> reaching(problem.region_weight.size());
  for (int s = 0; s < sites; ++s)
    for (std::uint32_t r : problem.sites[s].regions) reaching[r].push_back(s);
  std::vector<std::uint32_t> regions;
  for (std::size_t r = 0; r < reaching.size(); ++r)
    if (problem.region_weight[r] > 0 && !reaching[r].empty())
      regions.push_back(static_cast<std::uint32_t>(r));

  std::unique_ptr<glp_prob, ProblemDeleter> lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MAX);
  glp_add_cols(lp.get(), sites + static_cast<int>(regions.size()));
  for (int s = 0; s < sites; ++s) {
    glp_set_col_kind(lp.get(), s + 1, GLP_BV);
    glp_set_obj_coef(lp.get(), s + 1, 0.0);
  }
  for (std::size_t k = 0; k < regions.size(); ++k) {
    const int column = sites + static_cast<int>(k) + 1;
    glp_set_col_bnds(lp.get(), column, GLP_DB, 0.0, 1.0);
    glp_set_obj_coef(lp.get(), column, problem.region_weight[regions[k]]);
  }
  // Row k: y_r - sum x_s <= 0; the last row: the budget.
  glp_add_rows(lp.get(), static_cast<int>(regions.size()) + 1);
  std::vector<int> index(1);
  std::vector<double> value(1);
  for (std::size_t k = 0; k < regions.size(); ++k) {
    const int row = static_cast<int>(k) + 1;
    index.resize(1);
    value.resize(1);
    index.push_back(sites + row);
    value.push_back(1.0);
    for (int s : reaching[regions[k]]) {
      index.push_back(s + 1);
      value.push_back(-1.0);
    }
    glp_set_row_bnds(lp.get(), row, GLP_UP, 0.0, 0.0);
    glp_set_mat_row(lp.get(), row, static_cast<int>(index.size()) - 1, index.data(), value.data());
  }
  const int budget_row = static_cast<int>(regions.size()) + 1;
  index.assign(1, 0);
  value.assign(1, 0.0);
  for (int s = 0; s < sites; ++s) {
    index.push_back(s + 1);
    value.push_back(problem.sites[s].cost);
  }
  glp_set_row_bnds(lp.get(), budget_row, GLP_UP, 0.0, budget);
  glp_set_mat_row(lp.get(), budget_row, sites, index.data(), value.data());

  SearchState state;
  if (options.start != nullptr) {
    state.start.assign(static_cast<std::size_t>(sites) + regions.size() + 1, 0.0);
    std::vector<bool> reached(problem.region_weight.size(), false);
    for (std::size_t s : options.start->sites) {
      state.start[s + 1] = 1.0;
      for (std::uint32_t r : problem.sites[s].regions) reached[r] = true;
    }
    for (std::size_t k = 0; k < regions.size(); ++k)
      state.start[static_cast<std::size_t>(sites) + k + 1] = reached[regions[k]] ? 1.0 : 0.0;
  }

  glp_smcp simplex;
  glp_init_smcp(&simplex);
  simplex.msg_lev = GLP_MSG_OFF;
  if (glp_simplex(lp.get(), &simplex) != 0 || glp_get_status(lp.get()) != GLP_OPT)
    throw Error("GLPK: the linear relaxation of the coverage program did not solve");
  const double relaxation = glp_get_obj_val(lp.get());

  glp_iocp mip;
  glp_init_iocp(&mip);
  mip.msg_lev = GLP_MSG_OFF;
  mip.presolve = GLP_OFF;  // the callback's starting solution is in the original columns
  mip.cov_cuts = GLP_ON;
  mip.mir_cuts = GLP_ON;
  mip.tm_lim = static_cast<int>(std::min(options.time_limit_seconds * 1000.0, 2.0e9));
  mip.cb_func = on_search_event;
  mip.cb_info = &state;
  const int terminal = glp_term_out(GLP_OFF);  // the cut generators print even at GLP_MSG_OFF
  const int code = glp_intopt(lp.get(), &mip);
  glp_term_out(terminal);
  if (code != 0 && code != GLP_ETMLIM)
    throw Error("GLPK: the coverage program failed (glp_intopt returned " + std::to_string(code) +
                ")");

  ExactResult result;
  result.variables = static_cast<std::size_t>(glp_get_num_cols(lp.get()));
  result.constraints = static_cast<std::size_t>(glp_get_num_rows(lp.get()));
  const int status = glp_mip_status(lp.get());
  result.optimal = code == 0 && status == GLP_OPT;
  Selection& selection = result.selection;
  selection.method = "exact";
  if (status == GLP_OPT || status == GLP_FEAS) {
    for (int s = 0; s < sites; ++s)
      if (glp_mip_col_val(lp.get(), s + 1) > 0.5) selection.sites.push_back(s);
  } else if (options.start != nullptr) {
    selection.sites = options.start->sites;
  }
  // Ranked by weight reached alone, the way a planner reads the list.
  std::sort(selection.sites.begin(), selection.sites.end(), [&](std::size_t a, std::size_t b) {
    const std::size_t sa[] = {a}, sb[] = {b};
    return problem.value(sa) > problem.value(sb);
  });
  std::vector<bool> reached(problem.region_weight.size(), false);
  for (std::size_t s : selection.sites) {
    double gain = 0;
    for (std::uint32_t r : problem.sites[s].regions) {
      if (!reached[r]) gain += problem.region_weight[r];
      reached[r] = true;
    }
    selection.gains.push_back(gain);
    selection.value += gain;
    selection.cost += problem.sites[s].cost;
  }
  result.upper_bound = result.optimal
                           ? selection.value
                           : std::min(relaxation, std::max(state.best_bound, selection.value));
  result.gap =
      result.upper_bound > 0 ? (result.upper_bound - selection.value) / result.upper_bound : 0;
  if (result.optimal) result.gap = 0;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace playsight::geo
