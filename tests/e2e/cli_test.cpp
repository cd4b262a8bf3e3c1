// The command line as a user drives it: the real binary, real files.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// `prefix` goes before the binary (an environment change: "env PATH=... ").
Result run(const std::string& args, const std::string& prefix = "") {
  const std::string cmd = prefix + std::string(TSIM_BINARY) + " " + args + " 2>&1";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int rc = ::pclose(p);
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return r;
}

std::string src(const std::string& rel) { return std::string(TSIM_SOURCE_DIR) + "/" + rel; }

fs::path temp_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("tsim_cli_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(src("scenarios")))
    if (e.path().extension() == ".toml" && e.path().parent_path().filename() != "policies" &&
        e.path().parent_path().filename() != "sweeps" && e.path().parent_path().filename() != "calibration" &&
        e.path().parent_path().filename() != "commission")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST(Cli, ValidatesEveryShippedScenario) {
  const auto all = shipped_scenarios();
  ASSERT_GE(all.size(), 2u);
  for (const auto& p : all) {
    const auto r = run("validate " + p.string());
    EXPECT_EQ(r.status, 0) << p << "\n" << r.output;
  }
}

TEST(Cli, RunsAndDrawsEveryShippedScenario) {
  const auto dir = temp_dir("every");
  for (const auto& p : shipped_scenarios()) {
    const auto r = run("run " + p.string() + " -q --record census --out " + (dir / p.stem()).string() +
                       (p.stem() == "pipeline" ? " --set parameters.cohort=200" : ""));
    EXPECT_EQ(r.status, 0) << p << "\n" << r.output;
    const auto dot = run("describe --dot " + p.string());
    EXPECT_EQ(dot.status, 0) << p;
    EXPECT_EQ(dot.output.rfind("digraph G {", 0), 0u) << p;
  }
  fs::remove_all(dir);
}

TEST(Cli, RejectsABrokenScenarioWithItsLocation) {
  const auto dir = temp_dir("broken");
  const auto bad = dir / "broken.toml";
  std::ofstream(bad) << slurp(src("scenarios/bench/pipeline.toml")) << "\n[states.extra]\nkind = \"pots\"\n";
  const auto r = run("validate " + bad.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(bad.string() + ":"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("got 'pots' (did you mean 'post'?)"), std::string::npos) << r.output;
  // run refuses it too, and writes nothing.
  const auto out = dir / "out";
  const auto rr = run("run " + bad.string() + " --out " + out.string());
  EXPECT_EQ(rr.status, 2);
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}

TEST(Cli, RunsTheDefaultScenarioAndSummarises) {
  const auto dir = temp_dir("default");
  const auto r = run("run " + src("scenarios/cyp_psychological_professions.toml") + " --out " + dir.string() + " -q");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir / "baseline" / "run_0.h5"));
  EXPECT_NE(r.output.find("staff in post:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("cwp_qualified"), std::string::npos);
  for (const auto& e : fs::recursive_directory_iterator(dir)) EXPECT_NE(e.path().extension(), ".partial");
  fs::remove_all(dir);
}

TEST(Cli, SameSeedSameBytesOtherSeedOtherBytes) {
  const auto dir = temp_dir("determinism");
  const std::string scen = src("scenarios/bench/pipeline.toml") + " --set parameters.cohort=1000 -q";
  ASSERT_EQ(run("run " + scen + " --seed 11 --out " + (dir / "a").string()).status, 0);
  ASSERT_EQ(run("run " + scen + " --seed 11 --out " + (dir / "b").string()).status, 0);
  ASSERT_EQ(run("run " + scen + " --seed 12 --out " + (dir / "c").string()).status, 0);
  const auto a = slurp(dir / "a/baseline/run_0.h5"), b = slurp(dir / "b/baseline/run_0.h5"),
             c = slurp(dir / "c/baseline/run_0.h5");
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  fs::remove_all(dir);
}

// Results folders never mix (docs/OUTPUT.md, "Results folders"): a run into a
// folder holding another run is refused with exit 2 and changes nothing; the
// same run again is fine; --overwrite replaces that variant's files only.
TEST(Cli, AResultsFolderHoldsOneRun) {
  const auto dir = temp_dir("folders");
  const std::string scen = src("scenarios/bench/pipeline.toml") + " --set parameters.cohort=200 -q -r 2 --out " +
                           dir.string();
  ASSERT_EQ(run("run " + scen + " --seed 11").status, 0);
  const auto first = slurp(dir / "baseline/run_1.h5");
  EXPECT_NE(slurp(dir / "baseline/manifest.toml").find("master_seed = 11"), std::string::npos);
  const auto other = run("run " + scen + " --seed 12");
  EXPECT_EQ(other.status, 2) << other.output;
  EXPECT_NE(other.output.find((dir / "baseline").string() + " holds another run's files: manifest.toml says seed 11 "
                              "(this run 12)"),
            std::string::npos) << other.output;
  const auto census = run("run " + scen + " --seed 11 --record census");
  EXPECT_EQ(census.status, 2);
  EXPECT_NE(census.output.find("record level full (this run census)"), std::string::npos) << census.output;
  EXPECT_EQ(slurp(dir / "baseline/run_1.h5"), first);
  const auto again = run("run " + scen + " --seed 11");
  EXPECT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(slurp(dir / "baseline/run_1.h5"), first);
  // A run stopped before its manifest: the same run finishes it, another is refused.
  fs::remove(dir / "baseline/manifest.toml");
  EXPECT_EQ(run("run " + scen + " --seed 12").status, 2);
  EXPECT_EQ(run("run " + scen + " --seed 11").status, 0);
  EXPECT_TRUE(fs::exists(dir / "baseline/manifest.toml"));
  const auto over = run("run " + scen + " --seed 12 --overwrite");
  EXPECT_EQ(over.status, 0) << over.output;
  EXPECT_NE(over.output.find("--overwrite: removed 3 file(s) of an earlier run from " + (dir / "baseline").string()),
            std::string::npos) << over.output;
  EXPECT_NE(slurp(dir / "baseline/run_1.h5"), first);
  EXPECT_NE(slurp(dir / "baseline/manifest.toml").find("master_seed = 12"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, BadCommandLinesExitTwo) {
  const std::string scen = src("scenarios/bench/pipeline.toml");
  for (const std::string& args : std::vector<std::string>{"run " + scen + " --seed -1", "run " + scen + " --replications 0", "run " + scen + " --seed abc",
        "run " + scen + " --record everything", "run " + scen + " --set parameters.nope=3", "run",
        "run " + scen + " --frobnicate", "frobnicate", "validate /nonexistent.toml", "validate " + src("scenarios"),
        "run " + scen + " --out /proc/forbidden"}) {
    const auto r = run(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find("error"), std::string::npos) << args << "\n" << r.output;
  }
}

TEST(Cli, DescribesTheCareerGraph) {
  const auto text = run("describe " + src("scenarios/cyp_psychological_professions.toml"));
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.output.find("supervisor"), std::string::npos);
  const auto dot = run("describe --dot " + src("scenarios/bench/pipeline.toml"));
  EXPECT_EQ(dot.status, 0);
  EXPECT_EQ(dot.output.rfind("digraph G {", 0), 0u) << dot.output;
  EXPECT_EQ(run("--help").status, 0);
  EXPECT_EQ(run("run --help").status, 0);
}

// ---- issue 12: describe, feedback on long runs, writing a scenario ----------------

// The pipeline in stage order: the route's state before the qualified ones, the exits last.
TEST(Cli, DescribeListsThePipelineInStageOrder) {
  const auto r = run("describe " + src("scenarios/cyp_psychological_professions.toml"));
  ASSERT_EQ(r.status, 0) << r.output;
  const auto at = [&](const std::string& s) { return r.output.find(s); };
  EXPECT_NE(at("Ways in:"), std::string::npos) << r.output;
  EXPECT_NE(at("provided by: "), std::string::npos) << r.output;
  EXPECT_LT(at("\n  cwp_trainee ["), at("\n  cwp_qualified ["));
  EXPECT_LT(at("\n  cwp_qualified ["), at("\n exits\n"));
}

// With --policy, describe shows the pipeline the policy makes: the apprenticeship
// policy adds a state and a route that the baseline does not have.
TEST(Cli, DescribeWithAPolicyShowsWhatItAdds) {
  const std::string scen = src("scenarios/cyp_psychological_professions.toml");
  const auto base = run("describe " + scen);
  const auto with = run("describe --policy " + src("scenarios/policies/apprenticeship_route.toml") + " " + scen);
  ASSERT_EQ(base.status, 0) << base.output;
  ASSERT_EQ(with.status, 0) << with.output;
  EXPECT_EQ(base.output.find("cwp_apprentice"), std::string::npos) << base.output;
  EXPECT_NE(with.output.find("\n  cwp_apprentice ["), std::string::npos) << with.output;
  EXPECT_NE(with.output.find("cwp_apprenticeship"), std::string::npos) << with.output;
  // The policy itself, in words, and what it adds; a modifier-only policy shows its modifiers.
  EXPECT_NE(with.output.find("Policies applied, in order:\n  apprenticeship: CWP apprenticeship route"), std::string::npos)
      << with.output;
  EXPECT_NE(with.output.find("    states: cwp_apprentice\n    routes: cwp_apprenticeship\n"), std::string::npos) << with.output;
  const auto ladder = run("describe --policy " + src("scenarios/policies/cwp_emhp_career_ladder.toml") + " " + scen);
  EXPECT_NE(ladder.output.find("parameters: ladder_effect = 0.25, ladder_uptake = 2"), std::string::npos) << ladder.output;
  EXPECT_NE(ladder.output.find("modifiers: 'career ladder retention' (hazards x 0.75 on 2 transition(s), from 2021-04-01)"),
            std::string::npos) << ladder.output;
  EXPECT_EQ(base.output.find("Policies applied"), std::string::npos) << base.output;
  const auto missing = run("describe --policy " + temp_dir("nopolicy").string() + "/none.toml " + scen);
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("none.toml"), std::string::npos) << missing.output;
}

// Output that cannot be written where asked is bad input (exit 2, README's
// exit statuses): export --csv onto a file, describe --svg into a folder that
// does not exist.
TEST(Cli, UnwritableOutputIsBadInput) {
  const auto dir = temp_dir("unwritable");
  const auto results = dir / "r";
  ASSERT_EQ(run("run " + src("scenarios/bench/pipeline.toml") + " --set parameters.cohort=50 -q --record census --out " +
                results.string()).status, 0);
  std::ofstream(dir / "afile") << "x";
  const auto e = run("export " + results.string() + " --csv " + (dir / "afile").string());
  EXPECT_EQ(e.status, 2) << e.output;
  EXPECT_NE(e.output.find((dir / "afile").string()), std::string::npos) << e.output;
  const auto d = run("describe --svg " + (dir / "none" / "g.svg").string() + " " + src("scenarios/bench/pipeline.toml"));
  EXPECT_EQ(d.status, 2) << d.output;
  EXPECT_NE(d.output.find("cannot write " + (dir / "none" / "g.svg").string()), std::string::npos) << d.output;
  EXPECT_FALSE(fs::exists(dir / "none"));
  fs::remove_all(dir);
}

// A shorter horizon than a scenario's dated plan: capacity changes and listed
// intakes after it are warnings (they do not happen in the run), not errors.
TEST(Cli, DatedPlansPastAShorterHorizonAreWarnings) {
  const auto r = run("validate " + src("scenarios/clinical_psychology.toml") + " --set scenario.horizon_years=4");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("capacity_changes.3.date is after the horizon (2024-04-01)"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("error"), std::string::npos) << r.output;
  // A policy that takes effect after the horizon changes nothing: a warning at its `effective`.
  const auto p = run("validate " + src("scenarios/cyp_psychological_professions.toml") + " --policy " +
                     src("scenarios/policies/cwp_emhp_career_ladder.toml") + " --set scenario.horizon_years=1");
  EXPECT_EQ(p.status, 0) << p.output;
  EXPECT_NE(p.output.find("cwp_emhp_career_ladder.toml:"), std::string::npos) << p.output;
  EXPECT_NE(p.output.find("policy 'career-ladder' takes effect on 2021-04-01, at or after the horizon"),
            std::string::npos) << p.output;
}

TEST(Cli, DescribeDrawsAnSvgWithGraphviz) {
  const auto dir = temp_dir("svg");
  const auto svg = dir / "graph.svg";
  const auto r = run("describe --svg " + svg.string() + " " + src("scenarios/clinical_psychology.toml"));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string text = slurp(svg);
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_NE(text.find("cp_trainee"), std::string::npos);
  // Only the SVG is left: no temporary files beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  // The README's line: describe --dot piped into dot.
  const auto piped = run("describe --dot " + src("scenarios/cyp_psychological_professions.toml") +
                         " | dot -Tsvg > " + (dir / "piped.svg").string());
  EXPECT_EQ(piped.status, 0) << piped.output;
  EXPECT_NE(slurp(dir / "piped.svg").find("<svg"), std::string::npos);
  // Without dot on PATH: a clear message, exit 1, no file.
  const auto missing = run("describe --svg " + (dir / "none.svg").string() + " " +
                           src("scenarios/clinical_psychology.toml"), "env PATH=/nonexistent ");
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_NE(missing.output.find("needs Graphviz's 'dot' program"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(dir / "none.svg"));
  fs::remove_all(dir);
}

// In a log (stderr is a pipe here) progress comes as plain lines, and
// printing it changes no byte of any run file.
TEST(Cli, ProgressLinesInLogsAndTheSameFiles) {
  const auto dir = temp_dir("progress");
  const std::string scen = src("scenarios/mental_health_commissioning_2020.toml");
  const auto loud = run("run " + scen + " -r 3 -j 2 --progress-every 0 --out " + (dir / "loud").string());
  ASSERT_EQ(loud.status, 0) << loud.output;
  EXPECT_EQ(loud.output.find('\r'), std::string::npos);
  EXPECT_NE(loud.output.find("progress: "), std::string::npos) << loud.output;
  EXPECT_NE(loud.output.find("progress: 100.0%, 3/3 runs done"), std::string::npos) << loud.output;
  EXPECT_NE(loud.output.find("simulated years/s, ETA"), std::string::npos) << loud.output;
  // The header and the estimate come first, before any progress.
  EXPECT_LT(loud.output.find("estimate: "), loud.output.find("progress: "));
  const auto quiet = run("run " + scen + " -r 3 -j 1 -q --out " + (dir / "quiet").string());
  ASSERT_EQ(quiet.status, 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("progress: "), std::string::npos);
  for (int r = 0; r < 3; ++r) {
    const std::string f = "baseline/run_" + std::to_string(r) + ".h5";
    EXPECT_EQ(slurp(dir / "loud" / f), slurp(dir / "quiet" / f)) << f;
  }
  fs::remove_all(dir);
}

TEST(Cli, NewWritesATemplateThatValidatesAndRuns) {
  const auto dir = temp_dir("new");
  const auto r = run("new my-service --dir " + dir.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const auto file = dir / "my-service.toml";
  const auto v = run("validate " + file.string());
  EXPECT_EQ(v.status, 0) << v.output;
  EXPECT_EQ(v.output.find("warning"), std::string::npos) << v.output;
  const auto ran = run("run " + file.string() + " -q --out " + (dir / "out").string());
  EXPECT_EQ(ran.status, 0) << ran.output;
  const auto again = run("new my-service --dir " + dir.string());
  EXPECT_EQ(again.status, 2) << again.output;
  EXPECT_NE(again.output.find("already exists"), std::string::npos) << again.output;
  EXPECT_EQ(run("new ../up --dir " + dir.string()).status, 2);
  fs::remove_all(dir);
}

// Warnings print with their location and the run goes on; syntax errors say
// what was expected in plain words.
TEST(Cli, PlausibilityWarningsAndSyntaxHints) {
  const auto dir = temp_dir("warn");
  const auto file = dir / "fast.toml";
  std::ofstream(file) << slurp(src("scenarios/bench/pipeline.toml"));
  const auto base = run("validate " + file.string());
  ASSERT_EQ(base.status, 0) << base.output;
  EXPECT_EQ(base.output.find("warning"), std::string::npos) << base.output;
  std::ofstream(dir / "bare.toml") << "[scenario]\nname = tiny\n";
  const auto bare = run("validate " + (dir / "bare.toml").string());
  EXPECT_EQ(bare.status, 2);
  EXPECT_NE(bare.output.find((dir / "bare.toml").string() + ":2:"), std::string::npos) << bare.output;
  EXPECT_NE(bare.output.find("text must be in double quotes: name = \"tiny\""), std::string::npos) << bare.output;
  std::ofstream(dir / "staff.toml") << slurp(src("scenarios/adult_talking_therapies.toml"))
                                    << "\n[[transitions]]\nfrom = \"pwp\"\nto = \"left_nhs\"\nhazard = { per_year = 3 }\n";
  const auto warned = run("run " + (dir / "staff.toml").string() + " -q --record summary --out " + (dir / "o").string());
  EXPECT_EQ(warned.status, 0) << warned.output;
  EXPECT_NE(warned.output.find((dir / "staff.toml").string() + ":"), std::string::npos) << warned.output;
  EXPECT_NE(warned.output.find(": warning: transitions."), std::string::npos) << warned.output;
  fs::remove_all(dir);
}
