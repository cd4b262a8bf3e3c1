// Typed errors. Bad input is the user's mistake: it carries a source location
// and becomes exit status 2 at the command line. Library code never exits.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tsim::core {

/// Where a problem was found: a file (or "--set #2" for a command-line
/// override) and a 1-based line and column; line 0 means "no position".
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  /// "file:line:column", "file" when there is no position, "" when unknown.
  [[nodiscard]] std::string str() const;
};

/// One problem with an input, with what was expected.
struct Diagnostic {
  SourceLocation where;
  std::string message;

  /// "where: error: message", control characters shown as \xNN and a
  /// message longer than 1000 characters cut short.
  [[nodiscard]] std::string str() const;
};

/// The user gave us something we cannot use. Holds every problem found, so
/// that one run of `validate` reports them all at once.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> problems);
  InputError(SourceLocation where, const std::string& message);

  [[nodiscard]] const std::vector<Diagnostic>& problems() const noexcept { return problems_; }

 private:
  std::vector<Diagnostic> problems_;
};

/// Most problems one load collects: the next one stops it, so a file with
/// thousands of mistakes is reported quickly rather than in full.
inline constexpr std::size_t kMaxDiagnostics = 1000;

/// Collects diagnostics while a loader keeps going, then throws them together.
class DiagnosticList {
 public:
  /// Adds a problem. Throws InputError with every problem so far (and a
  /// note that it stopped) once there are kMaxDiagnostics of them.
  void add(SourceLocation where, std::string message);
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] const std::vector<Diagnostic>& items() const noexcept { return items_; }
  /// Throws InputError with every collected problem, if there are any.
  void throw_if_any() const;

 private:
  std::vector<Diagnostic> items_;
};

/// Something went wrong while a simulation was running; carries the engine's
/// context (time, event) on top of the original message.
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reading or writing a file failed (a full disk, permissions, a damaged
/// file). The message names the file; the engine passes it on without adding
/// simulation context, since the model is not at fault.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A run was asked to stop (a signal) before it finished.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

/// "did you mean" helper: the candidate closest to `word` by edit distance,
/// or "" when none is close enough to be a plausible typo, or when comparing
/// would take too long (a huge word or very many candidates).
[[nodiscard]] std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

/// The tail of an error message that suggests a fix: " (did you mean 'x'?)"
/// with x = closest_match(word, candidates), or "" when nothing is close.
[[nodiscard]] std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace tsim::core
