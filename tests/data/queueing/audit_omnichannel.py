#!/usr/bin/env python3
"""Randomized adversarial audit of the issue-12 queueing models against mpmath (50 digits).

Run from the repository root with the Python bindings on the path:

    PYTHONPATH=python-bindings python tests/data/queueing/audit_omnichannel.py \
        [--seed 1212] [--points 60] [--models chat,erlang_x,general_patience] \
        [--csv-dir DIR]

It draws operating points the reference tables (make_reference.py, make_omnichannel_reference.py,
make_general_patience_reference.py) do not cover -- agents 1 .. 10,000 log-uniform, loads 0.3 ..
1.3, patience 1 s .. 1e5 s, lambda x patience up to ~1e6, targets 0 .. several hours, m = 1 .. 4
with odd handle-time vectors, N close to n and large, r near 0 and near 1 -- evaluates the
library through wfm.queueing in a child process (each call bounded in time: a hang is
reported, not waited for) and compares every metric with this script's own values. It reports
every relative disagreement above 1e-10, every NaN / inf / exception / time-out, and every
monotonicity violation (SL rising in n, blocking falling in N, loss rising in r, P(wait)
falling in m).

Reference methods (independent of the library's code; the library uses the log-space chain of
birth_death.hpp with the beta law per waiting state, Boost quadrature for M/M/n+G):

* M/M/n+G and chat (exponential patience, sigma_c = n m / h_m in place of n mu): the chain
  below the first waiting state c summed in mpmath, and the waiting part as integrals of the
  virtual-wait density lambda pi_{c-1} e^{phi(x)}, phi(x) = lambda H(x) - sigma_c x, H(x) =
  int_0^x G (Baccelli & Hebuterne 1981; Mandelbaum & Zeltyn 2004/2009, "The M/M/n+G queue:
  summary of performance measures"): P(wait) = int v, P(ab) = int v (1 - G), answered within t
  = P(V = 0) + int_0^t v G, E[min(V, patience)] = int v H (ASA over all), E[Q] = lambda times
  that. phi is concave (phi'' = -lambda g), so the integrals are split at its maximum and at
  the points where it has fallen by 0.5 .. 140 nats (found by bisection), plus the patience
  law's jumps and the target time; mpmath.quad (tanh-sinh) on each piece.
* Chat, second method where the chain is short (<= 3,000 waiting states): the whole chain
  summed in mpmath with the beta law per waiting state, s = sigma_c / theta, u = e^{-theta t}:
  P(V_j <= t, answered) = s/(s+j+1) (1 - I_u(s+1, j+1)) (mpmath.betainc).
* Erlang X: the finite chain 0 .. N at attempt rate x in mpmath; the redial fixed point
  x = lambda + r x L(x), L = pi_N + theta E[Q] / x, by mpmath bisection (Illinois) to 1e-35 in
  [lambda, lambda / (1 - r)]; the answered-within-t part by the truncated density
  pi_n s e^{-s y + z(1 - e^{-y})} Q(N - n, z (1 - e^{-y})) in y = theta V (z = x / theta)
  integrated by mpmath.quad; for N <= 400 also by the beta law per state (second method).
  Limits: N = n is Erlang B (closed form, second method), r = 0 and N -> inf is Erlang A.

--csv-dir writes, per model, the points that passed both methods as reference rows
(generator, seed and point index in each row) for the Catch2 tests.
"""
import argparse
import csv
import math
import multiprocessing as mpc
import os
import random
import sys
import time

import mpmath as mp

mp.mp.dps = 50
REL_TOL = 1e-10
# the two reference methods must agree to this (60 vs 80 digits on a Weibull k = 9.7
# abandonment integral differed by 2e-20: far below what the library is held to)
METHODS_TOL = 1e-18
CALL_TIMEOUT_S = 20.0
DROP_NATS = [0.5, 2, 8, 32, 140]
# Weibull shapes are drawn up to 10^this (1 for the committed rows; --weibull-max-log-k 4 found
# that H(x) underflowed to 0 for large k)
WEIBULL_MAX_LOG_K = 1.0


# ---------------------------------------------------------------------------------------------
# Patience laws in mpmath: survival G(x), H(x) = int_0^x G, jumps.
class Law:
    def __init__(self, kind, mean, shape=1.0, knots=None, hazard=None):
        self.kind, self.mean, self.shape = kind, mp.mpf(mean), mp.mpf(shape)
        self.knots = [mp.mpf(k) for k in (knots or [])]
        self.hazard = [mp.mpf(h) for h in (hazard or [])]
        if kind == "lognormal":
            self.s2 = mp.log(1 + self.shape ** 2)
            self.mu = mp.log(self.mean) - self.s2 / 2
        elif kind == "weibull":
            self.scale = self.mean / mp.gamma(1 + 1 / self.shape)
        elif kind == "gamma":
            self.scale = self.mean / self.shape
        elif kind == "piecewise":
            # survival and H at the knots t_0 = 0, t_1, ...
            self.gk, self.hk = [mp.mpf(1)], [mp.mpf(0)]
            prev = mp.mpf(0)
            for i, t in enumerate(self.knots):
                self.hk.append(self.hk[-1] + self._piece_h(self.gk[-1], self.hazard[i], t - prev))
                self.gk.append(self.gk[-1] * mp.exp(-self.hazard[i] * (t - prev)))
                prev = t
            self.mean = self.hk[-1] + self._piece_h(self.gk[-1], self.hazard[-1], mp.inf)

    @staticmethod
    def _piece_h(g0, h, dt):
        if h == 0:
            return g0 * dt
        if dt == mp.inf:
            return g0 / h
        return g0 * (-mp.expm1(-h * dt)) / h

    def G(self, x):
        k = self.kind
        if k == "exponential":
            return mp.exp(-x / self.mean)
        if k == "deterministic":
            return mp.mpf(1) if x < self.mean else mp.mpf(0)
        if k == "lognormal":
            return mp.erfc((mp.log(x) - self.mu) / mp.sqrt(2 * self.s2)) / 2 if x > 0 else mp.mpf(1)
        if k == "weibull":
            return mp.exp(-((x / self.scale) ** self.shape))
        if k == "gamma":
            return mp.gammainc(self.shape, x / self.scale, mp.inf, regularized=True)
        i = self._piece(x)
        return self.gk[i] * mp.exp(-self.hazard[i] * (x - self._t(i)))

    def F(self, x):
        """1 - G(x) without cancellation (1 - G loses every digit where G is 1 - 1e-60)."""
        k = self.kind
        if x <= 0:
            return mp.mpf(0)
        if k == "exponential":
            return -mp.expm1(-x / self.mean)
        if k == "weibull":
            return -mp.expm1(-((x / self.scale) ** self.shape))
        if k == "gamma":
            return mp.gammainc(self.shape, 0, x / self.scale, regularized=True)
        if k == "lognormal":
            return mp.erfc(-(mp.log(x) - self.mu) / mp.sqrt(2 * self.s2)) / 2
        if k == "piecewise" and self._piece(x) == 0:
            return -mp.expm1(-self.hazard[0] * x)
        return 1 - self.G(x)

    def H(self, x):
        k = self.kind
        if k == "exponential":
            return -self.mean * mp.expm1(-x / self.mean)
        if k == "deterministic":
            return min(x, self.mean)
        if k == "lognormal":
            if x <= 0:
                return mp.mpf(0)
            z = (mp.log(x) - self.mu - self.s2) / mp.sqrt(self.s2)
            return x * self.G(x) + self.mean * mp.ncdf(z)
        if k == "weibull":
            return self.scale / self.shape * mp.gammainc(1 / self.shape, 0, (x / self.scale) ** self.shape)
        if k == "gamma":
            y = x / self.scale
            return x * self.G(x) + self.mean * mp.gammainc(self.shape + 1, 0, y, regularized=True)
        i = self._piece(x)
        return self.hk[i] + self._piece_h(self.gk[i], self.hazard[i], x - self._t(i))

    def _t(self, i):
        return mp.mpf(0) if i == 0 else self.knots[i - 1]

    def _piece(self, x):
        i = 0
        while i < len(self.knots) and x >= self.knots[i]:
            i += 1
        return i

    def jumps(self):
        if self.kind == "deterministic":
            return [self.mean]
        if self.kind == "piecewise":
            return list(self.knots)
        return []


def bisect(f, lo, hi, iters=200):
    """Root of a monotone f on [lo, hi] (f(lo), f(hi) of opposite signs)."""
    flo = f(lo)
    for _ in range(iters):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == (flo > 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
        if hi - lo <= mp.mpf(10) ** (-45) * max(abs(hi), mp.mpf(1e-30)):
            break
    return (lo + hi) / 2


def waiting_integrals(lam, sigma, law, t, drops=DROP_NATS):
    """int_0^inf e^{phi - phi_max} f for f = 1, 1 - G, H and int_0^t e^{phi - phi_max} G,
    phi(x) = lam H(x) - sigma x; returns (phi_max, dict)."""
    phi = lambda x: lam * law.H(x) - sigma * x
    # the maximum: phi'(x) = lam G(x) - sigma, G non-increasing
    if lam * law.G(mp.mpf(0)) <= sigma:
        xs = mp.mpf(0)
    elif law.kind == "deterministic":
        xs = law.mean
    else:
        hi = law.mean
        while lam * law.G(hi) > sigma:
            hi *= 2
        xs = bisect(lambda x: lam * law.G(x) - sigma, mp.mpf(0), hi)
    pmax = phi(xs)
    pts = {mp.mpf(0), xs}
    for d in drops:
        g = lambda x: phi(x) - pmax + d
        if xs > 0 and phi(mp.mpf(0)) - pmax + d < 0:
            pts.add(bisect(g, mp.mpf(0), xs))
        hi = xs + 1 / sigma
        while g(hi) > 0:
            hi = xs + 2 * (hi - xs)
        pts.add(bisect(g, xs, hi))
    end = max(pts)
    for j in law.jumps():
        if j < end:
            pts.add(j)
    pts = sorted(pts)
    e = lambda x: mp.exp(phi(x) - pmax)

    def integrate(f, upto=None):
        p = pts + [mp.inf] if upto is None else [x for x in pts if x < upto] + [upto]
        if len(p) < 2 or p[-1] == p[0]:
            return mp.mpf(0)
        return mp.quad(lambda x: e(x) * f(x), p)

    out = {
        "J": integrate(lambda x: 1),
        "ab": integrate(law.F),
        "H": integrate(law.H),
    }
    out["Gt"] = integrate(law.G, upto=t) if t > 0 else mp.mpf(0)
    return pmax, out


def mz_metrics(lam, log_w, sigma, law, t, drops=DROP_NATS):
    """Metrics from the chain below c (log weights, last = state c - 1) and the waiting density."""
    lw_last = log_w[-1]
    top = max(max(log_w), lw_last + mp.log(lam))
    pmax, I = waiting_integrals(lam, sigma, law, t, drops)
    scale = mp.exp(lw_last + mp.log(lam) + pmax - top)  # lam pi_{c-1} e^{phi_max}, rescaled
    below = mp.fsum(mp.exp(x - top) for x in log_w)
    Z = below + scale * I["J"]
    r = {
        "wait_probability": scale * I["J"] / Z,
        "abandon_rate": scale * I["ab"] / Z,
        "service_level": (below + scale * I["Gt"]) / Z,
        "asa_s": scale * I["H"] / Z,
    }
    r["queue_length"] = lam * r["asa_s"]
    return r, below / Z, log_w, top, Z


# ---------------------------------------------------------------------------------------------
# Chat
def chat_sigma(n, hs, k):
    q, r = divmod(k, n)
    a = lambda j: mp.mpf(0) if j == 0 else mp.mpf(j) / hs[j - 1]
    return (n - r) * a(q) + (r * a(q + 1) if r else 0)


def chat_below(lam, n, hs):
    """log w_k, k = 0 .. c - 1, of the chat chain (w_0 = 1)."""
    c = n * len(hs)
    out = [mp.mpf(0)]
    llam = mp.log(lam)
    for k in range(1, c):
        out.append(out[-1] + llam - mp.log(chat_sigma(n, hs, k)))
    return out


def chat_reference(p):
    lam, hs, pat, n, t = mp.mpf(p["arrival_rate"]), [mp.mpf(h) for h in p["hs"]], mp.mpf(p["patience"]), p["n"], mp.mpf(p["t"])
    c = n * len(hs)
    sigma = chat_sigma(n, hs, c)
    law = Law("exponential", pat)
    log_w = chat_below(lam, n, hs)
    r, below, _, _, _ = mz_metrics(lam, log_w, sigma, law, t)
    second = None
    theta = 1 / pat
    s, z, u = sigma / theta, lam / theta, mp.exp(-theta * t)
    # method 1: the whole chain, if its waiting part is short (beyond the mode z - s ... )
    span = int(max(z - s, 0) + 60 * mp.sqrt(z + 1) + 200)
    if span <= 3000 and c <= 40000:
        top = max(log_w)
        w = [mp.exp(x - top) for x in log_w]
        wq, k = [], 0
        cur = w[-1] * lam / sigma
        while True:
            wq.append(cur)
            k += 1
            cur = cur * lam / (sigma + k * theta)
            if k > z and cur < mp.mpf(10) ** -45 * max(wq):
                break
            if k > 200000:
                break
        Z = mp.fsum(w) + mp.fsum(wq)
        ab = theta * mp.fsum(j * x for j, x in enumerate(wq)) / Z / lam
        sl = mp.fsum(w) / Z
        if t > 0:
            sl += mp.fsum(x * s / (s + j + 1) * mp.betainc(s + 1, j + 1, u, 1, regularized=True) for j, x in enumerate(wq)) / Z
        second = {"wait_probability": mp.fsum(wq) / Z, "abandon_rate": ab, "service_level": sl}
    return r, second


def chat_library(p):
    import wfm.queueing as q
    m = q.ChatConcurrency(arrival_rate=p["arrival_rate"], handle_time_by_concurrency=p["hs"], patience=p["patience"])
    x = m.metrics(p["n"], target_time=p["t"])
    return {"wait_probability": x.wait_probability, "abandon_rate": x.abandon_rate, "service_level": x.service_level,
            "asa_s": x.asa_s, "queue_length": x.queue_length, "status": x.status}


def draw_chat(rng, i):
    n = int(round(math.exp(rng.uniform(0, math.log(10000)))))
    n = max(1, n)
    m = rng.randint(1, 4)
    if n * m > 20000:
        m = max(1, 20000 // n)
    base = rng.choice([37.0, 113.3, 300.0, 617.9, 1800.0])
    hs, h = [], base
    for j in range(m):
        hs.append(round(h, 3))
        h *= rng.uniform(1.0, 1.9)  # h_j may grow slower or faster than j (non-monotone rate)
    rho = rng.uniform(0.3, 1.3)
    sigma = n * m / hs[-1]
    lam = rho * sigma
    if i % 5 == 4:
        pat = 10 ** rng.uniform(3, 5) if lam * 1e5 > 1e4 else 10 ** rng.uniform(0, 5)
    else:
        pat = 10 ** rng.uniform(0, 5)
    pat = min(pat, 2e6 / lam)  # lambda x patience <= ~2e6
    t = rng.choice([0.0, 0.0, rng.uniform(0, 60), rng.uniform(0, 3600), rng.uniform(0, 4 * 3600)])
    return {"arrival_rate": lam, "hs": hs, "patience": pat, "n": n, "t": t}


# ---------------------------------------------------------------------------------------------
# Erlang X
def ex_chain(x, n, N, mu, theta):
    lw = [mp.mpf(0)]
    lx = mp.log(x)
    for k in range(1, N + 1):
        lw.append(lw[-1] + lx - mp.log(min(k, n) * mu + max(k - n, 0) * theta))
    top = max(lw)
    w = [mp.exp(v - top) for v in lw]
    Z = mp.fsum(w)
    return [v / Z for v in w]


def ex_loss(pi, x, n, N, theta):
    eq = mp.fsum((k - n) * pi[k] for k in range(n, N + 1))
    return pi[N] + theta * eq / x, eq


def erlang_x_reference(p):
    lam, h, pat, N, r, n, t = (mp.mpf(p["arrival_rate"]), mp.mpf(p["handle_time"]), mp.mpf(p["patience"]),
                               p["lines"], mp.mpf(p["redial"]), min(p["n"], p["lines"]), mp.mpf(p["t"]))
    mu, theta = 1 / h, 1 / pat
    if r == 0:
        x = lam
    else:
        g = lambda x: lam + r * x * ex_loss(ex_chain(x, n, N, mu, theta), x, n, N, theta)[0] - x
        x = mp.findroot(g, (lam, lam / (1 - r)), solver="illinois", tol=mp.mpf(10) ** -70, maxsteps=400)
    pi = ex_chain(x, n, N, mu, theta)
    L, eq = ex_loss(pi, x, n, N, theta)
    out = {"effective_arrival_rate": x, "blocking_rate": pi[N], "abandon_rate": theta * eq / x,
           "wait_probability": mp.fsum(pi[n:N]), "queue_length": eq,
           "lost_rate": L * (1 - r) / (1 - r * L)}
    s, z = n * mu / theta, x / theta
    below = mp.fsum(pi[:n])
    sl = below
    if t > 0 and N > n:
        dens = lambda y: pi[n] * s * mp.exp(-s * y + z * (-mp.expm1(-y))) * mp.gammainc(N - n, z * (-mp.expm1(-y)), mp.inf, regularized=True)
        yt = theta * t
        pts = [mp.mpf(0)] + [v for v in (1 / (s + z), 8 / (s + z), 1 / s, 8 / s, 1, 8) if v < yt] + [yt]
        sl += mp.quad(lambda y: mp.exp(-y) * dens(y), sorted(set(pts)))
    out["service_level"] = sl
    second = None
    if N <= 400:
        sl2 = below
        if t > 0:
            u = mp.exp(-theta * t)
            sl2 += mp.fsum(pi[n + j] * s / (s + j + 1) * mp.betainc(s + 1, j + 1, u, 1, regularized=True) for j in range(N - n))
        second = {"service_level": sl2}
        if N == n:  # Erlang B at the attempt rate
            a = x / mu
            b = mp.mpf(1)
            for k in range(1, N + 1):
                b = a * b / (k + a * b)
            second["blocking_rate"] = b
    return out, second


def erlang_x_library(p):
    import wfm.queueing as q
    m = q.ErlangX(arrival_rate=p["arrival_rate"], handle_time=p["handle_time"], patience=p["patience"], lines=p["lines"],
                  redial_probability=p["redial"])
    x = m.metrics(p["n"], target_time=p["t"])
    return {k: getattr(x, k) for k in ("effective_arrival_rate", "blocking_rate", "abandon_rate", "wait_probability",
                                        "queue_length", "lost_rate", "service_level", "status")}


def draw_erlang_x(rng, i):
    n = max(1, int(round(math.exp(rng.uniform(0, math.log(3000 if i % 3 else 10000))))))
    kind = i % 4
    N = [n, n + rng.randint(1, 3), int(n * rng.uniform(1.05, 1.6)) + 1, n + rng.randint(50, 3000)][kind]
    h = rng.choice([60.0, 180.0, 293.7, 1200.0])
    lam = rng.uniform(0.3, 1.3) * n / h
    pat = 10 ** rng.uniform(0, 5)
    pat = min(pat, 1e6 / lam)
    r = rng.choice([0.0, rng.uniform(0, 1e-3), rng.uniform(0.2, 0.8), 1 - 10 ** rng.uniform(-4, -1)])
    t = rng.choice([0.0, rng.uniform(0, 60), rng.uniform(0, 3600)])
    return {"arrival_rate": lam, "handle_time": h, "patience": pat, "lines": N, "redial": r, "n": n, "t": t}


# ---------------------------------------------------------------------------------------------
# General patience
def law_of(p):
    k = p["law"]
    if k == "piecewise":
        return Law(k, 0, knots=p["knots"], hazard=p["hazard"])
    if k == "survival":  # from_survival: log-linear between points, mean hazard tail
        ts, ss = p["times"], p["survival"]
        knots, haz, prev_t, prev_s = [], [], 0.0, 1.0
        for tt, sv in zip(ts, ss):
            knots.append(tt)
            haz.append(mp.log(mp.mpf(prev_s) / mp.mpf(sv)) / (mp.mpf(tt) - mp.mpf(prev_t)))
            prev_t, prev_s = tt, sv
        haz.append(-mp.log(mp.mpf(ss[-1])) / mp.mpf(ts[-1]))
        return Law("piecewise", 0, knots=knots, hazard=haz)
    return Law(k, p["mean"], p.get("shape", 1.0))


def erlang_b_log_inverse(n, a):
    """log w_k, k = 0 .. n - 1 of M/M/n below n (w_k = a^k / k!)."""
    out = [mp.mpf(0)]
    la = mp.log(a)
    for k in range(1, n):
        out.append(out[-1] + la - mp.log(k))
    return out


def gp_reference(p):
    """At 80 digits, and again at 60 digits on other splits (the second method): mpmath.quad at
    50 digits was measured 2.5e-10 off on a Weibull k = 9.7 abandonment integral (seed 1212
    point 4), so the M/M/n+G values are taken at 80 and checked at 60."""
    def at(dps, drops):
        with mp.workdps(dps):
            lam, h, n, t = mp.mpf(p["arrival_rate"]), mp.mpf(p["handle_time"]), p["n"], mp.mpf(p["t"])
            r, _, _, _, _ = mz_metrics(lam, erlang_b_log_inverse(n, lam * h), n / h, law_of(p), t, drops)
            return {k: +v for k, v in r.items()}
    return at(80, DROP_NATS), at(60, [1, 4, 16, 64, 160])


def gp_library(p):
    import wfm.queueing as q
    PD = q.PatienceDistribution
    k = p["law"]
    if k == "piecewise":
        d = PD.piecewise_hazard(knots=p["knots"], hazard=p["hazard"])
    elif k == "survival":
        d = PD.from_survival(times=p["times"], survival=p["survival"])
    elif k in ("exponential", "deterministic"):
        d = getattr(PD, k)(p["mean"])
    elif k == "lognormal":
        d = PD.lognormal(mean=p["mean"], cv=p["shape"])
    else:
        d = getattr(PD, k)(mean=p["mean"], k=p["shape"])
    m = q.GeneralPatience(arrival_rate=p["arrival_rate"], handle_time=p["handle_time"], patience=d)
    x = m.metrics(p["n"], target_time=p["t"])
    out = {"wait_probability": x.wait_probability, "abandon_rate": x.abandon_rate, "service_level": x.service_level,
           "asa_s": x.asa_s, "queue_length": x.queue_length, "status": x.status}
    if k == "exponential":  # the 1e-12: exponential patience is Erlang A
        a = q.ErlangA(arrival_rate=p["arrival_rate"], handle_time=p["handle_time"], patience=p["mean"])
        out["erlang_a_wait_probability"] = a.wait_probability(p["n"])
        out["erlang_a_service_level"] = a.service_level(p["n"], target_time=p["t"])
        out["erlang_a_abandon_rate"] = a.abandon_probability(p["n"])
    return out


def draw_gp(rng, i):
    n = max(1, int(round(math.exp(rng.uniform(0, math.log(10000))))))
    h = rng.choice([45.0, 180.0, 333.3, 900.0])
    lam = rng.uniform(0.3, 1.3) * n / h
    mean = 10 ** rng.uniform(0, 5)
    mean = min(mean, 1e6 / lam)
    law = ["exponential", "deterministic", "gamma", "lognormal", "weibull", "piecewise", "survival"][i % 7]
    p = {"arrival_rate": lam, "handle_time": h, "n": n, "law": law, "mean": mean,
         "t": rng.choice([0.0, rng.uniform(0, 1.5 * mean), rng.uniform(0, 4 * 3600)])}
    if law == "gamma":
        p["shape"] = rng.choice([rng.randint(1, 9), 10 ** rng.uniform(-0.7, 3)])
    elif law == "lognormal":
        p["shape"] = 10 ** rng.uniform(-1.5, 0.7)
    elif law == "weibull":
        p["shape"] = 10 ** rng.uniform(-0.5, WEIBULL_MAX_LOG_K)
    elif law == "piecewise":
        m = rng.randint(1, 4)
        knots = sorted(rng.uniform(0.05, 3) * mean for _ in range(m))
        hz = [rng.choice([0.0, rng.uniform(0.2, 3) / mean]) for _ in range(m)] + [rng.uniform(0.3, 3) / mean]
        p.update(knots=knots, hazard=hz)
    elif law == "survival":
        m = rng.randint(2, 30)
        ts = sorted(rng.uniform(0.02, 3) * mean for _ in range(m))
        ss, s = [], 1.0
        for _ in ts:
            s *= rng.uniform(0.4, 0.999)
            ss.append(s)
        p.update(times=ts, survival=ss)
    return p


# ---------------------------------------------------------------------------------------------
# Blending: the two-dimensional chain (x inbound calls in the system, y outbound jobs) built in
# the original coordinates straight from the policy of blending.hpp (an agent who becomes free
# takes a waiting call; else an outbound job if >= reserve other agents stay idle; else idles),
# solved densely in double precision (numpy; small n only), the SL by the tagged call's
# absorbing chain (scipy expm_multiply). Not the library's level reduction nor its
# uniformization: an independent method, but double precision, so compared at 1e-9.
def blending_reference(p):
    import numpy as np
    from scipy.sparse import lil_matrix, csc_matrix
    from scipy.sparse.linalg import expm_multiply
    lam, mi, mo, n, s, t = p["arrival_rate"], 1 / p["handle_time"], 1 / p["outbound_handle_time"], p["n"], min(p["reserve"], p["n"]), p["t"]
    th = 1 / p["patience"]
    X = n + p["queue_cut"]
    idx = {(x, y): k for k, (x, y) in enumerate((x, y) for y in range(n + 1) for x in range(X + 1))}
    Qm = np.zeros((len(idx), len(idx)))
    def add(a, b, r):
        if r > 0 and a != b:
            Qm[idx[a], idx[b]] += r
    for (x, y) in idx:
        if x < X:
            add((x, y), (x + 1, y), lam)
        busy_in = min(x, n - y)
        if busy_in > 0:
            if x - 1 >= n - y:  # a waiting call takes the agent
                add((x, y), (x - 1, y), mi * busy_in)
            elif n - y - x >= s and y + 1 <= n:  # others idle after: n - y - (x - 1) - 1
                add((x, y), (x - 1, y + 1), mi * busy_in)
            else:
                add((x, y), (x - 1, y), mi * busy_in)
        if y > 0 and not (x <= n - y and n - y - x >= s):  # restart = self-loop
            add((x, y), (x, y - 1), mo * y)
        wait = max(x - (n - y), 0)
        if wait > 0:
            add((x, y), (x - 1, y), th * wait)
    np.fill_diagonal(Qm, -Qm.sum(axis=1))
    A = Qm.T.copy()
    A[-1, :] = 1.0
    b = np.zeros(len(idx))
    b[-1] = 1.0
    pi = np.linalg.solve(A, b)
    pi = np.maximum(pi, 0.0)
    pi /= pi.sum()
    pw = eq = idle = ey = tail = 0.0
    for (x, y), k in idx.items():
        w = max(x - (n - y), 0)
        if x >= n - y:
            pw += pi[k]
        eq += w * pi[k]
        idle += max(n - y - x, 0) * pi[k]
        ey += y * pi[k]
        if x == X:
            tail += pi[k]
    out = {"wait_probability": pw, "abandon_rate": th * eq / lam, "queue_length": eq,
           "outbound_throughput": mo * ey, "occupancy": 1 - idle / n, "asa_s": eq / lam, "tail": tail}
    sl = 1 - pw
    if t > 0:
        J = p["queue_cut"] + n
        tid = {(j, y): k for k, (j, y) in enumerate((j, y) for y in range(n + 1) for j in range(J + 1))}
        ans = len(tid)
        G = lil_matrix((ans + 2, ans + 2))
        for (j, y), k in tid.items():
            rate_done = mi * (n - y)
            G[k, ans + 1] += th  # the tagged call abandons
            if j == 0:
                G[k, ans] += rate_done + mo * y
            else:
                G[k, tid[(j - 1, y)]] += rate_done + th * j
                if y > 0:
                    G[k, tid[(j - 1, y - 1)]] += mo * y
        G = csc_matrix(G)
        diag = np.asarray(G.sum(axis=1)).ravel()
        G = G - csc_matrix((diag, (range(ans + 2), range(ans + 2))), shape=(ans + 2, ans + 2))
        v0 = np.zeros(ans + 2)
        for (x, y), k in idx.items():
            if x >= n - y and x < X:
                v0[tid[(x - (n - y), y)]] += pi[k]
        vt = expm_multiply(G.T * t, v0)
        sl += vt[ans]
    out["service_level"] = sl
    return {k: mp.mpf(v) for k, v in out.items()}, None


def blending_library(p):
    import wfm.queueing as q
    b = q.Blending(arrival_rate=p["arrival_rate"], handle_time=p["handle_time"],
                   outbound_handle_time=p["outbound_handle_time"], patience=p["patience"], reserve=p["reserve"])
    x = b.metrics(p["n"], target_time=p["t"])
    return {k: getattr(x, k) for k in ("wait_probability", "abandon_rate", "queue_length", "outbound_throughput",
                                        "occupancy", "asa_s", "service_level", "status")}


def draw_blending(rng, i):
    n = rng.randint(1, 9)
    h = rng.choice([60.0, 180.0, 300.0])
    ho = h if i % 3 == 0 else h * rng.choice([0.1, 0.37, 2.5, 11.0])
    lam = rng.uniform(0.3, 1.3) * n / h
    pat = h * 10 ** rng.uniform(-0.5, 0.5)
    reserve = rng.choice([0, 1, rng.randint(0, n), n, n + 2])
    # the queue cut: the dominating chain (death n min(mu) + theta j) below 1e-22
    mmin = n * min(1 / h, 1 / ho)
    w, j = 1.0, 0
    while w > 1e-22 or j < 5:
        j += 1
        w *= lam / (mmin + j / pat)
    return {"arrival_rate": lam, "handle_time": h, "outbound_handle_time": ho, "patience": pat, "reserve": reserve,
            "n": n, "t": rng.choice([0.0, rng.uniform(0, 2 * h)]), "queue_cut": j + 5}


# ---------------------------------------------------------------------------------------------
# Time-varying: (a) the exact evaluator with a constant rate and constant staff from the
# stationary start must reproduce stationary Erlang A in every interval (the M-Z engine above);
# (b) the infinite-server offered load of piecewise-constant arrivals against its own integral
# m(t) = m(a) e^{-mu (t - a)} + lambda_i / mu (1 - e^{-mu (t - a)}) (exponential) or
# m(t) = int_{t-D}^t lambda (deterministic), averaged by mpmath.quad over each interval.
def tv_reference(p):
    lam, h, n, t, pat = mp.mpf(p["arrival_rate"]), mp.mpf(p["handle_time"]), p["n"], mp.mpf(p["t"]), mp.mpf(p["patience"])
    r, _, _, _, _ = mz_metrics(lam, erlang_b_log_inverse(n, lam * h), n / h, Law("exponential", pat), t)
    out = {k: r[k] for k in ("wait_probability", "abandon_rate", "service_level", "queue_length")}
    rates = [mp.mpf(x) for x in p["rates"]]
    L, mu = mp.mpf(p["interval_length"]), 1 / h
    rate_at = lambda u: rates[0] if u < 0 else rates[min(int(u // L), len(rates) - 1)]
    ma = rates[0] * h  # stationary start
    for i, li in enumerate(rates):
        if p["service"] == "exponential":
            m = lambda u: li * h + (ma - li * h) * mp.exp(-mu * u)
            out[f"offered_load_{i}"] = mp.quad(m, [0, L]) / L
            ma = m(L)
        else:
            a = i * L
            def m(u):
                lo, hi = a + u - h, a + u
                pts = [lo] + [k * L for k in range(int(mp.floor(lo / L)) + 1, int(mp.ceil(hi / L))) if lo < k * L < hi] + [hi]
                return mp.fsum(rate_at((x0 + x1) / 2) * (x1 - x0) for x0, x1 in zip(pts, pts[1:]))
            brk = sorted({mp.mpf(0), L} | {x for x in (k * L - a + h for k in range(-2, len(rates) + 2)) if 0 < x < L})
            out[f"offered_load_{i}"] = mp.quad(m, brk) / L
    return out, None


def tv_library(p):
    import numpy as np
    import wfm.queueing as q
    k = 8
    e = q.evaluate_staffing_arrays(arrival_rates=np.full(k, p["arrival_rate"]), interval_length=p["interval_length"],
                                   handle_time=p["handle_time"], patience=p["patience"], agents=np.full(k, float(p["n"])),
                                   goal=q.StaffingGoal(service_level=0.8, target_time=p["t"]))
    out = {}
    for key in ("wait_probability", "abandon_rate", "service_level", "queue_length"):
        vals = list(e[key])
        worst = max(vals, key=lambda v: abs(v - vals[0]) if math.isfinite(v) else math.inf)
        out[key] = worst  # the interval furthest from the first
    o = q.offered_load_arrays(arrival_rates=p["rates"], interval_length=p["interval_length"], handle_time=p["handle_time"],
                              service=p["service"])
    for i, v in enumerate(o["offered_load"]):
        out[f"offered_load_{i}"] = float(v)
    out["status"] = "ok" if e["overall"] == "ok" else e["overall"] + ": " + e["message"]
    return out


def draw_tv(rng, i):
    n = max(1, int(round(math.exp(rng.uniform(0, math.log(500))))))
    h = rng.choice([30.0, 180.0, 600.0, 2400.0])
    lam = rng.uniform(0.3, 1.3) * n / h
    pat = min(10 ** rng.uniform(0, 4), 2e4 / lam)
    L = rng.choice([900.0, 1800.0, 3600.0])
    rates = [lam * rng.choice([0.0, 0.2, 1.0, 3.0, rng.uniform(0, 2)]) for _ in range(6)]
    return {"arrival_rate": lam, "handle_time": h, "n": n, "patience": pat, "interval_length": L,
            "t": rng.choice([0.0, rng.uniform(0, 120)]), "rates": rates,
            "service": rng.choice(["exponential", "deterministic"])}


# ---------------------------------------------------------------------------------------------
# Erlang X with the exact retrial chain (retrial.hpp): the two-dimensional generator of (k, j)
# written from the transitions in its docstring, solved by a sparse direct solve (scipy, double
# precision; not the library's level reduction) with an orbit bound far beyond the mass
# (P(j = J) < 1e-25); per-attempt metrics weight pi(k, j) by lambda + j / D (PASTA and the
# orbit's conditional PASTA); SL by the beta law (mpmath.betainc). Compared at 1e-8: the
# library stops the orbit once P(j = J) <= 1e-12 (RetrialPolicy::tail_tolerance) and the
# solve is double precision.
def retrial_reference(p):
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import spsolve
    lam, mu, th, N, r, D = p["arrival_rate"], 1 / p["handle_time"], 1 / p["patience"], p["lines"], p["redial"], p["delay"]
    n, t = min(p["n"], N), p["t"]
    mean_orbit = r * lam * D / (1 - r)
    J = int(mean_orbit + 30 * math.sqrt(mean_orbit + 1) + 60)
    size = (N + 1) * (J + 1)
    at = lambda k, j: j * (N + 1) + k
    rows, cols, vals = [], [], []
    def add(a, b, v):
        if v > 0 and a != b:
            rows.append(a); cols.append(b); vals.append(v)
    for j in range(J + 1):
        for k in range(N + 1):
            me = at(k, j)
            if k < N:
                add(me, at(k + 1, j), lam)
                if j > 0:
                    add(me, at(k + 1, j - 1), j / D)
            else:
                if j < J:
                    add(me, at(N, j + 1), lam * r)
                if j > 0:
                    add(me, at(N, j - 1), (j / D) * (1 - r))
            if k > 0:
                add(me, at(k - 1, j), min(k, n) * mu)
            wq = max(k - n, 0)
            if wq > 0:
                if j < J:
                    add(me, at(k - 1, j + 1), wq * th * r)
                add(me, at(k - 1, j), wq * th * (1 - r) if j < J else wq * th)
    Q = coo_matrix((vals, (rows, cols)), shape=(size, size)).tocsr()
    out_rate = np.asarray(Q.sum(axis=1)).ravel()
    A = (Q.T - coo_matrix((out_rate, (range(size), range(size))), shape=(size, size))).tolil()
    A[0, :] = np.ones(size)
    b = np.zeros(size); b[0] = 1.0
    pi = spsolve(A.tocsc(), b)
    pi = np.maximum(pi, 0.0); pi /= pi.sum()
    P = pi.reshape(J + 1, N + 1)  # [j, k]
    js = np.arange(J + 1)[:, None]
    wgt = P * (lam + js / D)
    att = wgt.sum()
    ks = np.arange(N + 1)[None, :]
    eq = float((P * np.maximum(ks - n, 0)).sum())
    blocked = float(wgt[:, N].sum())
    out = {"effective_arrival_rate": att, "blocking_rate": blocked / att, "abandon_rate": th * eq / att,
           "wait_probability": float(wgt[:, n:N].sum()) / att, "queue_length": eq,
           "lost_rate": (1 - r) * (blocked + th * eq) / lam, "orbit_tail": float(P[J].sum())}
    wk = wgt.sum(axis=0) / att
    sl = mp.mpf(float(wk[:n].sum()))
    if t > 0:
        s, u = n * mu / th, mp.exp(-th * mp.mpf(t))
        sl += mp.fsum(mp.mpf(float(wk[n + j])) * s / (s + j + 1) * mp.betainc(s + 1, j + 1, u, 1, regularized=True)
                      for j in range(N - n))
    out["service_level"] = sl
    return {k: mp.mpf(v) for k, v in out.items()}, None


def retrial_library(p):
    import wfm.queueing as q
    m = q.ErlangXRetrial(arrival_rate=p["arrival_rate"], handle_time=p["handle_time"], patience=p["patience"],
                         lines=p["lines"], redial_probability=p["redial"], redial_delay=p["delay"])
    x = m.metrics(p["n"], target_time=p["t"])
    out = {k: getattr(x, k) for k in ("effective_arrival_rate", "blocking_rate", "abandon_rate", "wait_probability",
                                       "queue_length", "lost_rate", "service_level", "status")}
    if not x.exact:
        out["status"] = "not exact: " + x.message
    return out


def draw_retrial(rng, i):
    n = rng.randint(1, 12)
    N = n + rng.choice([0, 1, 2, rng.randint(3, 15)])
    h = rng.choice([60.0, 180.0, 300.0])
    lam = rng.uniform(0.3, 1.3) * n / h
    pat = h * 10 ** rng.uniform(-1, 1)
    r = rng.choice([rng.uniform(0, 1e-3), rng.uniform(0.2, 0.8), 0.95])
    D = 10 ** rng.uniform(0, 3.3)
    return {"arrival_rate": lam, "handle_time": h, "patience": pat, "lines": N, "redial": r, "delay": D, "n": n,
            "t": rng.choice([0.0, rng.uniform(0, 120)])}


MODELS = {
    "chat": (draw_chat, chat_reference, chat_library),
    "erlang_x": (draw_erlang_x, erlang_x_reference, erlang_x_library),
    "general_patience": (draw_gp, gp_reference, gp_library),
    "blending": (draw_blending, blending_reference, blending_library),
    "time_varying": (draw_tv, tv_reference, tv_library),
    "retrial": (draw_retrial, retrial_reference, retrial_library),
}
TOLERANCE = {"blending": 1e-9, "retrial": 1e-8}
# absolute floors: the blending reference is a double-precision solve; the time-varying
# evaluator integrates the transient equations to an absolute accuracy (TransientPolicy), so
# probabilities below ~1e-10 carry relative errors up to 1e-4 there (reported, see README)
ABS_FLOOR = {"blending": 1e-15, "time_varying": 1e-15, "retrial": 1e-15}


# ---------------------------------------------------------------------------------------------
# The library runs in a child process, one call at a time, each bounded in time.
def _worker(conn):
    import wfm.queueing  # noqa: F401  (imported before any call is timed)
    while True:
        msg = conn.recv()
        if msg is None:
            return
        model, p = msg
        t0 = time.perf_counter()
        try:
            out = MODELS[model][2](p)
        except Exception as e:  # reported, not raised
            out = {"exception": f"{type(e).__name__}: {e}"}
        out["elapsed_s"] = time.perf_counter() - t0
        conn.send(out)


class Library:
    def __init__(self):
        self.proc = None

    def start(self):
        ctx = mpc.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()

    def call(self, model, p, timeout=CALL_TIMEOUT_S):
        if self.proc is None or not self.proc.is_alive():
            self.start()
        self.conn.send((model, p))
        if not self.conn.poll(timeout):
            self.proc.kill()
            self.proc.join()
            self.proc = None
            return {"exception": f"time-out after {timeout} s"}
        return self.conn.recv()

    def close(self):
        if self.proc is not None and self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(5)


def rel_err(lib, ref):
    ref = mp.mpf(ref)
    if ref == 0:
        return abs(lib)
    if abs(ref) < mp.mpf("1e-280") and abs(lib) < 1e-280:
        return 0.0
    return float(abs(mp.mpf(lib) - ref) / abs(ref))


def audit_model(model, n_points, seed, lib, findings, rows, start=0):
    draw, reference, _ = MODELS[model]
    rng = random.Random(f"{seed}-{model}")
    worst = {}
    checked = 0
    slowest = 0.0
    for i in range(n_points):
        p = draw(rng, i)
        if i < start:
            continue
        got = lib.call(model, p)
        slowest = max(slowest, got.get("elapsed_s", 0.0))
        if "exception" in got:
            findings.append((model, i, p, "exception", got["exception"]))
            continue
        t0 = time.perf_counter()
        ref, second = reference(p)
        ref_time = time.perf_counter() - t0
        checked += 1
        if got.get("status", "ok") != "ok":
            findings.append((model, i, p, "status", got["status"]))
        ok_row = True
        for k, v in got.items():
            if k in ("status", "elapsed_s"):
                continue
            if not (isinstance(v, float) and math.isfinite(v)):
                findings.append((model, i, p, k, f"not finite: {v}"))
                ok_row = False
                continue
            if k.startswith("erlang_a_"):
                base = k[len("erlang_a_"):]
                e = rel_err(got[base], v) if v != 0 else abs(got[base])
                tol = 1e-12
                key = "gp_vs_erlang_a_" + base
            else:
                if k not in ref:
                    continue
                e, tol, key = rel_err(v, ref[k]), TOLERANCE.get(model, REL_TOL), k
                if abs(float(ref[k])) < 1e-5 and abs(v - float(ref[k])) < ABS_FLOOR.get(model, 0.0):
                    e = 0.0
            worst[key] = max(worst.get(key, 0.0), e)
            if e > tol:
                findings.append((model, i, p, k, f"lib {v!r} ref {mp.nstr(ref.get(k, got.get(k[9:], 0)), 17)} rel {e:.3g}"))
                ok_row = False
        if second:
            for k, v in second.items():
                e = float(abs(v - ref[k]) / max(abs(ref[k]), mp.mpf("1e-300")))
                worst["methods_" + k] = max(worst.get("methods_" + k, 0.0), e)
                if e > METHODS_TOL:
                    findings.append((model, i, p, "methods_" + k, f"reference methods differ by {e:.3g}"))
                    ok_row = False
        if ok_row:
            rows.append((model, i, p, ref, second is not None))
        print(f"  {model} #{i}: lib {got.get('elapsed_s', 0):.3f} s, ref {ref_time:.1f} s", file=sys.stderr, flush=True)
    return checked, worst, slowest


# ---------------------------------------------------------------------------------------------
# Monotonicity
def monotone_checks(seed, lib, findings, n_cases):
    rng = random.Random(f"{seed}-monotone")
    counts = {}

    def seq(model, ps, key, direction, what):
        vals = []
        for p in ps:
            got = lib.call(model, p)
            if "exception" in got:
                findings.append((model, "mono", p, "exception", got["exception"]))
                return
            vals.append(got[key])
        counts[what] = counts.get(what, 0) + 1
        for a, b, p in zip(vals, vals[1:], ps[1:]):
            if (b - a) * direction < -1e-13 * max(abs(a), abs(b), 1e-300):
                findings.append((model, "mono", p, what, f"{a!r} -> {b!r}"))

    for _ in range(n_cases):
        c = draw_chat(rng, rng.randint(0, 4))
        c["n"] = max(1, min(c["n"], 2000))
        seq("chat", [dict(c, n=k) for k in range(max(1, c["n"] - 3), c["n"] + 4)], "service_level", +1, "chat SL up in n")
        seq("chat", [dict(c, n=k) for k in range(max(1, c["n"] - 3), c["n"] + 4)], "abandon_rate", -1, "chat P(ab) down in n")
        hs = list(c["hs"])
        while len(hs) < 4:  # appending a level whose total rate does not fall adds capacity
            hs.append(hs[-1] * (len(hs) + 1) / len(hs) * rng.uniform(0.7, 1.0))
        seq("chat", [dict(c, hs=hs[:m]) for m in range(1, 5)], "wait_probability", -1, "chat P(wait) down in m")
        x = draw_erlang_x(rng, rng.randint(0, 3))
        x["n"] = max(1, min(x["n"], 1000))
        x["lines"] = x["n"]
        Ns = [x["n"] + d for d in (0, 1, 2, 5, 20, 100)]
        seq("erlang_x", [dict(x, lines=N) for N in Ns], "blocking_rate", -1, "erlang_x blocking down in N")
        rs = [0.0, 1e-6, 0.1, 0.5, 0.9, 0.99, 0.9999]
        seq("erlang_x", [dict(x, lines=Ns[3], redial=r) for r in rs], "lost_rate", -1, "erlang_x lost customers down in r")
        seq("erlang_x", [dict(x, lines=Ns[3], redial=r) for r in rs], "effective_arrival_rate", +1,
            "erlang_x attempt rate up in r")
        seq("erlang_x", [dict(x, lines=Ns[3], redial=r) for r in rs], "blocking_rate", +1, "erlang_x blocking up in r")
        seq("erlang_x", [dict(x, lines=Ns[4] + 50, n=k) for k in range(max(1, x["n"] - 3), x["n"] + 4)],
            "service_level", +1, "erlang_x SL up in n")
        b = draw_blending(rng, rng.randint(0, 2))
        b["t"] = max(b["t"], 10.0)
        reserves = list(range(0, b["n"] + 2))
        seq("blending", [dict(b, reserve=r) for r in reserves], "service_level", +1, "blending SL up in reserve")
        seq("blending", [dict(b, reserve=r) for r in reserves], "outbound_throughput", -1,
            "blending throughput down in reserve")
        seq("blending", [dict(b, n=k, reserve=min(b["reserve"], 1)) for k in range(max(1, b["n"] - 2), b["n"] + 4)],
            "service_level", +1, "blending SL up in n (reserve 0 or 1)")
        g = draw_gp(rng, rng.randint(0, 6))
        g["n"] = max(1, min(g["n"], 3000))
        seq("general_patience", [dict(g, n=k) for k in range(max(1, g["n"] - 3), g["n"] + 4)], "wait_probability", -1,
            "general_patience P(wait) down in n")
    return counts


FLAT_INPUTS = ["agents", "arrival_rate", "handle_time", "patience", "target_time", "handle_time_by_concurrency",
               "lines", "redial_probability", "redial_delay", "law", "shape", "knots_or_times", "hazard_or_survival",
               "outbound_handle_time", "reserve"]
FLAT_METRICS = ["wait_probability", "abandon_rate", "service_level", "queue_length", "blocking_rate", "lost_rate",
                "effective_arrival_rate", "outbound_throughput", "occupancy"]


def flat_inputs(model, p):
    """A point as the CSV columns the Catch2 test reads (lists space-separated)."""
    words = lambda xs: " ".join(repr(float(x)) for x in xs)
    r = {"agents": p["n"], "arrival_rate": repr(p["arrival_rate"]), "target_time": repr(p["t"])}
    if model == "chat":
        r.update(handle_time_by_concurrency=words(p["hs"]), patience=repr(p["patience"]))
    elif model == "erlang_x":
        r.update(handle_time=repr(p["handle_time"]), patience=repr(p["patience"]), lines=p["lines"],
                 redial_probability=repr(p["redial"]))
    elif model == "retrial":
        r.update(handle_time=repr(p["handle_time"]), patience=repr(p["patience"]), lines=p["lines"],
                 redial_probability=repr(p["redial"]), redial_delay=repr(p["delay"]))
    elif model == "general_patience":
        r.update(handle_time=repr(p["handle_time"]), law=p["law"], patience=repr(p["mean"]),
                 shape=repr(p.get("shape", 1.0)))
        if p["law"] == "piecewise":
            r.update(knots_or_times=words(p["knots"]), hazard_or_survival=words(p["hazard"]))
        elif p["law"] == "survival":
            r.update(knots_or_times=words(p["times"]), hazard_or_survival=words(p["survival"]))
    elif model == "blending":
        r.update(handle_time=repr(p["handle_time"]), patience=repr(p["patience"]),
                 outbound_handle_time=repr(p["outbound_handle_time"]), reserve=p["reserve"])
    return r


# ---------------------------------------------------------------------------------------------
# Backlog (a deterministic fluid model; no stochastic reference): properties at random horizons.
# (1) an item is on time iff D(a(x) + d) >= x (FIFO on cumulative curves, Newell 1982, ch. 2);
#     D(t) = min(A(t), min_{knots s <= t} A(s) + C(t) - C(s)) (A - C is linear between interval
#     bounds, so the minimum of the reflection sits at a bound), written here in Fractions and
#     the share on time measured on a grid of 4,000 items per interval (checked to 2e-3, the
#     grid's resolution, plus exactly at the staffing of required_backlog_agents: share 1);
# (2) within_deadline_total non-decreasing when every interval gains agents;
# (3) required_backlog_agents meets the deadline (share 1, status ok when every interval is
#     open) and is least: 0.999 x its staffing misses it;
# (4) required_backlog_agents_share's level meets its goal, and the level minus 1e-3 does not;
# (5) absurd-but-finite inputs (1e16 items, 1e-300 s handle time, deadline 1e308) end in numbers
#     within the call's time bound.
def backlog_checks(seed, lib, findings, n_cases):
    from fractions import Fraction as F
    rng = random.Random(f"{seed}-backlog")
    count = 0

    def call(fn, input_error_ok=False, **kw):
        got = lib.call("backlog_call", {"fn": fn, "kw": kw})
        if input_error_ok and got.get("exception", "").startswith("ValueError"):
            return None  # absurd input refused with a message naming it: fine
        if "exception" in got:
            findings.append(("backlog", fn, kw, "exception", got["exception"]))
            return None
        return got

    def share_on_time(vol, h, L, d, agents):
        T = len(vol) * L
        A = [F(0)]
        C = [F(0)]
        for v, a in zip(vol, agents):
            A.append(A[-1] + F(v))
            C.append(C[-1] + F(a) * F(L) / F(h))
        def curve(Y, t):
            k = min(int(t // L), len(vol) - 1)
            return Y[k] + (Y[k + 1] - Y[k]) * (F(t) - k * L) / L
        def D(t):
            best = curve(A, t)
            k = 0
            while k * L <= t and k <= len(vol):
                best = min(best, A[k] + curve(C, t) - C[k])
                k += 1
            return best
        on = known = 0
        for i, v in enumerate(vol):
            for j in range(4000):
                u = F(2 * j + 1, 8000)
                x = A[i] + F(v) * u
                due = i * L + u * L + d
                if v == 0:
                    continue
                done_by_due = D(min(due, T)) >= x
                if due <= T or done_by_due or D(T) >= x:
                    known += 1
                    on += 1 if (due <= T and done_by_due) or (due > T and D(T) >= x and done_by_due) else 0
        return on / known if known else 1.0

    for case in range(n_cases):
        k = rng.randint(3, 12)
        L = rng.choice([900.0, 3600.0])
        h = rng.choice([60.0, 360.0, 1800.0])
        d = L * rng.randint(1, 4)
        vol = [rng.choice([0.0, rng.uniform(0, 40), rng.uniform(0, 400)]) for _ in range(k)]
        need = call("required_backlog_agents", volumes=vol, handle_time=h, interval_length=L, deadline=d)
        if need is None:
            continue
        count += 1
        if need["status"] != "ok" or abs(need["within_deadline_total"] - 1) > 1e-9:
            findings.append(("backlog", case, (vol, h, L, d), "required_backlog_agents",
                             f"status {need['status']}, share {need['within_deadline_total']}"))
        req = list(need["agents_required"])
        if sum(req) > 0:
            less = call("evaluate_backlog", volumes=vol, handle_time=h, interval_length=L, deadline=d,
                        agents=[0.999 * a for a in req])
            if less and less["within_deadline_total"] >= 1 - 1e-12 and less["carried_over"] == 0:
                findings.append(("backlog", case, (vol, h, L, d), "least", "0.999 x required still meets it"))
        agents = [rng.uniform(0, 2) * max(req + [1.0]) for _ in range(k)]
        got = call("evaluate_backlog", volumes=vol, handle_time=h, interval_length=L, deadline=d, agents=agents)
        more = call("evaluate_backlog", volumes=vol, handle_time=h, interval_length=L, deadline=d,
                    agents=[a + rng.uniform(0, 1) for a in agents])
        if got and more and more["within_deadline_total"] < got["within_deadline_total"] - 1e-12:
            findings.append(("backlog", case, (vol, h, L, d, agents), "monotone in agents",
                             f"{got['within_deadline_total']} -> {more['within_deadline_total']}"))
        if got:
            ref = share_on_time(vol, h, L, d, agents)
            if abs(ref - got["within_deadline_total"]) > 2e-3:
                findings.append(("backlog", case, (vol, h, L, d, agents), "within_deadline_total",
                                 f"lib {got['within_deadline_total']} grid reference {ref}"))
        goal = rng.uniform(0.5, 0.99)
        sh = call("required_backlog_agents_share", volumes=vol, handle_time=h, interval_length=L, deadline=d,
                  goal=goal)
        if sh and sh["status"] == "ok":
            level = max(sh["agents_required"])
            if sh["within_deadline_total"] < goal - 1e-12:
                findings.append(("backlog", case, (vol, h, L, d, goal), "share goal", f"{sh['within_deadline_total']}"))
            if level > 1e-3:
                below = call("evaluate_backlog", volumes=vol, handle_time=h, interval_length=L, deadline=d,
                             agents=[level - 1e-3] * k)
                if below and below["within_deadline_total"] >= goal and below["carried_over"] == 0:
                    findings.append(("backlog", case, (vol, h, L, d, goal), "share level least",
                                     f"level {level} - 1e-3 gives {below['within_deadline_total']}"))
    for vol, h, L, d, a in [([1e16, 0, 1e16], 60.0, 900.0, 900.0, [1.0, 1e16, 0.0]),
                            ([5.0, 5.0], 1e-300, 900.0, 1800.0, [1e-300, 0.0]),
                            ([5.0, 1e-300], 60.0, 900.0, 1e308, [0.0, 0.0]),
                            ([1e308, 1e308], 1e308, 1.0, 1.0, [1e308, 1e308])]:
        got = call("evaluate_backlog", True, volumes=vol, handle_time=h, interval_length=L, deadline=d, agents=a)
        if got and not all(math.isfinite(x) for key in ("backlog", "oldest_age_s", "within_deadline")
                           for x in got[key]):
            findings.append(("backlog", "absurd", (vol, h, L, d, a), "not finite", repr(got)))
        if d % L == 0 and d < 1e300:
            call("required_backlog_agents", True, volumes=vol, handle_time=h, interval_length=L, deadline=d)
    return count


def backlog_library(p):
    import wfm.queueing as q
    out = getattr(q, p["fn"])(**p["kw"])
    return {k: (list(map(float, v)) if hasattr(v, "__len__") and not isinstance(v, str) else v) for k, v in out.items()}


MODELS["backlog_call"] = (None, None, backlog_library)


def write_rows(csv_dir, seed, rows):
    """One CSV per model, audit_<model>.csv: the inputs and the reference metrics of every
    point that passed (empty cells: not part of that model)."""
    os.makedirs(csv_dir, exist_ok=True)
    by_model = {}
    for model, i, p, ref, two in rows:
        by_model.setdefault(model, []).append((i, p, ref, two))
    for model, items in by_model.items():
        with open(os.path.join(csv_dir, f"audit_{model}.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["source"] + FLAT_INPUTS + FLAT_METRICS)
            for i, p, ref, two in items:
                src = f"audit_omnichannel.py seed {seed} point {i}" + (" two methods" if two else "")
                x = flat_inputs(model, p)
                w.writerow([src] + [x.get(k, "") for k in FLAT_INPUTS] +
                           [repr(float(ref[k])) if k in ref else "" for k in FLAT_METRICS])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1212)
    ap.add_argument("--points", type=int, default=40)
    ap.add_argument("--models", default="chat,erlang_x,general_patience")
    ap.add_argument("--monotone", type=int, default=10, help="monotonicity cases per model")
    ap.add_argument("--start", type=int, default=0, help="skip the points before this one (split runs)")
    ap.add_argument("--backlog", type=int, default=0, help="random backlog horizons to check")
    ap.add_argument("--csv-dir")
    ap.add_argument("--weibull-max-log-k", type=float, default=1.0,
                    help="Weibull shapes up to 10^this (the committed rows: 1)")
    a = ap.parse_args()
    global WEIBULL_MAX_LOG_K
    WEIBULL_MAX_LOG_K = a.weibull_max_log_k
    lib = Library()
    findings, rows = [], []
    summary = {}
    for model in a.models.split(","):
        if model:
            summary[model] = audit_model(model, a.points, a.seed, lib, findings, rows, a.start)
    counts = monotone_checks(a.seed, lib, findings, a.monotone) if a.monotone else {}
    if a.backlog:
        counts["backlog horizons (properties and grid reference)"] = backlog_checks(a.seed, lib, findings, a.backlog)
    lib.close()
    print(f"# audit_omnichannel.py seed {a.seed}, {a.points} points per model")
    for model, (checked, worst, slowest) in summary.items():
        print(f"{model}: {checked} points checked, slowest library call {slowest:.3f} s")
        for k, v in sorted(worst.items()):
            print(f"    worst rel. error {k}: {v:.3g}")
    for what, n in counts.items():
        print(f"checked: {what}: {n}")
    print(f"{len(findings)} findings")
    for f in findings:
        print("FINDING", f)
    if a.csv_dir:
        write_rows(a.csv_dir, a.seed, rows)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
