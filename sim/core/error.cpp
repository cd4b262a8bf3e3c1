#include "sim/core/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace tsim::core {

std::string SourceLocation::str() const {
  if (file.empty()) return {};
  if (line == 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

namespace {
// Messages quote user input; control characters (a NUL would cut the message
// short) are shown as \xNN so every message is one printable line.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}
}  // namespace

std::string Diagnostic::str() const {
  // A message quotes what the user wrote, which may be megabytes long (a
  // 15 MB key): past this much the rest is left out.
  constexpr std::size_t kShown = 1000;
  const std::string text = message.size() <= kShown
                               ? message
                               : fmt::format("{}... ({} characters in all)", message.substr(0, kShown), message.size());
  auto w = printable(where.str());
  return w.empty() ? fmt::format("error: {}", printable(text)) : fmt::format("{}: error: {}", w, printable(text));
}

namespace {
std::string join(const std::vector<Diagnostic>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += '\n';
    out += p.str();
  }
  return out;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

InputError::InputError(SourceLocation where, const std::string& message)
    : InputError(std::vector<Diagnostic>{Diagnostic{std::move(where), message}}) {}

void DiagnosticList::add(SourceLocation where, std::string message) {
  items_.push_back(Diagnostic{std::move(where), std::move(message)});
  if (items_.size() >= kMaxDiagnostics) {
    std::vector<Diagnostic> all = items_;
    all.push_back(Diagnostic{SourceLocation{}, fmt::format("too many problems: stopped after {}; fix these first",
                                                           kMaxDiagnostics)});
    throw InputError(std::move(all));
  }
}

void DiagnosticList::throw_if_any() const {
  if (!items_.empty()) throw InputError(items_);
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  // Edit distances cost |word| x |candidate| steps each: past this budget a
  // suggestion is not worth the wait (and a typo is not that long anyway).
  constexpr double kBudget = 1e6;
  double cost = 0;
  for (const auto& c : candidates) cost += static_cast<double>(word.size()) * static_cast<double>(c.size() + 1);
  if (cost > kBudget) return {};
  std::string best;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    // A word that is a slightly mistyped start of a candidate counts as close too.
    auto d = std::min(edit_distance(word, c), edit_distance(word, c.substr(0, word.size())) + 1);
    if (best.empty() || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  // A typo changes a few characters; anything further is a different word.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  return (!best.empty() && best_d <= limit) ? best : std::string{};
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string guess = closest_match(word, candidates);
  return guess.empty() ? std::string{} : fmt::format(" (did you mean '{}'?)", guess);
}

}  // namespace tsim::core
