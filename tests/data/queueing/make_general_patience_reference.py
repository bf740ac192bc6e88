#!/usr/bin/env python3
"""Reference table for M/M/n+G (include/wfm/queueing/general_patience.hpp) with gamma
(Erlang-k and a real shape), piecewise-constant-hazard and deterministic patience, computed with
mpmath at 50 digits, each value by two independent methods that must agree to 1e-25.

Run from anywhere:  python3 tests/data/queueing/make_general_patience_reference.py

The formulas (Zeltyn & Mandelbaum 2005, sec. 2; Mandelbaum & Zeltyn 2004/2009): with
e(x) = exp(lambda H(x) - n mu x), J = int_0^inf e, E = 1 / B(n - 1, lambda / mu) (Erlang B,
by its recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))), D = E + lambda J:
  P(wait) = lambda J / D,  P(abandon) = lambda int (1 - G) e / D,
  answered within t = (E + lambda int_0^t G e) / D,  ASA over all = lambda int H e / D.

Method 1 (every law): mpmath.quad (tanh-sinh) over [0, inf) split at the law's breakpoints, the
target time and the mode of e, with G and H in closed form.
Method 2:
  - piecewise-constant hazard and deterministic: the integrals in closed form. On a piece
    [a, a + w) with G = G_a e^{-h u} (u = x - a), the substitution y = c e^{-h u},
    c = lambda G_a / h, s = n mu / h turns int e du into
    e^{lambda H_a - n mu a + c} c^{-s} / h * int_{c e^{-h w}}^{c} y^{s-1} e^{-y} dy
    (an incomplete gamma function, mpmath.gammainc(s, lo, hi)); G e and H e give the same with
    s + 1. A piece with h = 0 is elementary (e = exp(. + (lambda G_a - n mu) u)); deterministic
    patience is a hazard 0 up to D and +inf after.
  - gamma: mpmath.quad again, at 80 digits instead of 50 and split also at half, once and
    twice the mean patience (other nodes, another working precision: the two agree only if
    both converged).
The table holds method 2's values; the script stops if the methods differ by more than 1e-25;
the C++ tests compare at 1e-10.
"""
import csv
import os
import sys

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
mp.mp.dps = 50
INF = mp.inf


def erlang_b(servers, a):
    b = mp.mpf(1)
    for k in range(1, servers + 1):
        b = a * b / (k + a * b)
    return b


class Piecewise:
    """Piecewise-constant hazard: knots t_1 < ... < t_m, hazard h_0 .. h_m (h_m may be inf)."""

    def __init__(self, knots, hazard):
        self.knots = [mp.mpf(t) for t in knots]
        self.hazard = [mp.mpf(h) if h != "inf" else INF for h in hazard]
        self.starts = [mp.mpf(0)] + self.knots
        self.g, self.h_int = [mp.mpf(1)], [mp.mpf(0)]
        for i, t in enumerate(self.knots):
            w, g, h = t - self.starts[i], self.g[-1], self.hazard[i]
            self.h_int.append(self.h_int[-1] + (g * (1 - mp.exp(-h * w)) / h if h > 0 else g * w))
            self.g.append(g * mp.exp(-h * w))

    def piece(self, x):
        i = 0
        while i < len(self.knots) and x >= self.knots[i]:
            i += 1
        return i

    def G(self, x):
        if x <= 0:
            return mp.mpf(1)
        i = self.piece(x)
        if self.hazard[i] == INF:
            return mp.mpf(0)
        return self.g[i] * mp.exp(-self.hazard[i] * (x - self.starts[i]))

    def H(self, x):
        if x <= 0:
            return mp.mpf(0)
        i = self.piece(x)
        u, g, h = x - self.starts[i], self.g[i], self.hazard[i]
        if h == INF:
            return self.h_int[i]
        return self.h_int[i] + (g * (1 - mp.exp(-h * u)) / h if h > 0 else g * u)

    def breaks(self):
        return list(self.knots)


class Gamma:
    def __init__(self, mean, k):
        self.mean, self.k = mp.mpf(mean), mp.mpf(k)
        self.scale = self.mean / self.k

    def G(self, x):
        return mp.gammainc(self.k, x / self.scale, INF, regularized=True) if x > 0 else mp.mpf(1)

    def H(self, x):
        if x <= 0:
            return mp.mpf(0)
        y = x / self.scale
        return x * self.G(x) + self.mean * mp.gammainc(self.k + 1, 0, y, regularized=True)

    def breaks(self):
        return []


def integrals_quad(law, lam, nmu, t, method, extra=()):
    """(J, int G e, int_0^t G e, int H e) by quadrature, e scaled by exp(-phi(x*))."""
    phi = lambda x: lam * law.H(x) - nmu * x
    # mode of e: lambda G(x*) = n mu (G falls), found by bisection on [0, big]
    lo, hi = mp.mpf(0), mp.mpf(1)
    if lam * law.G(0) > nmu:
        while lam * law.G(hi) > nmu:
            hi *= 2
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if lam * law.G(mid) > nmu else (lo, mid)
    x_star = lo
    m = phi(x_star)
    e = lambda x: mp.exp(phi(x) - m)
    pts = sorted(set([mp.mpf(0), x_star, mp.mpf(t)] + law.breaks() + list(extra)))

    def integral(f, upto=INF):
        nodes = [p for p in pts if p < upto] + [upto]
        return sum(mp.quad(f, [nodes[i], nodes[i + 1]], method=method)
                   for i in range(len(nodes) - 1))

    return (integral(e), integral(lambda x: law.G(x) * e(x)),
            integral(lambda x: law.G(x) * e(x), mp.mpf(t)), integral(lambda x: law.H(x) * e(x)),
            m)


def integrals_closed(law, lam, nmu, t, m):
    """The same four integrals for a Piecewise law, in closed form, scaled by exp(-m)."""
    edges = sorted(set(law.starts + [mp.mpf(t)]))
    totals = [mp.mpf(0)] * 4  # J, int G e, int_0^t G e, int H e

    def piece_integrals(a, b):
        i = law.piece(a)
        g, h, ha = law.G(a), law.hazard[i], law.H(a)
        base = lam * ha - nmu * a - m
        if h == INF or g == 0:  # G = 0: e = exp(base - n mu u), H = H(a)
            j = mp.exp(base) * ((1 - mp.exp(-nmu * (b - a))) / nmu if b != INF else 1 / nmu)
            return j, mp.mpf(0), ha * j
        if h == 0:  # e = exp(base + (lam g - n mu) u), G = g, H = ha + g u
            r = lam * g - nmu
            w = b - a
            if b == INF:
                j, ju = mp.exp(base) / (-r), mp.exp(base) / r ** 2
            else:
                j = mp.exp(base) * (mp.expm1(r * w) / r if r != 0 else w)
                ju = mp.exp(base) * ((w * mp.exp(r * w) / r - mp.expm1(r * w) / r ** 2)
                                     if r != 0 else w * w / 2)
            return j, g * j, ha * j + g * ju
        c, s = lam * g / h, nmu / h
        y_lo = mp.mpf(0) if b == INF else c * mp.exp(-h * (b - a))
        pre = mp.exp(base + c) * c ** (-s) / h
        j = pre * mp.gammainc(s, y_lo, c)
        ratio = pre * mp.gammainc(s + 1, y_lo, c) / c  # int e^{-h u} e du (e^{-h u} = y / c)
        # G = g e^{-h u}, H = ha + (g / h) (1 - e^{-h u})
        return j, g * ratio, (ha + g / h) * j - (g / h) * ratio

    bounds = edges + [INF]
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        if a == b:
            continue
        j, jg, jh = piece_integrals(a, b)
        totals[0] += j
        totals[1] += jg
        if b <= t:
            totals[2] += jg
        totals[3] += jh
    return totals


def metrics(lam, nmu, n, a, ints, m):
    j, jg, jg_t, jh = ints
    e_big = 1 / erlang_b(n - 1, a)
    scale = lam * mp.exp(m)
    d = e_big + scale * j
    return {"wait_probability": scale * j / d, "abandon_probability": scale * (j - jg) / d,
            "sl_answered_within": (e_big + scale * jg_t) / d, "asa_all": scale * jh / d}


CASES = []
for lam, aht, n in ((mp.mpf(1) / 10, 180, 18), (mp.mpf(1) / 30, 300, 9), (mp.mpf(2), 240, 500),
                    (mp.mpf(10) / 3, 300, 1000)):
    for t in (0, 20, 120):
        CASES.append(("gamma3", lam, aht, n, t, Gamma(60, 3)))
        CASES.append(("gamma_real", lam, aht, n, t, Gamma(45, "2.5")))
        CASES.append(("gamma64", lam, aht, n, t, Gamma(30, 64)))
        CASES.append(("piecewise", lam, aht, n, t,
                      Piecewise([20, 60, 180], ["0", "0.02", "0.005", "0.01"])))
        CASES.append(("piecewise_end", lam, aht, n, t, Piecewise([30], ["0.01", "inf"])))
        CASES.append(("deterministic", lam, aht, n, t, Piecewise([30], ["0", "inf"])))


def main():
    rows, worst = [], mp.mpf(0)
    for name, lam, aht, n, t, law in CASES:
        nmu, a = mp.mpf(n) / aht, lam * aht
        q1 = integrals_quad(law, lam, nmu, t, "tanh-sinh")
        m = q1[4]
        one = metrics(lam, nmu, n, a, q1[:4], m)
        if isinstance(law, Piecewise):
            two = metrics(lam, nmu, n, a, integrals_closed(law, lam, nmu, t, m), m)
        else:
            with mp.workdps(80):
                extra = [law.mean / 2, law.mean, 2 * law.mean]
                q2 = integrals_quad(law, lam, nmu, t, "tanh-sinh", extra)
                two = metrics(lam, nmu, n, a, q2[:4], q2[4])
        for key in one:
            diff = abs(one[key] - two[key]) / max(abs(two[key]), mp.mpf("1e-300"))
            worst = max(worst, diff)
            if diff > mp.mpf("1e-25"):
                sys.exit(f"{name} n={n} t={t} {key}: methods differ by {mp.nstr(diff, 3)}")
        law_cols = ({"mean": law.mean, "shape": law.k, "knots": "", "hazard": ""}
                    if isinstance(law, Gamma) else
                    {"mean": "", "shape": "", "knots": " ".join(mp.nstr(k, 17) for k in law.knots),
                     "hazard": " ".join("inf" if h == INF else mp.nstr(h, 17)
                                        for h in law.hazard)})
        rows.append({"case": name, "agents": n, "arrival_rate": repr(float(lam)),
                     "handle_time": aht, "target_time": t, **law_cols,
                     **{k: repr(float(v)) for k, v in two.items()}})
    path = os.path.join(HERE, "general_patience.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} rows -> {path}; worst difference between the methods {mp.nstr(worst, 3)}")


if __name__ == "__main__":
    main()
