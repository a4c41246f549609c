#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/random.h"
#include "spend/clv/bgnbd.h"
#include "spend/clv/simulation.h"
#include "spend/clv/special_functions.h"

namespace playsight::spend::clv {
namespace {

// The CDNOW estimates of Fader, Hardie & Lee (2005), time in weeks.
const BgNbdParameters kCdnow{0.243, 4.414, 0.793, 2.426};

TEST(ClvBgNbd, LogLikelihoodAtCdnowParameters) {
  // x = 0: ln L = r ln(alpha / (alpha + T)) = 0.243 ln(4.414 / 43.274) = -0.554713...
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 0, 0, 38.86), 0.243 * std::log(4.414 / 43.274), 1e-13);
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 0, 0, 38.86), -0.55471327643815844789, 1e-13);
  // Observed for no time at all: the likelihood of "nothing happened" is 1.
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 0, 0, 0), 0.0, 1e-15);
  // Repeat customers; references from the closed form in mpmath (30 digits).
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 2, 30.43, 38.86), -9.4586063070662712187, 1e-12);
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 1, 1.71, 38.86), -4.4690932750325884852, 1e-12);
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 5, 36.0, 38.86), -17.906027369348024344, 1e-12);
  EXPECT_NEAR(bgnbd_log_likelihood(kCdnow, 29, 37.14, 38.86), -44.40599283248876053, 1e-11);
  const std::vector<double> x{0, 2, 1, 0, 5, 29}, t_x{0, 30.43, 1.71, 0, 36.0, 37.14},
      T{38.86, 38.86, 38.86, 0, 38.86, 38.86};
  EXPECT_NEAR(bgnbd_total_log_likelihood(kCdnow, x, t_x, T), -76.794433060373803026, 1e-11);
}

TEST(ClvBgNbd, ConditionalExpectationMatchesThePaper) {
  // Fader, Hardie & Lee (2005), section 4: a CDNOW customer with x = 2, t_x = 30.43, T = 38.86
  // is expected to make 1.226 purchases in the next 39 weeks.
  EXPECT_NEAR(bgnbd_expected_purchases(kCdnow, 39, 2, 30.43, 38.86), 1.226, 5e-4);
  // 30-digit reference (mpmath, the paper's 2F1 form; also a direct integral over p).
  EXPECT_NEAR(bgnbd_expected_purchases(kCdnow, 39, 2, 30.43, 38.86), 1.22602817476714446372, 1e-12);
  EXPECT_NEAR(bgnbd_expected_purchases(kCdnow, 30, 5, 20, 25), 3.17247881204485747324, 1e-11);
  EXPECT_NEAR(bgnbd_expected_purchases(kCdnow, 10, 1, 0.5, 1), 1.27141672129467214877, 1e-12);
  // A horizon 2000 times alpha + T: far outside the paper's series' comfortable range.
  EXPECT_NEAR(bgnbd_expected_purchases(kCdnow, 1000, 0, 0, 0.5), 6.29561200011669097802, 1e-10);
  EXPECT_EQ(bgnbd_expected_purchases(kCdnow, 0, 2, 30.43, 38.86), 0.0);
}

// The paper's expression, evaluated directly with hypergeometric_2f1 (fine away from a = 1).
double paper_expectation(const BgNbdParameters& p, double t, double x, double t_x, double T) {
  const double c = p.a + p.b + x - 1;
  const double bracket = 1 - std::pow((p.alpha + T) / (p.alpha + T + t), p.r + x) *
                                 hypergeometric_2f1(p.r + x, p.b + x, c, t / (p.alpha + T + t));
  const double alive_odds =
      x > 0 ? p.a / (p.b + x - 1) * std::pow((p.alpha + T) / (p.alpha + t_x), p.r + x) : 0.0;
  return c / (p.a - 1) * bracket / (1 + alive_odds);
}

TEST(ClvBgNbd, ConditionalExpectationEqualsThePapersFormula) {
  for (const BgNbdParameters& p :
       {kCdnow, BgNbdParameters{1.3, 25.0, 2.4, 6.1}, BgNbdParameters{0.6, 80.0, 0.3, 0.4}}) {
    for (const double t : {1.0, 7.0, 30.0, 90.0}) {
      for (const auto& [x, t_x, T] : {std::array{0.0, 0.0, 10.0}, std::array{3.0, 8.0, 60.0},
                                      std::array{12.0, 100.0, 119.0}}) {
        const double expected = paper_expectation(p, t, x, t_x, T);
        EXPECT_NEAR(bgnbd_expected_purchases(p, t, x, t_x, T), expected, 1e-10 * expected)
            << p.r << " " << p.a << " t=" << t << " x=" << x;
      }
    }
  }
}

TEST(ClvBgNbd, NonRepeatCustomers) {
  // x = 0: always "alive" in the model, and the expectation is the new-customer curve
  // (a + b - 1)/(a - 1) [1 - (alpha/(alpha + t))^r 2F1(r, b; a + b - 1; t/(alpha + t))] with
  // alpha + T in place of alpha.
  const BgNbdParameters& p = kCdnow;
  EXPECT_EQ(bgnbd_probability_alive(p, 0, 0, 38.86), 1.0);
  for (const double T : {0.0, 5.0, 38.86}) {
    for (const double t : {1.0, 39.0, 78.0}) {
      const double alpha = p.alpha + T;
      const double expected =
          (p.a + p.b - 1) / (p.a - 1) *
          (1 - std::pow(alpha / (alpha + t), p.r) *
                   hypergeometric_2f1(p.r, p.b, p.a + p.b - 1, t / (alpha + t)));
      EXPECT_NEAR(bgnbd_expected_purchases(p, t, 0, 0, T), expected, 1e-12) << T << " " << t;
    }
  }
  // 39 weeks for a one-time CDNOW buyer observed for 38.86 weeks (mpmath).
  EXPECT_NEAR(bgnbd_expected_purchases(p, 39, 0, 0, 38.86), 0.19509805201126264099, 1e-13);
  EXPECT_NEAR(bgnbd_expected_purchases_of_new_customer(p, 39),
              bgnbd_expected_purchases(p, 39, 0, 0, 0), 0.0);
  // The longer a customer has gone without a repeat purchase, the fewer they are expected to make.
  EXPECT_GT(bgnbd_expected_purchases(p, 30, 0, 0, 5), bgnbd_expected_purchases(p, 30, 0, 0, 50));
}

TEST(ClvBgNbd, ExpectationIsContinuousThroughAEqualsOne) {
  // The paper's form divides by a - 1; ours does not.
  BgNbdParameters p{0.5, 10.0, 1.0, 3.0};
  const double at_one = bgnbd_expected_purchases(p, 30, 2, 20, 40);
  p.a = 1.0 + 1e-9;
  const double above = bgnbd_expected_purchases(p, 30, 2, 20, 40);
  p.a = 1.0 - 1e-9;
  const double below = bgnbd_expected_purchases(p, 30, 2, 20, 40);
  EXPECT_TRUE(std::isfinite(at_one));
  EXPECT_NEAR(at_one, above, 1e-8);
  EXPECT_NEAR(at_one, below, 1e-8);
}

TEST(ClvBgNbd, ConditionalExpectationAtExtremeParameters) {
  // A fit at the no-drop-out edge (a -> 0, b -> infinity; what the demo game log gives) and long
  // horizons: large series parameters and arguments near 1 (references: mpmath, 40 digits).
  const BgNbdParameters edge{8.6, 164.0, 7.3e-7, 33105.0};
  EXPECT_NEAR(bgnbd_expected_purchases(edge, 365, 0, 0, 0), 19.140243897931232507, 1e-9);
  EXPECT_NEAR(bgnbd_expected_purchases(edge, 3650, 40, 100, 119), 626.8197831942860548, 1e-7);
  // a > 2 and t / (alpha + T) = 2500.
  EXPECT_NEAR(bgnbd_expected_purchases({0.3, 2.0, 5.0, 0.5}, 5000, 0, 0, 0), 1.0128680707052740938,
              1e-10);
}

TEST(ClvBgNbd, ProbabilityAlive) {
  // 1 / (1 + a/(b + x - 1) ((alpha + T)/(alpha + t_x))^(r + x))
  const double odds = 0.793 / (2.426 + 1) * std::pow((4.414 + 38.86) / (4.414 + 30.43), 2.243);
  EXPECT_NEAR(bgnbd_probability_alive(kCdnow, 2, 30.43, 38.86), 1 / (1 + odds), 1e-14);
  // A customer whose last purchase is the end of observation is most likely alive.
  EXPECT_GT(bgnbd_probability_alive(kCdnow, 5, 38.86, 38.86),
            bgnbd_probability_alive(kCdnow, 5, 10, 38.86));
}

// Customers observed for 27 to 39 weeks, like the CDNOW cohort.
std::vector<double> cohort_ages(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> ages(n);
  for (double& T : ages) T = rng.uniform(27.0, 39.0);
  return ages;
}

TEST(ClvBgNbd, MaximumLikelihoodRecoversSimulatedParameters) {
  const SimulatedCustomers data = simulate_bgnbd(kCdnow, cohort_ages(10000, 11), 39.0, 12);
  const BgNbdFit fit = fit_bgnbd(data.frequency, data.recency, data.age, {});
  const BgNbdParameters& p = fit.parameters;
  const std::vector<double>& se = fit.diagnostics.standard_errors;
  ASSERT_TRUE(fit.diagnostics.converged) << fit.diagnostics.optimiser_status;
  ASSERT_EQ(se.size(), 4u);
  // Each estimate lies within 3 standard errors of the truth; the standard errors are small
  // enough for that to mean something (CDNOW's 2,357 customers give about 0.013, 0.38, 0.19, 0.71).
  EXPECT_NEAR(p.r, kCdnow.r, 3 * se[0]);
  EXPECT_NEAR(p.alpha, kCdnow.alpha, 3 * se[1]);
  EXPECT_NEAR(p.a, kCdnow.a, 3 * se[2]);
  EXPECT_NEAR(p.b, kCdnow.b, 3 * se[3]);
  EXPECT_LT(se[0], 0.1 * kCdnow.r);
  EXPECT_LT(se[1], 0.15 * kCdnow.alpha);
  EXPECT_LT(se[2], 0.25 * kCdnow.a);
  EXPECT_LT(se[3], 0.35 * kCdnow.b);
  // The maximum is a maximum: at least as likely as the true parameters.
  EXPECT_GE(fit.diagnostics.log_likelihood,
            bgnbd_total_log_likelihood(kCdnow, data.frequency, data.recency, data.age));
  EXPECT_NEAR(fit.diagnostics.log_likelihood,
              bgnbd_total_log_likelihood(p, data.frequency, data.recency, data.age), 1e-6);

  // The predictions for the next 39 weeks add up to what the simulated customers did. Heavy
  // buyers make the total noisy (its sampling error is about 2%, from 8 seeds): within 5% with
  // the true parameters, within 8% with the fitted ones.
  double with_truth = 0, with_fit = 0, actual = 0;
  for (std::size_t i = 0; i < data.age.size(); ++i) {
    const double x = data.frequency[i], t_x = data.recency[i], T = data.age[i];
    with_truth += bgnbd_expected_purchases(kCdnow, 39, x, t_x, T);
    with_fit += bgnbd_expected_purchases(p, 39, x, t_x, T);
    actual += data.future_purchases[i];
  }
  EXPECT_NEAR(with_truth / actual, 1.0, 0.05) << with_truth << " vs " << actual;
  EXPECT_NEAR(with_fit / actual, 1.0, 0.08) << with_fit << " vs " << actual;
}

TEST(ClvBgNbd, DerivativeFreeOptimiserFindsTheSameOptimum) {
  const SimulatedCustomers data = simulate_bgnbd(kCdnow, cohort_ages(3000, 21), 0.0, 22);
  const BgNbdFit lbfgs = fit_bgnbd(data.frequency, data.recency, data.age, {});
  FitOptions subplex_options;
  subplex_options.optimiser = Optimiser::kSubplex;
  subplex_options.max_evaluations = 20000;
  const BgNbdFit subplex = fit_bgnbd(data.frequency, data.recency, data.age, subplex_options);
  EXPECT_NEAR(lbfgs.diagnostics.log_likelihood, subplex.diagnostics.log_likelihood, 1e-6);
  EXPECT_NEAR(lbfgs.parameters.r, subplex.parameters.r, 1e-3 * lbfgs.parameters.r);
  EXPECT_NEAR(lbfgs.parameters.alpha, subplex.parameters.alpha, 1e-3 * lbfgs.parameters.alpha);
  EXPECT_NEAR(lbfgs.parameters.a, subplex.parameters.a, 1e-3 * lbfgs.parameters.a);
  EXPECT_NEAR(lbfgs.parameters.b, subplex.parameters.b, 1e-3 * lbfgs.parameters.b);
}

TEST(ClvBgNbd, FitIsTheSameForAnyThreadCount) {
  const SimulatedCustomers data = simulate_bgnbd(kCdnow, cohort_ages(40000, 31), 0.0, 32);
  FitOptions one;
  one.threads = 1;
  FitOptions four;
  four.threads = 4;
  const BgNbdFit a = fit_bgnbd(data.frequency, data.recency, data.age, one);
  const BgNbdFit b = fit_bgnbd(data.frequency, data.recency, data.age, four);
  EXPECT_EQ(a.parameters.r, b.parameters.r);
  EXPECT_EQ(a.parameters.b, b.parameters.b);
  EXPECT_EQ(a.diagnostics.log_likelihood, b.diagnostics.log_likelihood);
}

TEST(ClvBgNbd, BadInputsAreInputErrors) {
  const std::vector<double> none;
  EXPECT_THROW(fit_bgnbd(none, none, none, {}), InputError);
  const std::vector<double> zeros{0, 0, 0}, ages{3, 4, 5};
  try {
    fit_bgnbd(zeros, zeros, ages, {});
    FAIL() << "fitted on customers without a repeat purchase";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("repeat purchase"), std::string::npos) << error.what();
  }
  const std::vector<double> x{1, 2}, t_x{3, 9}, T{5, 8};  // t_x > T for customer 1
  try {
    fit_bgnbd(x, t_x, T, {});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("customer 1"), std::string::npos) << error.what();
  }
  const std::vector<double> fractional{1.5}, one_tx{1}, one_T{2};
  EXPECT_THROW(fit_bgnbd(fractional, one_tx, one_T, {}), InputError);
  EXPECT_THROW(fit_bgnbd(x, t_x, std::vector<double>{1}, {}), InputError);
  EXPECT_THROW(bgnbd_expected_purchases(kCdnow, -1, 0, 0, 1), InputError);
}

}  // namespace
}  // namespace playsight::spend::clv
