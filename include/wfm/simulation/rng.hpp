#pragma once
/// \file
/// Reproducible random numbers for the simulator: the xoshiro256++ generator, independent
/// streams derived from (seed, replication, source), and wfm's own variate generators.
///
/// wfm does not use the standard library's distributions: their algorithms are unspecified and
/// differ between libstdc++, libc++ and MSVC, so the same seed would give different results on
/// different platforms. Every generator below is a published algorithm, cited where it is
/// defined, and depends only on the 64-bit words of the stream.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace wfm::simulation {

/// SplitMix64: one step of the generator used to seed xoshiro. Steele, Lea & Flood (2014),
/// "Fast splittable pseudorandom number generators", OOPSLA '14; constants as in Vigna's
/// reference seeding code for xoshiro (prng.di.unimi.it).
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The random sources of one replication. Each source has its own stream, so that a change in
/// how often one source is drawn (e.g. more patience draws) never shifts another (common random
/// numbers across scenarios).
enum class Source : std::uint64_t {
  arrivals = 0,     ///< inter-arrival times
  handle_time = 1,  ///< one handle time per call, drawn at arrival
  patience = 2,     ///< one patience per call, drawn at arrival
  busyness = 3,     ///< the daily busyness factors
  redial = 4,       ///< redial decisions and redial delays (Scenario::redial_probability)
  outbound = 5,     ///< outbound job durations (Scenario::outbound_handle_time)
};

/// xoshiro256++ 1.0: Blackman & Vigna (2021), "Scrambled linear pseudorandom number
/// generators", ACM Trans. Math. Softw. 47(4), article 36. Period 2^256 - 1; 64-bit output.
class Xoshiro256pp {
 public:
  using result_type = std::uint64_t;

  /// A generator from four state words (not all zero; the caller's responsibility).
  constexpr Xoshiro256pp(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2,
                         std::uint64_t s3) noexcept
      : s_{s0, s1, s2, s3} {}

  /// A generator whose state is four SplitMix64 outputs from `seed` (Vigna's recommended
  /// seeding: never all zero in practice, well mixed even for seeds 0, 1, 2, ...).
  explicit constexpr Xoshiro256pp(std::uint64_t seed) noexcept : s_{} {
    for (auto& w : s_) w = splitmix64(seed);
  }

  /// The independent stream for (seed, replication, source): the three keys are hashed through
  /// SplitMix64 into one 64-bit seed, which then seeds the state as above. Streams for different
  /// keys start at unrelated points of the period; with 2^256 states the chance that two of a
  /// run's streams overlap is negligible (Blackman & Vigna 2021, section 4.2).
  [[nodiscard]] static constexpr Xoshiro256pp stream(std::uint64_t seed, std::uint64_t replication,
                                                     Source source) noexcept {
    std::uint64_t h = seed;
    std::uint64_t k = splitmix64(h);
    h = k ^ replication;
    k = splitmix64(h);
    h = k ^ static_cast<std::uint64_t>(source);
    return Xoshiro256pp(splitmix64(h));
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// The next 64-bit word (the reference algorithm, step for step).
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = std::rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

 private:
  std::uint64_t s_[4];
};

/// Uniform on (0, 1]: the top 53 bits plus one, times 2^-53 (never 0, so log() is finite).
template <class G>
[[nodiscard]] inline double uniform_open0(G& g) noexcept {
  return static_cast<double>((g() >> 11) + 1) * 0x1.0p-53;
}
/// Uniform on [0, 1): the top 53 bits times 2^-53.
template <class G>
[[nodiscard]] inline double uniform01(G& g) noexcept {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

/// Standard exponential (mean 1) by inversion, -log(U) with U uniform on (0, 1].
/// Devroye (1986), Non-Uniform Random Variate Generation, section II.2.1 (inversion method).
template <class G>
[[nodiscard]] inline double standard_exponential(G& g) noexcept {
  return -std::log(uniform_open0(g));
}

/// Standard normal variates by the polar method of Marsaglia & Bray (1964), "A convenient
/// method for generating normal variables", SIAM Review 6(3), 260-264 (also Knuth, TAOCP vol. 2,
/// 3rd ed., section 3.4.1, Algorithm P). Each accepted pair gives two independent normals; the
/// second is kept for the next call, so a NormalGenerator belongs to one stream.
class NormalGenerator {
 public:
  template <class G>
  [[nodiscard]] double operator()(G& g) noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double v1 = 0.0;
    double v2 = 0.0;
    double s = 0.0;
    do {
      v1 = 2.0 * uniform01(g) - 1.0;
      v2 = 2.0 * uniform01(g) - 1.0;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v2 * f;
    has_spare_ = true;
    return v1 * f;
  }

 private:
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// Parameters (mu, sigma) of the log of a lognormal with the given mean and coefficient of
/// variation: sigma^2 = log(1 + cv^2), mu = log(mean) - sigma^2 / 2 (the lognormal moments,
/// e.g. Johnson, Kotz & Balakrishnan (1994), Continuous Univariate Distributions vol. 1, ch. 14).
struct LognormalParameters {
  double mu = 0.0;
  double sigma = 0.0;
};
[[nodiscard]] inline LognormalParameters lognormal_parameters(double mean, double cv) noexcept {
  const double s2 = std::log1p(cv * cv);
  return {std::log(mean) - 0.5 * s2, std::sqrt(s2)};
}

/// Gamma(shape, scale 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma
/// variables", ACM Trans. Math. Softw. 26(3), 363-372: squeeze-and-reject on (1 + c Z)^3 for
/// shape >= 1; for shape < 1 the paper's boost Gamma(a) = Gamma(a + 1) * U^(1/a).
/// Requires shape > 0 (unchecked).
template <class G>
[[nodiscard]] inline double standard_gamma(G& g, NormalGenerator& normal, double shape) noexcept {
  if (shape < 1.0) {
    const double x = standard_gamma(g, normal, shape + 1.0);
    return x * std::pow(uniform_open0(g), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double z = 0.0;
    double v = 0.0;
    do {
      z = normal(g);
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform_open0(g);
    if (u < 1.0 - 0.0331 * (z * z) * (z * z)) return d * v;
    if (std::log(u) < 0.5 * z * z + d * (1.0 - v + std::log(v))) return d * v;
  }
}

/// Poisson(mean) variates. For mean < 10, inversion by sequential search from 0 (Devroye 1986,
/// section X.3.2); for mean >= 10, the transformed rejection method PTRS of Hormann (1993),
/// "The transformed rejection method for generating Poisson random variables", Insurance:
/// Mathematics and Economics 12(1), 39-45, with the constants of its Table/algorithm. Requires
/// mean >= 0 and finite (unchecked).
template <class G>
[[nodiscard]] inline std::int64_t poisson(G& g, double mean) noexcept {
  if (mean <= 0.0) return 0;
  if (mean < 10.0) {
    // P(0) = e^-mean; P(k) = P(k-1) * mean / k. Walk the CDF until it passes U.
    double p = std::exp(-mean);
    double cdf = p;
    const double u = uniform01(g);
    std::int64_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = uniform01(g) - 0.5;
    const double v = uniform_open0(g);
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1.0))
      return static_cast<std::int64_t>(k);
  }
}

}  // namespace wfm::simulation
