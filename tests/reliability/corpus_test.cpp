// Bad input never crashes and never writes: every file of the broken corpus
// (tests/reliability/broken, made by make_corpus.py) is rejected by both
// `validate` and `run` with exit status 2, the message its header names, at
// the line it names, and no output directory appears.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
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

std::string corpus_dir() { return std::string(TSIM_SOURCE_DIR) + "/tests/reliability/broken"; }

struct Case {
  std::string path;
  std::string expect;
  std::string line;  // "" or "any": no fixed line
};

std::string header_value(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  std::string l;
  while (std::getline(in, l))
    if (l.rfind("# " + key + ": ", 0) == 0) return l.substr(key.size() + 4);
  return {};
}

std::vector<Case> corpus() {
  // Files that cannot carry a header say what they expect here.
  const std::map<std::string, std::string> special = {{"90_empty.toml", "the file is empty"},
                                                      {"91_binary_garbage.toml", "NUL byte"},
                                                      {"93_directory.toml", "is a directory"}};
  std::vector<Case> out;
  for (const auto& e : fs::directory_iterator(corpus_dir())) {
    Case c{e.path().string(), "", ""};
    const auto name = e.path().filename().string();
    if (special.count(name)) c.expect = special.at(name);
    else {
      c.expect = header_value(c.path, "expect");
      c.line = header_value(c.path, "line");
    }
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
  return out;
}

}  // namespace

class BrokenScenario : public ::testing::TestWithParam<Case> {};

TEST_P(BrokenScenario, IsRejectedCleanly) {
  const Case& c = GetParam();
  ASSERT_FALSE(c.expect.empty()) << c.path << " has no '# expect:' line";
  const auto out = fs::temp_directory_path() / ("tsim_rel_" + std::to_string(::getpid()));
  fs::remove_all(out);
  for (const std::string& cmd : {"validate '" + c.path + "'", "run '" + c.path + "' -q --out " + out.string()}) {
    const auto r = run(cmd);
    EXPECT_FALSE(r.signalled) << cmd << "\n" << r.output;
    EXPECT_EQ(r.status, 2) << cmd << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << cmd << "\nwanted: " << c.expect << "\ngot: " << r.output;
    EXPECT_NE(r.output.find(c.path + ":"), std::string::npos) << "the message names the file\n" << r.output;
    if (!c.line.empty() && c.line != "any") {
      EXPECT_TRUE(std::regex_search(r.output, std::regex(std::regex_replace(c.path, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                                                          ":" + c.line + ":[0-9]+: error: ")))
          << "want line " << c.line << "\n" << r.output;
    }
    EXPECT_FALSE(fs::exists(out)) << "nothing may be written for bad input";
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, BrokenScenario, ::testing::ValuesIn(corpus()), [](const auto& info) {
  std::string n = fs::path(info.param.path).stem().string();
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});

TEST(Reliability, CorpusIsLargeEnough) { EXPECT_GE(corpus().size(), 40u); }

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
