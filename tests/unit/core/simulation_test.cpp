#include "sim/core/simulation.hpp"

#include <gtest/gtest.h>

#include "sim/core/error.hpp"

using namespace tsim::core;

namespace {
// A model that reschedules itself every `step` days and records what it saw.
struct Ticker : EventHandler {
  double step = 1.5;
  std::vector<std::pair<double, std::uint32_t>> seen;
  bool explode = false;
  void handle(Simulation& sim, const Event& e) override {
    if (explode) throw std::runtime_error("boom");
    seen.emplace_back(sim.now(), e.target);
    sim.schedule(sim.now() + step, 0, e.target, 0);
  }
};
}  // namespace

TEST(Simulation, RunsInOrderAndStopsBeforeHorizon) {
  Simulation sim(RandomStreams(1, 0));
  Ticker t;
  sim.schedule(0.0, 0, 1, 0);
  sim.schedule(0.5, 0, 2, 0);
  const auto stats = sim.run_until(3.0, t);
  // Events at the horizon itself are censored.
  EXPECT_EQ(t.seen, (std::vector<std::pair<double, std::uint32_t>>{{0.0, 1}, {0.5, 2}, {1.5, 1}, {2.0, 2}}));
  EXPECT_EQ(stats.events_handled, 4u);
  EXPECT_EQ(sim.now(), 3.0);
  EXPECT_EQ(sim.pending(), 2u);
}

TEST(Simulation, RefusesThePast) {
  Simulation sim(RandomStreams(1, 0));
  Ticker t;
  t.step = -1.0;
  sim.schedule(1.0, 0, 1, 0);
  EXPECT_THROW(sim.run_until(10.0, t), SimulationError);
}

TEST(Simulation, AddsContextToModelErrors) {
  Simulation sim(RandomStreams(1, 0));
  Ticker t;
  t.explode = true;
  sim.schedule(2.25, 0, 9, 4);
  try {
    sim.run_until(10.0, t);
    FAIL();
  } catch (const SimulationError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("at day 2.2500"), std::string::npos) << msg;
    EXPECT_NE(msg.find("target 9"), std::string::npos) << msg;
    EXPECT_NE(msg.find("boom"), std::string::npos) << msg;
  }
}
