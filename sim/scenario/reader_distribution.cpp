// Reader::distribution: a plain number (fixed), or a table with exactly one
// of fixed, uniform, triangular, exponential, weibull, gamma, lognormal,
// piecewise, discrete (scenarios/README.md, "Distributions").
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "sim/scenario/reader.hpp"

namespace tsim::scenario {

namespace {

// `{ kind = node }` of one distribution being read; values are scaled into
// the key's unit by `scale`.
class DistributionTable {
 public:
  DistributionTable(Reader& r, std::string_view what, const toml::key& key, const toml::node& node, double scale,
                    bool allow_negative)
      : r_(r), what_(what), key_(key), kind_(key.str()), node_(node), scale_(scale), allow_negative_(allow_negative) {}

  std::optional<core::Distribution> read() const {
    if (kind_ == "fixed") return fixed();
    if (kind_ == "uniform" || kind_ == "triangular") return uniform_or_triangular();
    if (kind_ == "exponential") return exponential();
    if (kind_ == "weibull" || kind_ == "gamma") return weibull_or_gamma();
    if (kind_ == "lognormal") return lognormal();
    if (kind_ == "piecewise") return piecewise();
    if (kind_ == "discrete") return discrete();
    return unknown();
  }

 private:
  std::optional<core::Distribution> bad(const toml::node& at, const std::string& msg) const {
    r_.error(at, fmt::format("{}: {}", what_, msg));
    return std::nullopt;
  }

  std::optional<double> positive(const toml::node& at, std::string_view name) const {
    auto v = r_.number(at, fmt::format("{} {}", what_, name));
    if (!v) return std::nullopt;
    if (!(*v > 0)) {
      r_.error(at, fmt::format("{} {} must be positive, got {}", what_, name, *v));
      return std::nullopt;
    }
    return v;
  }

  // The parameter table of the kind ({ shape, scale }, ...): exactly `keys`, in that order.
  std::optional<std::vector<const toml::node*>> params(std::initializer_list<std::string_view> keys) const {
    const auto* st = node_.as_table();
    if (!st) {
      r_.error(node_, fmt::format("{}: {} needs a table of parameters", what_, kind_));
      return std::nullopt;
    }
    std::vector<const toml::node*> out;
    bool ok = true;
    for (auto k : keys) {
      const toml::node* v = st->get(k);
      if (!v) {
        r_.error(node_, fmt::format("{}: {} needs '{}'", what_, kind_, k));
        ok = false;
      }
      out.push_back(v);
    }
    for (auto&& [k, v] : *st) {
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end()) {
        const std::vector<std::string> cands(keys.begin(), keys.end());
        r_.error(k.source(), fmt::format("{}: unknown key '{}' for {}{}", what_, k.str(), kind_,
                                         core::did_you_mean(std::string(k.str()), cands)));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::optional<core::Distribution> fixed() const {
    auto v = r_.number(node_, what_);
    if (!v) return std::nullopt;
    if (*v < 0 && !allow_negative_) return bad(node_, fmt::format("must not be negative, got {}", *v));
    return core::Distribution{core::Fixed{*v * scale_}};
  }

  std::optional<core::Distribution> uniform_or_triangular() const {
    auto v = r_.numbers(node_, fmt::format("{} {}", what_, kind_));
    if (!v) return std::nullopt;
    const std::size_t want = kind_ == "uniform" ? 2 : 3;
    if (v->size() != want) return bad(node_, fmt::format("{} needs {} numbers, got {}", kind_, want, v->size()));
    if (!allow_negative_ && (*v)[0] < 0) return bad(node_, "must not be negative");
    if (!std::is_sorted(v->begin(), v->end()) || v->front() == v->back())
      return bad(node_, fmt::format("{} bounds must increase ({})", kind_, want == 2 ? "[low, high]" : "[low, mode, high]"));
    if (want == 2) return core::Distribution{core::Uniform{(*v)[0] * scale_, (*v)[1] * scale_}};
    return core::Distribution{core::Triangular{(*v)[0] * scale_, (*v)[1] * scale_, (*v)[2] * scale_}};
  }

  std::optional<core::Distribution> exponential() const {
    auto p = params({"mean"});
    if (!p) return std::nullopt;
    auto m = positive(*(*p)[0], "exponential mean");
    if (!m) return std::nullopt;
    return core::Distribution{core::Exponential{1.0 / (*m * scale_)}};
  }

  std::optional<core::Distribution> weibull_or_gamma() const {
    auto p = params({"shape", "scale"});
    if (!p) return std::nullopt;
    auto k = positive(*(*p)[0], kind_ + " shape");
    auto s = positive(*(*p)[1], kind_ + " scale");
    if (!k || !s) return std::nullopt;
    if (kind_ == "weibull") return core::Distribution{core::Weibull{*k, *s * scale_}};
    return core::Distribution{core::Gamma{*k, *s * scale_}};
  }

  std::optional<core::Distribution> lognormal() const {
    auto p = params({"median", "sd_log"});
    if (!p) return std::nullopt;
    auto med = positive(*(*p)[0], "lognormal median");
    auto sd = positive(*(*p)[1], "lognormal sd_log");
    if (!med || !sd) return std::nullopt;
    return core::Distribution{core::LogNormal{std::log(*med * scale_), *sd}};
  }

  std::optional<core::Distribution> piecewise() const {
    auto p = params({"x", "cdf"});
    if (!p) return std::nullopt;
    auto x = r_.numbers(*(*p)[0], fmt::format("{} piecewise x", what_));
    auto c = r_.numbers(*(*p)[1], fmt::format("{} piecewise cdf", what_));
    if (!x || !c) return std::nullopt;
    if (x->size() < 2 || x->size() != c->size()) return bad(node_, "piecewise needs x and cdf of equal length, at least 2");
    if (!std::is_sorted(x->begin(), x->end()) || !std::is_sorted(c->begin(), c->end()))
      return bad(node_, "piecewise x and cdf must both be non-decreasing");
    if (c->front() != 0.0 || c->back() != 1.0) return bad(node_, "piecewise cdf must start at 0 and end at 1");
    if (!allow_negative_ && x->front() < 0) return bad(node_, "must not be negative");
    for (auto& v : *x) v *= scale_;
    return core::Distribution{core::Piecewise{*x, *c}};
  }

  std::optional<core::Distribution> discrete() const {
    auto p = params({"values", "p"});
    if (!p) return std::nullopt;
    auto vals = r_.numbers(*(*p)[0], fmt::format("{} discrete values", what_));
    auto probs = r_.numbers(*(*p)[1], fmt::format("{} discrete p", what_));
    if (!vals || !probs) return std::nullopt;
    if (vals->empty() || vals->size() != probs->size())
      return bad(node_, "discrete needs values and p of equal, non-zero length");
    double sum = 0;
    for (double q : *probs) {
      if (q < 0) return bad(node_, "discrete probabilities must not be negative");
      sum += q;
    }
    if (std::fabs(sum - 1.0) > 1e-6) return bad(node_, fmt::format("discrete probabilities must sum to 1, got {}", sum));
    for (auto& v : *vals) {
      if (v < 0 && !allow_negative_) return bad(node_, "must not be negative");
      v *= scale_;
    }
    return core::Distribution{core::Discrete{*vals, core::AliasTable(*probs)}};
  }

  std::optional<core::Distribution> unknown() const {
    const std::vector<std::string> kinds{"fixed", "uniform", "triangular", "exponential", "weibull",
                                         "gamma", "lognormal", "piecewise", "discrete"};
    r_.error(key_.source(), fmt::format("{}: unknown distribution '{}'{} (known: fixed, uniform, triangular, exponential, "
                                        "weibull, gamma, lognormal, piecewise, discrete)",
                                        what_, kind_, core::did_you_mean(kind_, kinds)));
    return std::nullopt;
  }

  Reader& r_;
  std::string_view what_;
  const toml::key& key_;
  const std::string kind_;
  const toml::node& node_;
  double scale_;
  bool allow_negative_;
};

}  // namespace

std::optional<core::Distribution> Reader::distribution(const toml::node& n, std::string_view what, double scale,
                                                       bool allow_negative) {
  if (!n.is_table()) {
    auto v = number(n, what);
    if (!v) return std::nullopt;
    if (*v < 0 && !allow_negative) {
      error(n, fmt::format("{}: must not be negative, got {}", what, *v));
      return std::nullopt;
    }
    return core::Distribution{core::Fixed{*v * scale}};
  }
  const auto& t = *n.as_table();
  if (t.size() != 1) {
    error(n, fmt::format("{}: must be a number or a table with exactly one of fixed, uniform, triangular, exponential, "
                         "weibull, gamma, lognormal, piecewise, discrete",
                         what));
    return std::nullopt;
  }
  const auto first = t.begin();  // toml++ iterators hand out proxies that live inside them
  return DistributionTable(*this, what, first->first, first->second, scale, allow_negative).read();
}

}  // namespace tsim::scenario
