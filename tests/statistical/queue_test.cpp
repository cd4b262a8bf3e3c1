// A supervision pool with Poisson arrivals and exponential holding times is
// an M/M/c queue: its mean wait, utilisation and Little's law are known.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "tests/support/run_memory.hpp"
#include "tests/support/scenario_text.hpp"

using namespace tsim;

namespace {

// Erlang C: probability of waiting in M/M/c with offered load a = lambda/mu.
double erlang_c(int c, double a) {
  double term = 1, sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);  // a^c/c! * c/(c-a)
  return top / (sum + top);
}

struct BatchMeans {
  std::vector<double> sum, weight;
  explicit BatchMeans(std::size_t k) : sum(k, 0), weight(k, 0) {}
  void add(std::size_t b, double v, double w = 1) {
    sum[b] += v;
    weight[b] += w;
  }
  double mean() const {
    double s = 0, w = 0;
    for (std::size_t i = 0; i < sum.size(); ++i) s += sum[i], w += weight[i];
    return s / w;
  }
  // Standard error from the spread of batch means (batches long compared with
  // the queue's relaxation time, so nearly independent).
  double se() const {
    const double m = mean();
    double v = 0;
    for (std::size_t i = 0; i < sum.size(); ++i) v += std::pow(sum[i] / weight[i] - m, 2);
    return std::sqrt(v / (sum.size() - 1) / sum.size());
  }
};

}  // namespace

TEST(Queue, PoolWithPoissonArrivalsIsMMc) {
  // lambda = 2 per day, c = 5 slots, holding Exp(mean 2 days): a = 4, rho = 0.8.
  const double lambda = 2, mu = 0.5;
  const int c = 5;
  const auto l = test::load(R"toml(
[scenario]
name = "mmc"
start_date = 2000-01-01
horizon_days = 302000
census = { every_days = 1000 }
[pools.slots]
capacity = 5
[states.waiting]
kind = "training"
needs = "slots"
[states.served]
kind = "exit"
[routes.arrivals]
enters = "waiting"
intake = { poisson_per_day = 2 }
[[transitions]]
from = "waiting"
after_days = { exponential = { mean = 2 } }
to = "served"
)toml");
  const auto s = test::run_in_memory(l, 21);
  const int granted = l.spec.event_index("slots_granted");
  // Measure over [2000, 302000) days (about 600,000 customers) in 30 batches of
  // 10,000 days; the first 2000 days are warm-up.
  const double t0 = 2000, t1 = 302000, width = 10000;
  const std::size_t batches = 30;
  BatchMeans wait(batches), queue(batches), busy(batches);
  std::map<int, double> arrived;
  double last = 0, q = 0, in_use = 0;
  auto integrate = [&](double until) {
    // Time-weighted queue length and busy slots between events, split at batch edges.
    while (last < until) {
      const double edge = std::min(until, last < t0 ? t0 : t0 + (std::floor((last - t0) / width) + 1) * width);
      if (last >= t0) {
        const auto b = static_cast<std::size_t>((last - t0) / width);
        if (b < batches) {
          queue.add(b, q * (edge - last), edge - last);
          busy.add(b, in_use * (edge - last), edge - last);
        }
      }
      last = edge;
    }
  };
  for (const auto& e : test::events(s)) {
    integrate(std::min(e.day, t1));
    if (e.from_state == -1) {
      arrived[e.person_id] = e.day;
      q += 1;
    } else if (e.event == granted) {
      q -= 1;
      in_use += 1;
      if (arrived[e.person_id] >= t0 && arrived[e.person_id] < t1)
        wait.add(static_cast<std::size_t>((arrived[e.person_id] - t0) / width), e.day - arrived[e.person_id]);
    } else {
      in_use -= 1;
    }
  }
  integrate(t1);
  const double wq = erlang_c(c, lambda / mu) / (c * mu - lambda);  // 1.108 days
  // Mean wait against Erlang C: 4 batch-means standard errors (30 batches).
  EXPECT_NEAR(wait.mean(), wq, 4 * wait.se()) << "se " << wait.se();
  std::printf("mean wait %.4f days (Erlang C %.4f, batch s.e. %.4f); busy %.4f; L %.4f vs lambda W %.4f\n", wait.mean(), wq,
              wait.se(), busy.mean() / c, queue.mean(), wait.mean() * 2);
  // Utilisation rho = lambda / (c mu) = 0.8.
  EXPECT_NEAR(busy.mean() / c, lambda / (c * mu), 4 * busy.se() / c);
  // Little's law L = lambda W, with lambda and W measured on the same path.
  const double lambda_hat = static_cast<double>(std::count_if(arrived.begin(), arrived.end(), [&](auto& kv) {
                              return kv.second >= t0 && kv.second < t1;
                            })) / (t1 - t0);
  EXPECT_NEAR(queue.mean(), lambda_hat * wait.mean(), 4 * queue.se());
  EXPECT_NEAR(lambda_hat, lambda, 4 * std::sqrt(lambda / (t1 - t0)));
}

// Two classes share a pool with non-preemptive priority: Poisson arrivals of
// 1 a day each (routes "first" and "second"), c = 3 slots, holding Exp(mean 1
// day), so a = 2 and rho = 2/3. With equal holding times, class k waits
// W_k = C(c, a) / (c mu) / ((1 - s_{k-1})(1 - s_k)), s_k the load of classes
// 1..k (Cobham): W_1 = 0.2222 and W_2 = 0.6667 days (FIFO would give both 0.4444).
TEST(Queue, PriorityPoolServesClassesByCobhamsFormula) {
  const double mu = 1, lambda1 = 1, lambda2 = 1;
  const int c = 3;
  const auto l = test::load(R"toml(
[scenario]
name = "priority"
start_date = 2000-01-01
horizon_days = 302000
census = { every_days = 1000 }
[pools.slots]
capacity = 3
discipline = "priority"
priority = { by = "route", order = ["first", "second"] }
[states.waiting]
kind = "training"
needs = "slots"
[states.served]
kind = "exit"
[routes.first]
enters = "waiting"
intake = { poisson_per_day = 1 }
[routes.second]
enters = "waiting"
intake = { poisson_per_day = 1 }
[[transitions]]
from = "waiting"
after_days = { exponential = { mean = 1 } }
to = "served"
)toml");
  const auto s = test::run_in_memory(l, 23);
  const int granted = l.spec.event_index("slots_granted");
  const auto& route = s.persons()[model::cols::persons::route];
  const double t0 = 2000, width = 10000;
  const std::size_t batches = 30;
  std::vector<BatchMeans> wait(2, BatchMeans(batches));
  std::map<int, double> arrived;
  for (const auto& e : test::events(s)) {
    if (e.from_state == -1) arrived[e.person_id] = e.day;
    if (e.event != granted) continue;
    const double a = arrived[e.person_id];
    if (a < t0 || a >= t0 + width * batches) continue;
    wait[static_cast<std::size_t>(route[static_cast<std::size_t>(e.person_id)])].add(
        static_cast<std::size_t>((a - t0) / width), e.day - a);
  }
  const double k = erlang_c(c, (lambda1 + lambda2) / mu) / (c * mu);
  const double s1 = lambda1 / (c * mu), s2 = (lambda1 + lambda2) / (c * mu);
  const double w1 = k / (1 - s1), w2 = k / ((1 - s1) * (1 - s2));
  std::printf("priority waits %.4f (Cobham %.4f, s.e. %.4f), %.4f (Cobham %.4f, s.e. %.4f)\n", wait[0].mean(), w1,
              wait[0].se(), wait[1].mean(), w2, wait[1].se());
  // 4 batch-means standard errors (30 batches of 10,000 days, ~20,000 customers each).
  EXPECT_NEAR(wait[0].mean(), w1, 4 * wait[0].se());
  EXPECT_NEAR(wait[1].mean(), w2, 4 * wait[1].se());
}

// Erlang-A (M/M/c+M): arrivals 2 a day, c = 2 slots, holding Exp(mean 1 day),
// patience Exp(mean 2 days). Without reneging the queue would be unstable
// (a = c); with it the number present is a birth-death chain with births
// lambda and deaths min(n, c) mu + max(0, n - c) theta, whose stationary law
// gives P(give up) = theta E[(N - c)+] / lambda exactly (summed to n = 400).
TEST(Queue, RenegingWithExponentialPatienceIsErlangA) {
  const double lambda = 2, mu = 1, theta = 0.5;
  const int c = 2;
  std::vector<double> pi{1.0};
  for (int n = 1; n <= 400; ++n) pi.push_back(pi.back() * lambda / (std::min(n, c) * mu + std::max(0, n - c) * theta));
  double total = 0, queue = 0;
  for (int n = 0; n <= 400; ++n) total += pi[static_cast<std::size_t>(n)];
  for (int n = c; n <= 400; ++n) queue += (n - c) * pi[static_cast<std::size_t>(n)] / total;
  const double p_abandon = theta * queue / lambda;
  const auto l = test::load(R"toml(
[scenario]
name = "erlang-a"
start_date = 2000-01-01
horizon_days = 152000
census = { every_days = 1000 }
[pools.slots]
capacity = 2
renege = { after_days = { exponential = { mean = 2 } }, to = "gave_up" }
[states.waiting]
kind = "training"
needs = "slots"
[states.served]
kind = "exit"
[states.gave_up]
kind = "exit"
[routes.arrivals]
enters = "waiting"
intake = { poisson_per_day = 2 }
[[transitions]]
from = "waiting"
after_days = { exponential = { mean = 1 } }
to = "served"
)toml");
  const auto s = test::run_in_memory(l, 29);
  const int gave_up = l.spec.state_index("gave_up");
  const auto& entry = s.persons()[model::cols::persons::entry_day];
  const auto& exit_state = s.persons()[model::cols::persons::exit_state];
  const double t0 = 2000, width = 5000;
  const std::size_t batches = 30;
  BatchMeans abandoned(batches);
  for (std::size_t i = 0; i < entry.size(); ++i) {
    if (entry[i] < t0 || entry[i] >= t0 + width * batches) continue;
    abandoned.add(static_cast<std::size_t>((entry[i] - t0) / width), exit_state[i] == gave_up ? 1.0 : 0.0);
  }
  std::printf("P(give up) %.4f (Erlang-A %.4f, batch s.e. %.4f)\n", abandoned.mean(), p_abandon, abandoned.se());
  // 4 batch-means standard errors (30 batches of 5,000 days, ~10,000 arrivals each).
  EXPECT_NEAR(abandoned.mean(), p_abandon, 4 * abandoned.se());
  EXPECT_GT(abandoned.mean(), 0.05);  // the test has something to measure
}

// A place change on a Poisson route scales its rate from its date: arrivals
// at 2 a day, then 3 a day (factor 1.5) from day 1000 (2002-09-27). Counts in
// [0, 1000) and [1000, 3000) are Poisson with means 2,000 and 6,000; 4
// standard errors (sqrt of the mean) each. The same draws are used with and
// without the change, so arrivals before the date are identical.
TEST(Queue, PlaceChangesScaleAPoissonRouteFromTheirDate) {
  const std::string base = R"toml(
[scenario]
name = "poisson-change"
start_date = 2000-01-01
horizon_days = 3000
census = { every = "year" }
[states.here]
kind = "post"
[states.gone]
kind = "exit"
[routes.arrivals]
enters = "here"
intake = { poisson_per_day = 2 }
[[transitions]]
from = "here"
hazard = { per_year = 0.1 }
to = "gone"
)toml";
  const auto changed = test::load(base + "[[place_changes]]\nroute = \"arrivals\"\nfrom_date = 2002-09-27\nfactor = 1.5\n");
  const auto plain = test::load(base);
  const auto s = test::run_in_memory(changed, 31), s_plain = test::run_in_memory(plain, 31);
  const auto& entry = s.persons()[model::cols::persons::entry_day];
  const auto& entry_plain = s_plain.persons()[model::cols::persons::entry_day];
  const double before = static_cast<double>(std::count_if(entry.begin(), entry.end(), [](double d) { return d < 1000; }));
  const double after = static_cast<double>(entry.size()) - before;
  EXPECT_NEAR(before, 2000, 4 * std::sqrt(2000.0));
  EXPECT_NEAR(after, 6000, 4 * std::sqrt(6000.0));
  for (std::size_t i = 0; i < entry.size() && entry[i] < 1000; ++i) ASSERT_EQ(entry[i], entry_plain[i]);
}
