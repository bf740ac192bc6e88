// Special-day model: name -> kind -> ordinary hierarchy with empirical-Bayes shrinkage,
// per-kind intraday shapes and neighbour-day effects (formulas and sources: forecaster.hpp,
// "Special days").
#include "special.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>

#include "detail.hpp"

namespace wfm::forecast::detail {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<const char*, 3> neighbour_names{"after_long_weekend", "after_holiday",
                                                     "before_holiday"};

// k = within / between variance, clamped; k_max when not estimable (Efron & Morris 1975).
double shrink_constant(double within, double between, const SpecialDayPolicy& p) {
  if (!std::isfinite(within) || !std::isfinite(between) || between <= 0.0) return p.k_max;
  return std::clamp(within / between, p.k_min, p.k_max);
}

double sq_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

// One observed special day.
struct Obs {
  std::size_t group = 0;
  double x = 0.0;
  std::vector<double> profile, regular;  // the day's shape and its weekday's regular shape
};

// Statistics of a group of observations (a name, a kind or a neighbour pseudo-kind).
struct Group {
  std::string name, kind;
  std::vector<std::size_t> obs;
  double mean = 0.0, ss = 0.0;                 // of x
  std::vector<double> profile, regular;        // mean shapes
  double profile_ss = 0.0;                     // within sum of squared profile distances
  [[nodiscard]] int n() const { return static_cast<int>(obs.size()); }
  void finish(const std::vector<Obs>& all) {
    if (obs.empty()) return;
    for (const std::size_t i : obs) mean += all[i].x / n();
    for (const std::size_t i : obs) ss += (all[i].x - mean) * (all[i].x - mean);
    profile.assign(all[obs[0]].profile.size(), 0.0);
    regular.assign(profile.size(), 0.0);
    for (const std::size_t i : obs)
      for (std::size_t s = 0; s < profile.size(); ++s) {
        profile[s] += all[i].profile[s] / n();
        regular[s] += (s < all[i].regular.size() ? all[i].regular[s] : 0.0) / n();
      }
    for (const std::size_t i : obs) profile_ss += sq_distance(all[i].profile, profile);
  }
};

// Pooled within-group variance sum SS / sum (n - 1) over groups with n >= 2 (NaN if df < 2).
template <class F>
double pooled_within(const std::vector<Group>& g, F ss) {
  double num = 0.0;
  int df = 0;
  for (const auto& x : g)
    if (x.n() >= 2) num += ss(x), df += x.n() - 1;
  return df >= 2 ? num / df : nan;
}

// The prior log effect of a kind: log(holiday_prior_ratio) for `holiday`, else 0 (ordinary);
// used while no day of the kind has been observed.
double prior_log_effect(const std::string& kind, const SpecialDayPolicy& p) {
  return kind == to_string(SpecialDayKind::holiday) ? std::log(p.holiday_prior_ratio) : 0.0;
}

// Name and kind log effects in the normal hierarchy m_g ~ N(theta_g, sigma^2/n_g),
// theta_g ~ N(theta_K, tau^2), theta_K ~ N(0, tau_K^2): the conditional posterior means
// (Gelman et al., Bayesian Data Analysis, 3rd ed., §5.4, eqs. 5.17-5.20) at the marginal
// posterior medians of tau and tau_K, computed on a grid (§5.4, eq. 5.21, "computing the
// posterior of tau") under half-Cauchy priors with scale SpecialDayPolicy::effect_sd_scale
// (Gelman 2006, Bayesian Analysis 1:515-533, §5.2: weakly informative priors on the standard
// deviations when there are few groups). This replaces moment estimates from a handful of
// names and kinds, which can be negative (then k = k_max: everything shrunk to ordinary).
// The weights are n/(n+k) with k = sigma^2/tau^2 (names) and J/(tau_K^2 sum 1/v) (kinds),
// clamped to [k_min, k_max]. Used by hierarchy_posterior below.
struct Posterior {
  std::vector<double> name_effect, name_weight;
  std::map<std::string, double> kind_effect, kind_weight;
};

// One kind's names at one grid point (tau, tau_K): the log marginal likelihood of the names'
// means, N(0, D + tau_K^2 11') with D = diag(tau^2 + sigma^2/n) (Sherman-Morrison for the
// inverse and determinant), and the conditional posterior means and weights.
struct KindPoint {
  double log_like = 0.0, theta = 0.0, weight = 0.0;
  std::vector<double> name_effect, name_weight;  // per member
};

KindPoint kind_point(const std::vector<Group>& groups, const std::vector<std::size_t>& members,
                     double sigma, double tau2, double tauk2, const SpecialDayPolicy& p) {
  KindPoint c;
  double S = 0.0, Sm = 0.0, q = 0.0, logdet = 0.0;
  for (const std::size_t i : members) {
    const double v = tau2 + sigma / groups[i].n(), m = groups[i].mean;
    S += 1.0 / v, Sm += m / v, q += m * m / v;
    logdet += std::log(v);
  }
  logdet += std::log1p(tauk2 * S);
  c.log_like = -0.5 * (logdet + q - tauk2 * Sm * Sm / (1.0 + tauk2 * S));
  const auto J = static_cast<double>(members.size());
  const double kk = std::clamp(J / (S * tauk2), p.k_min, p.k_max);
  c.weight = J / (J + kk);
  c.theta = c.weight * Sm / S;
  const double k = std::clamp(sigma / tau2, p.k_min, p.k_max);
  for (const std::size_t i : members) {
    const double n = groups[i].n(), w = n / (n + k);
    c.name_effect.push_back(c.theta + w * (groups[i].mean - c.theta));
    c.name_weight.push_back(w);
  }
  return c;
}

Posterior hierarchy_posterior(const std::vector<Group>& groups,
                              const std::map<std::string, std::vector<std::size_t>>& by_kind,
                              double sigma, const SpecialDayPolicy& p) {
  // Grid: the 40 midpoint quantiles of the half-Cauchy prior, each carrying the same prior mass.
  constexpr int grid = 40;
  std::array<double, grid> sd{};
  // Capped at 1e6 (a log effect that large is meaningless) so that a huge scale cannot overflow.
  constexpr double sd_cap = 1e6;
  for (int i = 0; i < grid; ++i)
    sd[idx(i)] = std::min(p.effect_sd_scale * std::tan(std::numbers::pi / 2 * (i + 0.5) / grid), sd_cap);
  sigma = std::max(sigma, 1e-6);
  Posterior out;
  out.name_effect.assign(groups.size(), 0.0);
  out.name_weight.assign(groups.size(), 0.0);
  if (by_kind.empty()) return out;
  // Joint posterior of (tau, tau_K) on the grid, then the marginal medians.
  std::vector<double> post(idx(grid * grid), 0.0);
  for (int a = 0; a < grid; ++a)
    for (int b = 0; b < grid; ++b)
      for (const auto& [kind, members] : by_kind)
        post[idx(a * grid + b)] +=
            kind_point(groups, members, sigma, sd[idx(a)] * sd[idx(a)], sd[idx(b)] * sd[idx(b)], p).log_like;
  const double top = *std::max_element(post.begin(), post.end());
  for (double& l : post) l = std::exp(l - top);
  auto median = [&](bool rows) {
    std::array<double, grid> m{};
    for (int a = 0; a < grid; ++a)
      for (int b = 0; b < grid; ++b) m[idx(rows ? a : b)] += post[idx(a * grid + b)];
    // Cell i holds prior quantiles u in [i, i+1) / grid; the median is interpolated inside
    // the cell where the posterior mass crosses one half.
    const double half = 0.5 * std::accumulate(m.begin(), m.end(), 0.0);
    double c = 0.0;
    for (int i = 0; i < grid; ++i) {
      if (c + m[idx(i)] >= half) {
        const double u = (i + (half - c) / m[idx(i)]) / grid;
        return std::min(p.effect_sd_scale * std::tan(std::numbers::pi / 2 * std::min(u, 1.0 - 0.5 / grid)), sd_cap);
      }
      c += m[idx(i)];
    }
    return sd.back();
  };
  const double tau = median(true), tauk = median(false);
  for (const auto& [kind, members] : by_kind) {
    const KindPoint c = kind_point(groups, members, sigma, tau * tau, tauk * tauk, p);
    out.kind_effect[kind] = c.theta;
    out.kind_weight[kind] = c.weight;
    for (std::size_t j = 0; j < members.size(); ++j) {
      out.name_effect[members[j]] = c.name_effect[j];
      out.name_weight[members[j]] = c.name_weight[j];
    }
  }
  return out;
}

}  // namespace

bool SpecialDayModel::holiday_like(const History& h, int d) const {
  if (h.special(d) < 0) return false;
  const DayKind* k = h.calendar().kind_of(h.first_day() + d);
  return k && (k->kind == SpecialDayKind::closed || k->kind == SpecialDayKind::holiday);
}

bool SpecialDayModel::nonworking(const History& h, int d) const {
  return holiday_like(h, d) || !weekday_open_[idx(h.weekday_of(d))];
}

void SpecialDayModel::fit(const History& h, const SpecialDayPolicy& policy) {
  const int P = h.slots_per_day();
  use_neighbours_ = policy.neighbours;
  for (int w = 0; w < 7; ++w) {
    weekday_open_[idx(w)] = false;
    for (int s = 0; s < P; ++s) weekday_open_[idx(w)] = weekday_open_[idx(w)] || h.open(w, s);
  }
  const auto profiles = weekday_profiles(h, 8.0);
  const auto full = full_days(h);
  auto day_x = [&](int d) { return std::log((h.total(d) + 1.0) / (h.expected_total(d) + 1.0)); };
  auto day_profile = [&](int d) {
    std::vector<double> p(idx(P), 0.0);
    if (h.total(d) > 0.0)
      for (int s = 0; s < P; ++s)
        if (!std::isnan(h.y(d, s))) p[idx(s)] = h.y(d, s) / h.total(d);
    return p;
  };
  // Ordinary-day noise: the fallback within-group variances (effect and shape).
  std::vector<double> ordinary_x;
  double shape_noise = 0.0;
  int shape_n = 0;
  for (int d = 0; d < h.days(); ++d) {
    if (!full[idx(d)] || !h.regular(d) || !std::isfinite(h.expected_total(d))) continue;
    ordinary_x.push_back(day_x(d));
    const auto& r = profiles[idx(h.weekday_of(d))];
    if (h.total(d) > 0.0 && !r.empty()) shape_noise += sq_distance(day_profile(d), r), ++shape_n;
  }
  const double sigma0 = robust_variance(ordinary_x, 5);
  const double shape0 = shape_n >= 5 ? shape_noise / shape_n : nan;

  // Observations and groups by (name, kind).
  std::vector<Obs> obs;
  std::vector<Group> groups;
  keys_.clear();
  std::map<std::string, std::size_t> key_index;
  auto group_of = [&](const std::string& name, const std::string& kind) {
    const std::string key = name + '\x1f' + kind;
    auto [it, fresh] = key_index.emplace(key, groups.size());
    if (fresh) groups.push_back({name, kind, {}, 0.0, 0.0, {}, {}, 0.0}), keys_.push_back(key);
    return it->second;
  };
  for (const auto& [day, name] : h.calendar().days()) {
    const DayKind* k = h.calendar().kind_of(day);
    (void)group_of(name, k ? k->label() : "holiday");
  }
  for (int d = 0; d < h.days(); ++d) {
    const int n = h.special(d);
    if (n < 0 || !h.present(d) || !std::isfinite(h.expected_total(d)) || h.weight(d) < 1.0) continue;
    const DayKind* k = h.calendar().kind_of(h.first_day() + d);
    if (k && k->kind == SpecialDayKind::closed) continue;
    const std::size_t g = group_of(h.special_names()[idx(n)], k ? k->label() : "holiday");
    groups[g].obs.push_back(obs.size());
    obs.push_back({g, day_x(d), day_profile(d), profiles[idx(h.weekday_of(d))]});
  }
  for (auto& g : groups) g.finish(obs);

  // Within-name noise sigma^2 (the ordinary days' robust variance when no name occurred twice)
  // and the shapes' shrinkage constant (method of moments).
  double sigma = pooled_within(groups, [](const Group& g) { return g.ss; });
  if (!std::isfinite(sigma)) sigma = sigma0;
  double shape_sigma = pooled_within(groups, [](const Group& g) { return g.profile_ss; });
  if (!std::isfinite(shape_sigma)) shape_sigma = shape0;
  std::map<std::string, std::vector<std::size_t>> by_kind;
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (groups[i].n() > 0) by_kind[groups[i].kind].push_back(i);
  double shape_between = 0.0;
  int observed = 0;
  for (const auto& [kind, members] : by_kind)
    for (const std::size_t i : members) {
      shape_between += sq_distance(groups[i].profile, groups[i].regular) - shape_sigma / groups[i].n();
      ++observed;
    }
  const double k_shape = shrink_constant(shape_sigma, observed > 0 ? shape_between / observed : nan, policy);
  const Posterior post = hierarchy_posterior(groups, by_kind, sigma, policy);

  kinds_.clear();
  for (const auto& g : groups)
    if (std::none_of(kinds_.begin(), kinds_.end(), [&](const Effect& e) { return e.name == g.kind; }))
      kinds_.push_back({g.kind, g.kind, EffectSource::none, 0.0, 0, 0.0, {}, 0.0, "regular"});
  for (Effect& e : kinds_) {
    auto it = by_kind.find(e.name);
    if (it == by_kind.end()) {  // no day of the kind seen: its prior (ordinary unless holiday)
      e.log_effect = prior_log_effect(e.name, policy);
      if (e.log_effect != 0.0) e.source = EffectSource::kind;
      continue;
    }
    e.source = EffectSource::kind;
    e.log_effect = post.kind_effect.at(e.name);
    e.evidence_weight = post.kind_weight.at(e.name);
    std::vector<double> prof(idx(P), 0.0);
    for (const std::size_t i : it->second) {
      e.occurrences += groups[i].n();
      for (int s = 0; s < P; ++s) prof[idx(s)] += groups[i].profile[idx(s)] * groups[i].n();
    }
    for (double& p : prof) p /= e.occurrences;
    e.profile = std::move(prof);
    e.profile_weight = e.occurrences / (e.occurrences + k_shape);
    e.profile_source = "kind " + e.name;
  }
  names_.clear();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Group& g = groups[i];
    Effect e{g.name, g.kind, EffectSource::none, 0.0, 0, 0.0, {}, 0.0, "regular"};
    if (g.n() > 0) {
      e.source = EffectSource::name;
      e.log_effect = post.name_effect[i];
      e.occurrences = g.n();
      e.evidence_weight = post.name_weight[i];
      e.profile = g.profile;
      e.profile_weight = g.n() / (g.n() + k_shape);
      e.profile_source = "name " + g.name;
    }
    names_.push_back(std::move(e));
  }
  closed_ = {"", "closed", EffectSource::closed, 0.0, 0, 1.0, {}, 0.0, "regular"};

  // Neighbour pseudo-kinds, shrunk toward 0 with k = sigma0^2 / tau_n^2.
  // A neighbour day that deviates enough is flagged as a detected outlier (and down-weighted
  // in the methods' fits, which keeps it out of the regular forecast); it still counts here.
  // Days the user marked are never used.
  std::vector<char> marked(idx(h.days()), 0);
  for (const OutlierDay& o : h.outliers())
    if (o.reason == OutlierReason::marked && o.day >= h.first_day() && o.day < h.end_day())
      marked[idx(static_cast<int>(o.day - h.first_day()))] = 1;
  std::array<std::vector<double>, 3> nx;
  for (int d = 0; d < h.days() && use_neighbours_; ++d) {
    if (!full[idx(d)] || marked[idx(d)] || h.special(d) >= 0 || !std::isfinite(h.expected_total(d)))
      continue;
    const int t = neighbour_type(h, d);
    if (t >= 0) nx[idx(t)].push_back(day_x(d));
  }
  double tau_n = 0.0;
  int types = 0;
  for (const auto& v : nx) {
    if (v.empty()) continue;
    const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    tau_n += m * m - sigma0 / static_cast<double>(v.size());
    ++types;
  }
  const double k_n = shrink_constant(sigma0, types > 0 ? tau_n / types : nan, policy);
  for (std::size_t t = 0; t < 3; ++t) {
    Effect& e = neighbours_[t];
    e = {neighbour_names[t], neighbour_names[t], EffectSource::none, 0.0, 0, 0.0, {}, 0.0, "regular"};
    if (nx[t].empty()) continue;
    const auto n = static_cast<double>(nx[t].size());
    e.source = EffectSource::neighbour;
    e.occurrences = static_cast<int>(nx[t].size());
    e.evidence_weight = n / (n + k_n);
    e.log_effect = e.evidence_weight * std::accumulate(nx[t].begin(), nx[t].end(), 0.0) / n;
  }
}

int SpecialDayModel::neighbour_type(const History& h, int d) const {
  if (!use_neighbours_ || h.special(d) >= 0 || nonworking(h, d)) return -1;
  int run = 0;
  bool any = false;
  for (int j = d - 1; run < 14 && nonworking(h, j); --j) ++run, any = any || holiday_like(h, j);
  if (run >= 2 && any) return 0;
  if (holiday_like(h, d - 1)) return 1;
  if (holiday_like(h, d + 1)) return 2;
  return -1;
}

Effect SpecialDayModel::resolve(const History& h, int d) const {
  const int n = h.special(d);
  if (n >= 0) {
    const DayKind* k = h.calendar().kind_of(h.first_day() + d);
    const std::string& name = h.special_names()[idx(n)];
    const std::string kind = k ? k->label() : "holiday";
    if (k && k->kind == SpecialDayKind::closed) {
      Effect e = closed_;
      e.name = name;
      return e;
    }
    const std::string key = name + '\x1f' + kind;
    const auto it = std::find(keys_.begin(), keys_.end(), key);
    if (it != keys_.end() && names_[idx(static_cast<int>(it - keys_.begin()))].source != EffectSource::none)
      return names_[idx(static_cast<int>(it - keys_.begin()))];
    for (const Effect& e : kinds_)
      if (e.name == kind) {
        Effect out = e;
        out.name = name;
        return out;  // source none when the kind never occurred: an ordinary day
      }
    return {name, kind, EffectSource::none, 0.0, 0, 0.0, {}, 0.0, "regular"};
  }
  const int t = neighbour_type(h, d);
  if (t >= 0 && neighbours_[idx(t)].source == EffectSource::neighbour) return neighbours_[idx(t)];
  return {};
}

void SpecialDayModel::apply(const Effect& e, std::span<const int> slots, std::span<double> reg) {
  if (e.source == EffectSource::none) return;
  if (e.source == EffectSource::closed) {
    std::fill(reg.begin(), reg.end(), 0.0);
    return;
  }
  const double total = std::accumulate(reg.begin(), reg.end(), 0.0);
  const double scale = std::exp(e.log_effect);
  double psum = 0.0;
  if (!e.profile.empty())
    for (const int s : slots) psum += e.profile[idx(s)];
  const double w = psum > 0.0 ? e.profile_weight : 0.0;
  for (std::size_t i = 0; i < reg.size(); ++i) {
    const double p = psum > 0.0 ? e.profile[idx(slots[i])] / psum : 0.0;
    const double r = total > 0.0 ? reg[i] / total : 0.0;
    reg[i] = scale * total * (w * p + (1.0 - w) * r);
  }
}

std::vector<SpecialDayEffect> SpecialDayModel::report() const {
  std::vector<SpecialDayEffect> out;
  auto describe = [](const Effect& e) {
    switch (e.source) {
      case EffectSource::name:
        return fmt::format("learned: name ({} occurrence(s), weight {:.2f} vs kind '{}')",
                           e.occurrences, e.evidence_weight, e.kind);
      case EffectSource::kind:
        if (e.occurrences == 0)
          return fmt::format("kind '{}' prior (no day of the kind observed)", e.kind);
        return fmt::format("kind '{}' ({} occurrence(s), weight {:.2f} vs ordinary)", e.kind,
                           e.occurrences, e.evidence_weight);
      case EffectSource::neighbour:
        return fmt::format("neighbour day ({} occurrence(s), weight {:.2f} vs ordinary)",
                           e.occurrences, e.evidence_weight);
      case EffectSource::closed: return std::string("closed");
      case EffectSource::none: break;
    }
    return fmt::format("ordinary day (no day of kind '{}' observed)", e.kind);
  };
  for (std::size_t i = 0; i < names_.size(); ++i) {
    Effect e = names_[i];
    if (e.source == EffectSource::none)
      for (const Effect& k : kinds_)
        if (k.name == e.kind && k.source != EffectSource::none) {
          e.source = EffectSource::kind;
          e.log_effect = k.log_effect;
          e.evidence_weight = k.evidence_weight;
          e.occurrences = k.occurrences;
        }
    if (e.kind == "closed") e.source = EffectSource::closed;
    const double ratio = e.source == EffectSource::closed ? 0.0 : std::exp(e.log_effect);
    out.push_back({names_[i].name, names_[i].occurrences, ratio, describe(e)});
  }
  for (const Effect& e : neighbours_)
    if (e.source == EffectSource::neighbour)
      out.push_back({e.name, e.occurrences, std::exp(e.log_effect), describe(e)});
  return out;
}

}  // namespace wfm::forecast::detail
