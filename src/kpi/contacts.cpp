// Contact log -> interval KPIs (see include/wfm/kpi/contacts.hpp for every definition).
#include <wfm/kpi/contacts.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <bit>
#include <memory>

#include <wfm/core/calendar.hpp>
#include <wfm/core/error.hpp>

namespace wfm::kpi {
namespace {

// Layout of one interval's row of sums.
enum Field : std::size_t {
  fOffered, fAnswered, fAbandoned, fShort, fHandle, fWaitAnswered, fWaitAll, fTransferred,
  fCsatSum, fCsatCount, fBusy, fStaffed, fFcrOk, fFcrCount, kBase
};
// then per target k: kBase + 2k answered with W <= t, kBase + 2k + 1 abandoned with W <= t;
// then the virtual-wait grid (whole seconds j = 0 .. bins - 1): answered, abandoned at ceil(W) = j.

using queueing::ServiceLevelDefinition;

constexpr std::int64_t kMaxTimestamp = std::int64_t{100000000000000};  // 1e14 s: no overflow

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// floor(t / length) for |t| <= kMaxTimestamp < 2^47 and length >= 1, in double arithmetic (a
// 64-bit integer division is 3-4 times slower): the exact quotient q has |q| < 2^47 / length and
// is either an integer (then exact in double) or at least 1 / length from one, while the
// correctly rounded division errs by at most |q| 2^-53 < 1 / (64 length): the floor is exact.
std::int64_t interval_of(std::int64_t t, double length) noexcept {
  return static_cast<std::int64_t>(std::floor(static_cast<double>(t) / length));
}

std::uint64_t splitmix64(std::uint64_t& s) noexcept {  // Steele, Lea & Flood (2014)
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A bijective 64-bit mixer (an odd multiplier then an xor-shift; both invert), so equal mixed keys
// mean equal customers and ids that are small integers spread over the buckets like hashes do.
std::uint64_t mix_key(std::uint64_t k) noexcept {
  k *= 0x9E3779B97F4A7C15ull;
  return k ^ (k >> 29);
}

// Stable counting sort of `in` by the mixed key's bits just below the `bucket_bits` that chose the
// bucket (in the last-level cache: a bucket holds about n / 2^bucket_bits records); then each run with the same digits is
// put in (customer, arrival) order: already so for a log sorted by arrival (the sort is stable),
// by insertion for short runs otherwise, by std::sort for long ones.
template <class T>
void sort_bucket(const std::vector<T>& in, int bucket_bits, std::vector<T>& out,
                 std::vector<std::uint32_t>& count) {
  const std::size_t m = in.size();
  const int bits = std::clamp(static_cast<int>(std::bit_width(m)), 1, 16);
  const int shift = 64 - bucket_bits - bits;
  const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  count.assign((std::size_t{1} << bits) + 1, 0);
  for (const T& x : in) ++count[((x.customer >> shift) & mask) + 1];
  for (std::size_t b = 1; b < count.size(); ++b) count[b] += count[b - 1];
  out.resize(m);
  for (const T& x : in) out[count[(x.customer >> shift) & mask]++] = x;
  const auto less = [](const T& x, const T& y) {
    return x.customer != y.customer ? x.customer < y.customer : x.arrival < y.arrival;
  };
  for (std::size_t i = 0; i < m;) {
    std::size_t j = i + 1;
    while (j < m && (out[j].customer >> shift) == (out[i].customer >> shift)) ++j;
    if (j - i > 1 && !std::is_sorted(out.begin() + static_cast<std::ptrdiff_t>(i),
                                     out.begin() + static_cast<std::ptrdiff_t>(j), less))
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(i),
                out.begin() + static_cast<std::ptrdiff_t>(j), less);
    i = j;
  }
}

}  // namespace

void ContactKpiOptions::validate() const {
  constexpr std::string_view w = "wfm::kpi::ContactKpiOptions";
  if (interval_length_s < 1 || interval_length_s > seconds_per_day)
    detail::throw_invalid(w, "interval_length_s must be whole seconds in [1, 86400]",
                          static_cast<double>(interval_length_s));
  detail::require_nonnegative(w, "short_abandon_s", short_abandon_s);
  if (target_times_s.empty()) detail::throw_invalid(w, "target_times_s must not be empty");
  for (double t : target_times_s) {
    detail::require_nonnegative(w, "target_times_s", t);
    if (t > 86400.0) detail::throw_constraint(w, "target_times_s", "must be <= 86400", t);
  }
  if (definitions.empty()) detail::throw_invalid(w, "definitions must not be empty");
  detail::require_positive(w, "fcr_window_days", fcr_window_days);
  detail::require_positive(w, "patience_grid_max_s", patience_grid_max_s);
  if (patience_grid_max_s > 1e6)
    detail::throw_constraint(w, "patience_grid_max_s", "must be <= 1e6", patience_grid_max_s);
  detail::require_positive(w, "max_duration_s", max_duration_s);
  if (max_intervals < 1 || max_intervals > 100000000)
    detail::throw_invalid(w, "max_intervals must be in [1, 1e8]",
                          static_cast<double>(max_intervals));
}

ContactKpiAccumulator::ContactKpiAccumulator(ContactKpiOptions options) : o_(std::move(options)) {
  o_.validate();
  targets_ = o_.target_times_s.size();
  const bool virtual_wait =
      std::find(o_.definitions.begin(), o_.definitions.end(),
                ServiceLevelDefinition::virtual_wait_within) != o_.definitions.end();
  const double tmax = *std::max_element(o_.target_times_s.begin(), o_.target_times_s.end());
  bins_ = virtual_wait ? static_cast<std::size_t>(std::floor(tmax)) + 1 : 0;
  fields_ = kBase + 2 * targets_ + 2 * bins_;
  const auto g = static_cast<std::size_t>(std::ceil(o_.patience_grid_max_s)) + 1;
  patience_events_.assign(g, 0.0);
  patience_censored_.assign(g, 0.0);
}

double* ContactKpiAccumulator::grow(std::int64_t k) {
  if (rows_used_ == 0) {
    base_ = k;
    rows_used_ = 1;
    data_.assign(fields_, 0.0);
  } else if (k < base_) {
    const auto need = static_cast<std::size_t>(base_ - k);
    const std::size_t extra = std::max(need, rows_used_);  // amortised growth at the front
    data_.insert(data_.begin(), extra * fields_, 0.0);
    base_ -= static_cast<std::int64_t>(extra);
    rows_used_ += extra;
  } else if (k >= base_ + static_cast<std::int64_t>(rows_used_)) {
    rows_used_ = static_cast<std::size_t>(k - base_) + 1;
    data_.resize(rows_used_ * fields_, 0.0);
  }
  return data_.data() + static_cast<std::size_t>(k - base_) * fields_;
}

void ContactKpiAccumulator::add_busy(double from, double length) {
  const auto len = static_cast<double>(o_.interval_length_s);
  auto k = static_cast<std::int64_t>(std::floor(from / len));
  double t = from;
  const double end = from + length;
  while (t < end) {
    const double stop = std::min(end, static_cast<double>(k + 1) * len);
    row(k)[fBusy] += stop - t;
    t = stop;
    ++k;
  }
}

void ContactKpiAccumulator::add(const Contact& c, std::string_view where) {
  const auto check = [&](std::string_view name, double v) {
    if (!(v >= 0.0) || !(v <= o_.max_duration_s))
      detail::throw_invalid(
          where, fmt::format("{} must be finite, >= 0 and <= max_duration_s = {:g} s", name,
                             o_.max_duration_s),
          v);
  };
  check("wait_s", c.wait_s);
  const bool answered = c.outcome == Outcome::answered;
  if (answered) {
    check("talk_s", c.talk_s);
    check("hold_s", c.hold_s);
    check("acw_s", c.acw_s);
  }
  if (!std::isnan(c.csat) && !std::isfinite(c.csat))
    detail::throw_invalid(where, "csat must be finite (or empty)", c.csat);
  if (c.arrival < -kMaxTimestamp || c.arrival > kMaxTimestamp)
    detail::throw_invalid(where, "arrival must be within 3 million years of 1970",
                          static_cast<double>(c.arrival));
  const std::int64_t k = interval_of(c.arrival, static_cast<double>(o_.interval_length_s));
  if (rows_used_ > 0) {
    const std::int64_t lo = std::min(base_, k);
    const std::int64_t hi = std::max(base_ + static_cast<std::int64_t>(rows_used_) - 1, k);
    if (hi - lo >= o_.max_intervals)
      detail::throw_invalid(
          where, fmt::format("arrival {} is more than max_intervals = {} intervals from the "
                             "other arrivals (a wrong date?)",
                             format_timestamp(c.arrival), o_.max_intervals));
  }
  ++rows_;
  last_arrival_ = std::max(last_arrival_, c.arrival);
  double* r = row(k);
  r[fOffered] += 1.0;
  r[fWaitAll] += c.wait_s;
  const double h = c.talk_s + c.hold_s + c.acw_s;
  if (answered) {
    r[fAnswered] += 1.0;
    r[fWaitAnswered] += c.wait_s;
    r[fHandle] += h;
    if (c.transferred) r[fTransferred] += 1.0;
  } else {
    r[fAbandoned] += 1.0;
    if (c.wait_s < o_.short_abandon_s) r[fShort] += 1.0;
  }
  if (!std::isnan(c.csat)) {
    r[fCsatSum] += c.csat;
    r[fCsatCount] += 1.0;
  }
  for (std::size_t i = 0; i < targets_; ++i)
    if (c.wait_s <= o_.target_times_s[i]) r[kBase + 2 * i + (answered ? 0 : 1)] += 1.0;
  const double grid = std::ceil(c.wait_s);
  if (bins_ > 0 && grid < static_cast<double>(bins_))
    r[kBase + 2 * targets_ + 2 * static_cast<std::size_t>(grid) + (answered ? 0 : 1)] += 1.0;
  const auto g = static_cast<std::size_t>(
      std::min(grid, static_cast<double>(patience_events_.size() - 1)));
  (answered ? patience_censored_ : patience_events_)[g] += 1.0;
  if (c.customer != 0) {
    const std::uint64_t key = mix_key(c.customer);
    customers_[key >> (64 - kCustomerBucketBits)].push_back({key, 2 * c.arrival + (answered ? 1 : 0)});
  }
  if (answered) {
    if (h > 0.0) {
      // sums of ln h - K and its square, K = the first ln h: the shifted-data algorithm
      // (Chan, Golub & LeVeque (1983), "Algorithms for computing the sample variance", Am.
      // Stat. 37(3), sec. 3): no division per contact, unlike Welford's update
      const double x = std::log(h);
      if (positive_++ == 0) log_shift_ = x;
      log_sum_ += x - log_shift_;
      log_sq_sum_ += (x - log_shift_) * (x - log_shift_);
      if (positive_ == sample_next_ || reservoir_.size() < o_.handle_sample_size)
        sample_handle_time(h);  // the reservoir changes (rarely once it is full)
    } else {
      ++zeros_;
    }
    if (h > 0.0) add_busy(static_cast<double>(c.arrival) + c.wait_s, h);
  }
}

// A uniform reservoir sample of the positive handle times without one random number per row:
// Li (1994), "Reservoir-sampling algorithms of time complexity O(n(1 + log(N/n)))", ACM TOMS
// 20(4): 481-493, Algorithm L. With k = handle_sample_size, once the reservoir is full,
// W <- W * U^(1/k) and the next item kept is the current one + floor(ln U' / ln(1 - W)) + 1
// (U, U' uniform on (0, 1)); it replaces a uniformly chosen slot.
void ContactKpiAccumulator::sample_handle_time(double h) {
  const std::size_t k = o_.handle_sample_size;
  if (k == 0) return;
  const auto uniform = [this] {  // (0, 1): 53 random bits, never 0 or 1
    return (static_cast<double>(splitmix64(rng_) >> 11) + 0.5) * 0x1p-53;
  };
  const auto skip = [&] {
    const double gap = std::floor(std::log(uniform()) / std::log1p(-sample_w_));
    return static_cast<std::size_t>(std::min(gap, 0x1p62)) + 1;
  };
  if (reservoir_.size() < k) {
    reservoir_.push_back(h);
    if (reservoir_.size() == k) {
      sample_w_ = std::exp(std::log(uniform()) / static_cast<double>(k));
      sample_next_ = positive_ + skip();
    }
    return;
  }
  if (positive_ != sample_next_) return;
  reservoir_[splitmix64(rng_) % k] = h;
  sample_w_ *= std::exp(std::log(uniform()) / static_cast<double>(k));
  sample_next_ = positive_ + skip();
}

void ContactKpiAccumulator::add_staffed_time(std::int64_t start, double length_s,
                                             double agents) {
  constexpr std::string_view where = "wfm::kpi::ContactKpiAccumulator::add_staffed_time";
  detail::require_nonnegative(where, "length_s", length_s);
  detail::require_nonnegative(where, "agents", agents);
  if (length_s > o_.max_duration_s)
    detail::throw_constraint(where, "length_s", "must be <= max_duration_s", length_s);
  any_staffed_ = true;
  const auto len = static_cast<double>(o_.interval_length_s);
  auto k = floor_div(start, o_.interval_length_s);
  double t = static_cast<double>(start);
  const double end = t + length_s;
  while (t < end) {
    const double stop = std::min(end, static_cast<double>(k + 1) * len);
    row(k)[fStaffed] += agents * (stop - t);
    t = stop;
    ++k;
  }
}

namespace {

struct RowView {
  const double* r;
  std::size_t targets, bins;
};

// Kaplan-Meier of the virtual wait at floor(t): answered waits are events, abandoned waits are
// censored (Kaplan & Meier 1958, eq. 2), waits grouped at ceil(W) whole seconds.
double virtual_wait_within(const RowView& v, double t) {
  const double* g = v.r + kBase + 2 * v.targets;
  double n = v.r[fOffered], s = 1.0;
  const auto last = std::min(static_cast<std::size_t>(std::floor(t)), v.bins - 1);
  for (std::size_t j = 0; j <= last && n > 0.0; ++j) {
    s *= 1.0 - g[2 * j] / n;
    n -= g[2 * j] + g[2 * j + 1];
  }
  return 1.0 - s;
}

IntervalKpis kpis_of(const RowView& v, const std::vector<ServiceLevelKey>& keys,
                     const std::vector<double>& targets) {
  const double* r = v.r;
  IntervalKpis k;
  const double n = r[fOffered], a = r[fAnswered], b = r[fAbandoned], s = r[fShort];
  k.volume = n;
  k.answered = a;
  k.abandoned = b;
  k.short_abandoned = s;
  k.abandon_rate = n > 0.0 ? b / n : 0.0;
  k.abandon_rate_net = n - s > 0.0 ? (b - s) / (n - s) : 0.0;
  k.aht_s = a > 0.0 ? r[fHandle] / a : 0.0;
  k.asa_s = a > 0.0 ? r[fWaitAnswered] / a : 0.0;
  k.asa_all_s = n > 0.0 ? r[fWaitAll] / n : 0.0;
  for (const ServiceLevelKey& key : keys) {
    const auto i = static_cast<std::size_t>(
        std::find(targets.begin(), targets.end(), key.target_time_s) - targets.begin());
    const double aw = r[kBase + 2 * i], bw = r[kBase + 2 * i + 1];
    double sl = 1.0;  // limit value of an interval without contacts (as wfm::simulation)
    switch (key.definition) {
      case ServiceLevelDefinition::answered_within: sl = n > 0.0 ? aw / n : 1.0; break;
      case ServiceLevelDefinition::wait_within: sl = n > 0.0 ? (aw + bw) / n : 1.0; break;
      case ServiceLevelDefinition::virtual_wait_within:
        sl = n > 0.0 ? virtual_wait_within(v, key.target_time_s) : 1.0;
        break;
      case ServiceLevelDefinition::answered_given_answered: sl = a > 0.0 ? aw / a : 1.0; break;
    }
    k.service_level.push_back(sl);
  }
  k.transfer_rate = a > 0.0 ? r[fTransferred] / a : 0.0;
  k.fcr_count = r[fFcrCount];
  k.fcr_rate = k.fcr_count > 0.0 ? r[fFcrOk] / k.fcr_count : 0.0;
  k.csat_count = r[fCsatCount];
  k.csat_mean = k.csat_count > 0.0 ? r[fCsatSum] / k.csat_count : 0.0;
  k.patience_s = b > 0.0 ? r[fWaitAll] / b : std::numeric_limits<double>::infinity();
  k.busy_s = r[fBusy];
  k.staffed_s = r[fStaffed];
  k.occupancy = k.staffed_s > 0.0 ? k.busy_s / k.staffed_s : 0.0;
  return k;
}

}  // namespace

void ContactKpiAccumulator::reserve(std::size_t contacts) {
  // The mixed keys are uniform over the buckets: a bucket's size is about Poisson(n / 256);
  // six standard deviations of room make a reallocation rare.
  const double mean = static_cast<double>(contacts) / static_cast<double>(customers_.size());
  const auto each = static_cast<std::size_t>(mean + 6.0 * std::sqrt(mean) + 16.0);
  for (auto& bucket : customers_) bucket.reserve(each);
}

// First-contact resolution, one bucket of customers at a time (a customer's contacts share its
// bucket): put the bucket in (customer, arrival) order, then look at each answered contact's next
// contact by the same customer.
void ContactKpiAccumulator::add_first_contact_resolution(std::vector<double>& data) const {
  const auto window = static_cast<std::int64_t>(std::llround(o_.fcr_window_days * 86400.0));
  const auto length = static_cast<double>(o_.interval_length_s);
  std::vector<CustomerContact> cc;
  std::vector<std::uint32_t> count;
  for (const auto& bucket : customers_) {
    if (bucket.empty()) continue;
    sort_bucket(bucket, kCustomerBucketBits, cc, count);
    const std::size_t n = cc.size();
    for (std::size_t i = 0; i < n; ++i) {
      const CustomerContact& c = cc[i];
      const std::int64_t arrival = floor_div(c.arrival, 2);
      if ((c.arrival & 1) == 0 || arrival > last_arrival_ - window) continue;  // not answered
      std::size_t j = i + 1;
      while (j < n && cc[j].customer == c.customer && floor_div(cc[j].arrival, 2) == arrival) ++j;
      const bool repeat = j < n && cc[j].customer == c.customer &&
                          floor_div(cc[j].arrival, 2) - arrival <= window;
      double* r = data.data() +
                  static_cast<std::size_t>(interval_of(arrival, length) - base_) *
                      fields_;
      r[fFcrCount] += 1.0;
      if (!repeat) r[fFcrOk] += 1.0;
    }
  }
}

ContactKpis ContactKpiAccumulator::finish() {
  ContactKpis out;
  out.interval_length_s = o_.interval_length_s;
  out.rows = rows_;
  out.has_occupancy = any_staffed_;
  for (auto d : o_.definitions)
    for (double t : o_.target_times_s) out.service_levels.push_back({d, t});
  std::vector<double> data = data_;  // FCR is added to a copy: finish() may be called again
  add_first_contact_resolution(data);
  std::vector<double> total(fields_, 0.0);
  for (std::size_t i = 0; i < rows_used_; ++i) {
    const double* r = data.data() + i * fields_;
    for (std::size_t f = 0; f < fields_; ++f) total[f] += r[f];
    if (r[fOffered] == 0.0 && r[fBusy] == 0.0 && r[fStaffed] == 0.0) continue;
    IntervalKpis k = kpis_of({r, targets_, bins_}, out.service_levels, o_.target_times_s);
    k.timestamp = (base_ + static_cast<std::int64_t>(i)) * o_.interval_length_s;
    out.intervals.push_back(std::move(k));
  }
  out.overall = kpis_of({total.data(), targets_, bins_}, out.service_levels, o_.target_times_s);
  out.overall.timestamp = out.intervals.empty() ? 0 : out.intervals.front().timestamp;
  // Patience: exponential MLE from the exact sums, Kaplan-Meier on the whole-second grid.
  PatienceEstimate& p = out.patience;
  std::vector<double> grid(patience_events_.size());
  for (std::size_t j = 0; j < grid.size(); ++j) grid[j] = static_cast<double>(j);
  p.kaplan_meier = kaplan_meier_grouped(grid, patience_events_, patience_censored_);
  p.abandoned = total[fAbandoned];
  p.censored = total[fAnswered];
  p.total_wait_s = total[fWaitAll];
  p.patience_s = out.overall.patience_s;
  if (!(p.abandoned > 0.0)) {
    p.status = Status::not_converged;
    p.message = "no abandoned contact: patience is only known to exceed every wait (inf)";
  }
  // Handle time: lognormal MLE from the running sums, KS on the reservoir sample.
  LognormalFit& f = out.handle_time;
  f.count = positive_;
  f.zero_count = zeros_;
  f.sample_mean_s = out.overall.aht_s;
  out.handle_time_sample = reservoir_;
  if (positive_ < 2) {
    f.status = Status::not_converged;
    f.message = "fewer than 2 positive handle times";
  } else {
    const auto n = static_cast<double>(positive_);
    f.mu = log_shift_ + log_sum_ / n;
    f.sigma = std::sqrt(std::max(0.0, log_sq_sum_ - log_sum_ * (log_sum_ / n)) / n);
    f.mean_s = std::exp(f.mu + 0.5 * f.sigma * f.sigma);
    f.cv = std::sqrt(std::expm1(f.sigma * f.sigma));
    std::vector<double> sample = reservoir_;
    f.ks_statistic = ks_statistic_lognormal(sample, f.mu, f.sigma);
    f.ks_sample = sample.size();
    f.ks_p_value = ks_p_value(f.ks_statistic, f.ks_sample);
  }
  return out;
}

ContactKpis contact_kpis(const std::vector<Contact>& contacts, const ContactKpiOptions& options) {
  ContactKpiAccumulator acc(options);
  for (std::size_t i = 0; i < contacts.size(); ++i) {
    try {
      acc.add(contacts[i]);
    } catch (const InvalidArgument& e) {  // name the row (formatted only on failure)
      detail::throw_invalid(fmt::format("contacts[{}]", i), e.what());
    }
  }
  return acc.finish();
}

}  // namespace wfm::kpi
