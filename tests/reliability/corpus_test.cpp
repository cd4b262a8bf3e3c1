// Bad input never crashes and never writes: every file of the broken corpus
// (tests/reliability/broken, made by make_corpus.py) is rejected with the
// exit status, the message, the line and the number of problems its header
// names, by `validate` and `run` (scenarios), `run` and `compare` (policies)
// or `sweep` (sweep files), and no output folder appears. Bad command lines
// (cli_cases below) are held to the same.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

struct Result {
  int status = -1;
  bool signalled = false;
  std::string output;
};

Result run(const std::string& args, const std::string& cwd = "") {
  const std::string cmd = (cwd.empty() ? "" : "cd '" + cwd + "' && ") + std::string(TSIM_BINARY) + " " + args + " 2>&1";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int rc = ::pclose(p);
  r.signalled = WIFSIGNALED(rc) || (WIFEXITED(rc) && WEXITSTATUS(rc) >= 128);
  r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return r;
}

std::string reliability_dir() { return std::string(TSIM_SOURCE_DIR) + "/tests/reliability"; }
std::string corpus_dir() { return reliability_dir() + "/broken"; }

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// One file of the corpus and what its header says the commands must answer.
struct Case {
  std::string path;
  std::string expect;
  std::string line;   // "" or "any": no fixed line
  int exit = 2;
  std::string klass;  // crash, hang, collision, failure path, validation gap, size/limit
  int problems = -1;  // error lines wanted; -1: any number
  std::string where;  // the file the message points into (default: this one)
};

// Stable, readable test names and failure messages (not the bytes of a Case).
void PrintTo(const Case& c, std::ostream* os) { *os << fs::path(c.path).filename().string(); }

std::string header_value(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  std::string l;
  while (std::getline(in, l))
    if (l.rfind("# " + key + ": ", 0) == 0) return l.substr(key.size() + 4);
  return {};
}

std::vector<Case> corpus() {
  // Files that cannot carry a header say what they expect here.
  const std::map<std::string, std::pair<std::string, std::string>> special = {
      {"90_empty.toml", {"the file is empty", "1"}},
      {"91_binary_garbage.toml", {"NUL byte", ""}},
      {"93_directory.toml", {"is a directory", ""}},
      {"94_whitespace_only.toml", {"the file is empty", "1"}}};
  std::vector<Case> out;
  for (const auto& e : fs::directory_iterator(corpus_dir())) {
    Case c;
    c.path = e.path().string();
    const auto name = e.path().filename().string();
    if (special.count(name)) {
      std::tie(c.expect, c.line) = special.at(name);
    } else {
      c.expect = header_value(c.path, "expect");
      c.line = header_value(c.path, "line");
      if (const auto x = header_value(c.path, "exit"); !x.empty()) c.exit = std::stoi(x);
      c.klass = header_value(c.path, "class");
      if (const auto n = header_value(c.path, "problems"); !n.empty() && n != "any") c.problems = std::stoi(n);
      if (const auto w = header_value(c.path, "where"); !w.empty()) c.where = reliability_dir() + "/" + w;
    }
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
  return out;
}

// The commands a case runs: a scenario through validate and run, a policy
// through run and compare on the base scenario, a sweep file through sweep.
std::vector<std::string> commands_of(const Case& c, const fs::path& out) {
  const std::string base = "'" + reliability_dir() + "/inputs/base.toml'";
  const std::string file = "'" + c.path + "'";
  if (ends_with(c.path, ".policy.toml"))
    return {"run " + base + " --policy " + file + " -q --out " + out.string(),
            "compare " + base + " --policy " + file + " -r 2 -q --out " + out.string()};
  if (ends_with(c.path, ".sweep.toml")) return {"sweep " + file + " -q --out " + out.string()};
  return {"validate " + file, "run " + file + " -q --out " + out.string()};
}

std::string regex_escaped(const std::string& s) { return std::regex_replace(s, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)"); }

// Lines that report a problem ("where: error: ..." or "error: ...").
int error_lines(const std::string& output) {
  int n = 0;
  std::istringstream in(output);
  for (std::string l; std::getline(in, l);) n += l.find("error: ") != std::string::npos;
  return n;
}

}  // namespace

class BrokenInput : public ::testing::TestWithParam<Case> {};

TEST_P(BrokenInput, IsRejectedCleanly) {
  const Case& c = GetParam();
  ASSERT_FALSE(c.expect.empty()) << c.path << " has no '# expect:' line";
  const auto out = fs::temp_directory_path() / ("tsim_rel_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string where = c.where.empty() ? c.path : c.where;
  for (const std::string& cmd : commands_of(c, out)) {
    const auto r = run(cmd);
    EXPECT_FALSE(r.signalled) << cmd << "\n" << r.output;
    EXPECT_EQ(r.status, c.exit) << cmd << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << cmd << "\nwanted: " << c.expect << "\ngot: " << r.output;
    EXPECT_NE(r.output.find(where + ":"), std::string::npos) << "the message names the file\n" << r.output;
    if (!c.line.empty() && c.line != "any") {
      EXPECT_TRUE(std::regex_search(r.output, std::regex(regex_escaped(where) + ":" + c.line + ":[0-9]+: error: ")))
          << "want line " << c.line << "\n" << r.output;
    }
    if (c.problems >= 0) {
      EXPECT_EQ(error_lines(r.output), c.problems) << cmd << "\n" << r.output;
    }
    EXPECT_FALSE(fs::exists(out)) << "nothing may be written for bad input";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, BrokenInput, ::testing::ValuesIn(corpus()), [](const auto& info) {
  std::string n = fs::path(info.param.path).filename().string();
  n = n.substr(0, n.find('.'));
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});

namespace {

// A bad command line: the exit status, and the message (with its location,
// where it has one) it must print. {base}, {pipeline}, {sweep}, {inputs} and
// {out} are replaced by paths; a case runs in an empty folder, which must
// stay empty, and {out} must not appear.
struct CliCase {
  std::string name;
  std::string klass;
  std::string args;
  int exit;
  std::string expect;
  int problems;  // error lines wanted
};

void PrintTo(const CliCase& c, std::ostream* os) { *os << c.name; }

std::string nest(const std::string& open, const std::string& inner, const std::string& close, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += open;
  s += inner;
  for (int i = 0; i < n; ++i) s += close;
  return s;
}

std::string long_sum(int terms) {
  std::string s = "1";
  for (int i = 1; i < terms; ++i) s += "+1";
  return s;
}

std::vector<CliCase> cli_cases() {
  const std::string set_msg = "--set takes one key=value on one line; this text has a line break (give each key its own --set)";
  const std::string shard_msg = "traineesim sweep: error: --shard must be i/N with 0 <= i < N, got ";
  const std::string out_msg = "must name a folder, got an empty string";
  const std::string dup = "policy name 'same' is also the name of ";
  return {
      {"set_line_break", "validation gap", "run {base} -q --out {out} --set \"$(printf 'parameters.cohort=5\\nscenario.name=x')\"", 2, "--set:1:20: error: " + set_msg, 1},
      {"set_carriage_return", "validation gap", "validate {base} --set \"$(printf 'parameters.cohort=5\\rx=1')\"", 2, "--set:1:20: error: " + set_msg, 1},
      {"set_line_break_second", "validation gap", "validate {base} --set parameters.cohort=5 --set \"$(printf 'a=1\\nb=2')\"", 2, "--set #2:1:4: error: " + set_msg, 1},
      {"set_bad_value_once", "failure path", "validate {pipeline} --set parameters.cohort=abc", 2, "--set:1:19: error: parameter 'cohort': unknown parameter 'abc' in expression \"abc\"", 1},
      {"set_horizon_conflict_alone", "failure path", "validate {pipeline} --set scenario.horizon_years=6", 2, "--set:1:24: error: scenario horizon: give one of 'horizon_days', 'horizon_months' or 'horizon_years', not several", 1},
      {"set_second_of_two", "failure path", "validate {base} --set parameters.cohort=50 --set transitions.0.after_years=-1", 2, "--set #2:1:27: error: transitions.0.after_years: must not be negative, got -1", 1},
      {"set_deep_expression", "crash", "validate {base} --set 'parameters.cohort=\"" + nest("(", "1", ")", 300) + "\"'", 2, "--set:1:220: error: parameter 'cohort': the expression is nested too deeply: the limit is 200", 1},
      {"set_deep_signs_bare", "crash", "validate {base} --set 'parameters.cohort=" + std::string(500, '-') + "1'", 2, "--set:1:219: error: parameter 'cohort': the expression is nested too deeply", 1},
      {"set_long_expression", "hang", "validate {base} --set parameters.cohort=" + long_sum(5001), 2, "--set:1:19: error: parameter 'cohort': the expression is 10001 characters long; the limit is 10000 characters", 1},
      {"set_missing_equals", "validation gap", "validate {base} --set nonsense", 2, "--set:1:1: error: --set expects key.path=value, got 'nonsense'", 1},
      {"set_index_out_of_range", "validation gap", "validate {base} --set transitions.99.to=x", 2, "--set:1:13: error: --set: 'transitions' is an array of 3 entries; '99' is not an index in it", 1},
      {"out_empty_short", "validation gap", "run {base} -q -o ''", 2, "traineesim run: error: --out (-o) " + out_msg, 1},
      {"out_empty_long", "validation gap", "run {base} -q --out ''", 2, "traineesim run: error: --out (-o) " + out_msg, 1},
      {"out_empty_compare", "validation gap", "compare {base} --policy {inputs}/same_name_a.toml -r 2 -q --out ''", 2, "traineesim compare: error: --out (-o) " + out_msg, 1},
      {"out_empty_sweep", "validation gap", "sweep {sweep} -q -o ''", 2, "traineesim sweep: error: --out (-o) " + out_msg, 1},
      {"shard_equal", "validation gap", "sweep {sweep} -q --out {out} --shard 3/3", 2, shard_msg + "'3/3'", 1},
      {"shard_negative", "validation gap", "sweep {sweep} -q --out {out} --shard -1/2", 2, shard_msg + "'-1/2'", 1},
      {"shard_zero", "validation gap", "sweep {sweep} -q --out {out} --shard 1/0", 2, shard_msg + "'1/0'", 1},
      {"shard_overflow", "validation gap", "sweep {sweep} -q --out {out} --shard 1/99999999999999999999", 2, shard_msg + "'1/99999999999999999999'", 1},
      {"shard_tail", "validation gap", "sweep {sweep} -q --out {out} --shard 1/2x", 2, shard_msg + "'1/2x'", 1},
      {"shard_empty", "validation gap", "sweep {sweep} -q --out {out} --shard ''", 2, shard_msg + "''", 1},
      {"seed_overflow", "validation gap", "run {base} -q --out {out} --seed 99999999999999999999", 2, "traineesim run: error: --seed must be between 0 and 2147483647, got 99999999999999999999", 1},
      {"replications_overflow", "validation gap", "run {base} -q --out {out} -r 99999999999999999999", 2, "traineesim run: error: --replications must be between 1 and 100000, got 99999999999999999999", 1},
      {"threads_overflow", "validation gap", "run {base} -q --out {out} -j 99999999999999999999", 2, "traineesim run: error: --threads must be between 0 and 4096, got 99999999999999999999", 1},
      {"seed_not_whole", "validation gap", "run {base} -q --out {out} --seed 1e3", 2, "traineesim run: error: --seed must be a whole number between 0 and 2147483647, got '1e3'", 1},
      {"replications_negative", "validation gap", "compare {base} --policy {inputs}/same_name_a.toml -q --out {out} -r -5", 2, "traineesim compare: error: --replications must be between 1 and 100000, got -5", 1},
      {"sweep_threads_overflow", "validation gap", "sweep {sweep} -q --out {out} -j 99999999999999999999", 2, "traineesim sweep: error: --threads must be between 0 and 4096, got 99999999999999999999", 1},
      {"compare_duplicate_names", "collision", "compare {base} --policy {inputs}/same_name_a.toml --policy {inputs}/same_name_b.toml -r 2 -q --out {out}", 2, "{inputs}/same_name_b.toml:4:8: error: " + dup + "{inputs}/same_name_a.toml ({inputs}/same_name_a.toml:2:8)", 1},
      {"compare_same_policy_twice", "collision", "compare {base} --policy {inputs}/same_name_a.toml --policy {inputs}/same_name_a.toml -r 2 -q --out {out}", 2, "{inputs}/same_name_a.toml:2:8: error: " + dup + "this same file, listed twice", 1},
      {"compare_policy_named_baseline", "collision", "compare {base} --policy {inputs}/named_baseline.toml -r 2 -q --out {out}", 2, "{inputs}/named_baseline.toml:2:8: error: policy.name 'baseline' is a name the outputs use themselves; pick another", 1},
  };
}

std::string with_paths(std::string s, const fs::path& out) {
  const std::map<std::string, std::string> paths{{"{base}", reliability_dir() + "/inputs/base.toml"},
                                                 {"{pipeline}", std::string(TSIM_SOURCE_DIR) + "/scenarios/bench/pipeline.toml"},
                                                 {"{sweep}", std::string(TSIM_SOURCE_DIR) + "/scenarios/sweeps/small.toml"},
                                                 {"{inputs}", reliability_dir() + "/inputs"},
                                                 {"{out}", out.string()}};
  for (const auto& [key, value] : paths)
    for (auto at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size())) s.replace(at, key.size(), value);
  return s;
}

}  // namespace

class BadCommandLine : public ::testing::TestWithParam<CliCase> {};

TEST_P(BadCommandLine, IsRejectedCleanly) {
  const CliCase& c = GetParam();
  const auto cwd = fs::temp_directory_path() / ("tsim_cli_" + std::to_string(::getpid()));
  const auto out = fs::temp_directory_path() / ("tsim_cli_out_" + std::to_string(::getpid()));
  fs::remove_all(cwd);
  fs::remove_all(out);
  fs::create_directories(cwd);
  const auto r = run(with_paths(c.args, out), cwd.string());
  EXPECT_FALSE(r.signalled) << r.output;
  EXPECT_EQ(r.status, c.exit) << r.output;
  const std::string expect = with_paths(c.expect, out);
  EXPECT_NE(r.output.find(expect), std::string::npos) << "wanted: " << expect << "\ngot: " << r.output;
  EXPECT_EQ(error_lines(r.output), c.problems) << r.output;
  EXPECT_EQ(std::distance(fs::directory_iterator(cwd), fs::directory_iterator()), 0) << "nothing may be written";
  EXPECT_FALSE(fs::exists(out)) << "nothing may be written";
  fs::remove_all(cwd);
}

INSTANTIATE_TEST_SUITE_P(Cli, BadCommandLine, ::testing::ValuesIn(cli_cases()),
                         [](const auto& info) { return info.param.name; });

// The issue asks for at least 60 input-side cases beyond the first corpus
// (59 files): every new file and command line names its class.
TEST(Reliability, CorpusIsLargeEnough) {
  std::size_t classified = 0;
  for (const auto& c : corpus()) classified += !c.klass.empty();
  EXPECT_GE(corpus().size(), 59u + 60u);
  EXPECT_GE(classified + cli_cases().size(), 60u);
  for (const auto& c : cli_cases()) EXPECT_FALSE(c.klass.empty()) << c.name;
}

TEST(Reliability, MissingFileIsAnError) {
  const auto r = run("validate /nonexistent/scenario.toml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/nonexistent/scenario.toml: error: no such file"), std::string::npos) << r.output;
}

// Names that end up in output paths can never lead outside the output directory.
TEST(Reliability, NamesCannotEscapeTheOutputDirectory) {
  const auto cwd = fs::temp_directory_path() / ("tsim_escape_" + std::to_string(::getpid()));
  fs::remove_all(cwd);
  fs::create_directories(cwd / "inner");
  const std::string scen = std::string(TSIM_SOURCE_DIR) + "/scenarios/bench/pipeline.toml";
  for (const std::string& name : {std::string("../../escaped"), std::string("/tmp/absolute_escape"), std::string("a/b"),
                                  std::string(".."), std::string(300, 'n'), std::string("\"a\\u0000b\"")}) {
    const auto r = run("run " + scen + " -q --set parameters.cohort=10 --set 'scenario.name=" + name + "'", (cwd / "inner").string());
    EXPECT_EQ(r.status, 2) << name << "\n" << r.output;
    EXPECT_NE(r.output.find("output paths"), std::string::npos) << r.output;
  }
  // Nothing was created anywhere under the working directory's parent.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(cwd)) ++entries;
  EXPECT_EQ(entries, 1u);  // just "inner"
  EXPECT_FALSE(fs::exists("/tmp/absolute_escape"));
  fs::remove_all(cwd);
}

TEST(Reliability, BadCommandLinesExitTwoAndWriteNothing) {
  const auto out = fs::temp_directory_path() / ("tsim_badcli_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string scen = std::string(TSIM_SOURCE_DIR) + "/scenarios/bench/pipeline.toml --out " + out.string();
  for (const char* a : {"--seed -1", "--seed 2147483648", "--replications 0", "--replications 100001", "--threads -1",
                               "--record nope", "--set parameters.cohort", "--set nonsense.key=1", "--set parameters.cohort=-1",
                               "--set parameters.cohort=abc", "--set transitions.99.to=x", "--seed"}) {
    const auto r = run("run " + scen + " " + a);
    EXPECT_EQ(r.status, 2) << a << "\n" << r.output;
    EXPECT_FALSE(fs::exists(out)) << a;
  }
  fs::create_directories(out);
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_exec);
  if (::geteuid() != 0) {  // root can write anywhere
    const auto r = run("run " + std::string(TSIM_SOURCE_DIR) + "/scenarios/bench/pipeline.toml --out " + (out / "x").string());
    EXPECT_EQ(r.status, 2) << r.output;
  }
  const auto r = run("run " + std::string(TSIM_SOURCE_DIR) + "/scenarios/bench/pipeline.toml --out /proc/not-here");
  EXPECT_EQ(r.status, 2) << r.output;
  fs::permissions(out, fs::perms::owner_all);
  fs::remove_all(out);
}
