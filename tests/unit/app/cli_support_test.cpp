#include "sim/app/cli_support.hpp"

#include <gtest/gtest.h>
#include <algorithm>
#include <sstream>
#include <thread>

using namespace tsim;

namespace {

std::size_t count(const std::string& s, char c) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), c)); }

}  // namespace

// In a log (stderr not a terminal) every update past the interval is one
// plain line; with an interval of 0, every update. The last line says all
// runs are done.
TEST(Progress, PlainLinesWhenNotATerminal) {
  std::ostringstream err;
  app::Progress p(err, false, 4, 10.0, std::chrono::seconds(0));
  p.update({0, 2, 0.25});
  p.update({1, 2, 0.75});
  p.update({2, 2, 1.0});
  p.variant_done(2);
  p.update({1, 2, 0.5});
  p.update({2, 2, 1.0});
  p.variant_done(2);
  p.done();
  const std::string s = err.str();
  EXPECT_EQ(count(s, '\r'), 0u) << s;
  EXPECT_EQ(count(s, '\n'), 5u) << s;  // 5 updates; the last says it all, so no closing line
  EXPECT_EQ(s.rfind("progress:  12.5%, 0/4 runs done, ", 0), 0u) << s;  // 0.25 of 2 of 4 runs
  EXPECT_NE(s.find("progress:  75.0%, 3/4 runs done"), std::string::npos) << s;  // 2 + 0.5 * 2 of 4
  EXPECT_NE(s.find("progress: 100.0%, 4/4 runs done"), std::string::npos) << s;
}

// A log whose last line is out of date gets a closing line; while runs are
// open after all simulated time, the ETA says they are writing files.
TEST(Progress, ClosingLineWhenTheLastOneIsStale) {
  std::ostringstream err;
  app::Progress p(err, false, 2, 10.0, std::chrono::hours(1));
  p.update({0, 2, 0.5});  // too soon after the start: not shown
  EXPECT_EQ(err.str(), "");
  app::Progress q(err, false, 2, 10.0, std::chrono::seconds(0));
  q.update({0, 2, 1.0});
  EXPECT_NE(err.str().find("0/2 runs done"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("ETA ? (writing files)"), std::string::npos) << err.str();
  q.variant_done(2);
  q.done();
  EXPECT_NE(err.str().find("progress: 100.0%, 2/2 runs done"), std::string::npos) << err.str();
}

// Updates closer together than the interval print nothing (logs stay short).
TEST(Progress, PlainLinesAreSpacedByTheInterval) {
  std::ostringstream err;
  app::Progress p(err, false, 1, 10.0, std::chrono::hours(1));
  for (int i = 0; i < 100; ++i) p.update({0, 1, i / 100.0});
  p.done();  // nothing was shown, so nothing to close
  EXPECT_EQ(err.str(), "");
}

// On a terminal one line is redrawn in place and cleared at the end.
TEST(Progress, RedrawsOneLineOnATerminal) {
  std::ostringstream err;
  app::Progress p(err, true, 1, 10.0);
  p.update({0, 1, 0.5});  // the first update after 200 ms or more... may be skipped
  std::this_thread::sleep_for(std::chrono::milliseconds(210));
  p.update({0, 1, 0.6});
  p.done();
  const std::string s = err.str();
  EXPECT_EQ(count(s, '\n'), 0u) << s;
  EXPECT_GE(count(s, '\r'), 3u) << s;  // drawn, then cleared: "\r<blanks>\r"
  EXPECT_NE(s.find("60.0%"), std::string::npos) << s;
  EXPECT_EQ(s.back(), '\r');
}

TEST(Progress, LineShowsElapsedRateAndEta) {
  // Half of 4 runs of 10 years in 30 s: 20 simulated years, 0.667 per second, 30 s left.
  EXPECT_EQ(app::Progress::line(0.5, 1, 4, 30.0, 10.0),
            "progress:  50.0%, 1/4 runs done, 30 s elapsed, 0.667 simulated years/s, ETA 30 s");
  EXPECT_EQ(app::Progress::line(0.25, 0, 1, 150.0, 10.0),
            "progress:  25.0%, 0/1 runs done, 2m 30s elapsed, 0.0167 simulated years/s, ETA 7m 30s");
  EXPECT_NE(app::Progress::line(0.0, 0, 1, 0.0, 10.0).find("ETA ?"), std::string::npos);
  EXPECT_NE(app::Progress::line(1.0, 1, 1, 7200.0, 10.0).find("2h 00m elapsed"), std::string::npos);
}

// The estimate line comes before the run, and a warning above 2 GB names
// the lighter record levels.
TEST(Estimate, WarnsAboveTwoGigabytes) {
  model::ScenarioSpec spec;
  spec.start_date = {2020, 1, 1};
  spec.horizon_days = 3652;
  spec.states.push_back(model::StateSpec{});
  spec.states[0].name = "s";
  model::StockSpec stock;
  stock.state = 0;
  stock.count = 1000;
  spec.stock.push_back(stock);
  std::ostringstream out, err;
  app::print_estimate({{&spec, 2}}, model::RecordLevel::full, false, 1, 0, out, err);
  EXPECT_EQ(out.str().rfind("estimate: 1000 people and 1.0 events each per run; 2 file(s) of about", 0), 0u) << out.str();
  EXPECT_EQ(err.str(), "");
  spec.stock[0].count = 200'000'000;  // 200 million people x 16 bytes: 3.2 GB
  std::ostringstream out2, err2;
  app::print_estimate({{&spec, 1}}, model::RecordLevel::full, false, 1, 0, out2, err2);
  EXPECT_EQ(err2.str().rfind("warning: this will write about", 0), 0u) << err2.str();
  EXPECT_NE(err2.str().find("--record summary"), std::string::npos) << err2.str();
  // Memory: above half of a (pretend) 8 GB machine.
  std::ostringstream out3, err3;
  app::print_estimate({{&spec, 1}}, model::RecordLevel::summary, false, 1, 8e9, out3, err3);
  EXPECT_NE(err3.str().find("more than half of this machine's 8.0 GB"), std::string::npos) << err3.str();
}
