#!/usr/bin/env python3
"""Reference tables for wfm::queueing (Erlang B, C and A), computed with mpmath.

Run from anywhere:  python3 tests/data/queueing/make_reference.py   (writes the CSVs next to it)

Precision: mpmath with 60 significant digits for the closed forms (30 for the one numerical
integral), values written with 17 significant digits (round-trip doubles). Inputs are chosen so
that the doubles the C++ tests build (arrival_rate * handle_time, n * patience / handle_time,
arrival_rate * patience) are exact: handle times and patience ratios are powers of two.

Formulas (independent high-precision evaluations of the definitions):
  Erlang B   B(n, a) = a^n e^-a / Gamma(n+1, a)             (Jagerman 1974, real n)
  Erlang C   C = n B / (n - a (1 - B));  SL(t) = 1 - C exp(-(n-a) t / h);  ASA = C h / (n - a)
  Erlang A   Mandelbaum & Zeltyn (2007) section 3, with s = n mu/theta, z = lambda/theta:
             S = s e^z z^-s gamma(s, z);  pi_n = B / (1 + (S - 1) B);  P(wait) = pi_n S
             P(V > t) = pi_n s e^z z^-s gamma(s, z u), u = e^{-theta t}
             P(V <= t, answered) = 1 - P(wait) + pi_n s e^z z^{-s-1} (gamma(s+1,z) - gamma(s+1,z u))
             P(ab) = pi_n (S - (s/z)(S - 1));  E[Q] = z P(ab);  ASA_all = P(ab)/theta
             ASA_answered = P(wait) (J1/J0) / theta / (1 - P(ab)),
               J0 = int_0^inf e^{-s x + z(1-e^-x)} dx (= e^z z^-s gamma(s, z), checked),
               J1 = int_0^inf x e^{-(s+1) x + z(1-e^-x)} dx      (mpmath.quad)
  Birth-death check (erlang_a_chain.csv): the M/M/n+M chain itself, pi_k from the balance
  equations, truncated where the remaining tail is below 1e-40; per-state waiting-time laws
  from "sum of Exp(s+k), k=0..j, equals -log U with U ~ Beta(s, j+1)" (compare Laplace
  transforms), so P(V > t | j ahead) = I_u(s, j+1) etc. Integer n only.
"""
import csv
import datetime
import math
import os
import random
import sys

import mpmath as mp

HERE = os.path.dirname(os.path.abspath(__file__))
mp.mp.dps = 60


def fmt(x):
    x = mp.mpf(x)
    if mp.isinf(x):
        return "inf"
    return repr(float(x)) if x == 0 or abs(x) > mp.mpf("1e-305") else "0.0"


def lower_gamma(s, z):
    """gamma(s, z), unregularized, from whichever side converges."""
    s, z = mp.mpf(s), mp.mpf(z)
    if z == 0:
        return mp.mpf(0)
    if z <= s:  # gamma(s, z) = z^s e^-z / s * 1F1(1; s+1; z)
        return mp.exp(s * mp.log(z) - z) / s * mp.hyp1f1(1, s + 1, z, maxterms=10**7)
    return mp.gamma(s) - upper_gamma(s, z)  # no cancellation: Gamma(s, z) < Gamma(s) / 2 here


def legendre_fraction(s, z):
    """Gamma(s, z) e^z z^-s by Legendre's continued fraction (A&S 6.5.31), z > s, evaluated
    by the modified Lentz method at the working precision."""
    tiny = mp.mpf(10) ** (-3 * mp.mp.dps)
    eps = mp.mpf(10) ** (5 - mp.mp.dps)
    b = z + 1 - s
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 10**7):
        an = -i * (i - s)
        b += 2
        d = an * d + b
        d = tiny if d == 0 else d
        c = b + an / c
        c = tiny if c == 0 else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < eps:
            return h
    raise RuntimeError("continued fraction did not converge")


def upper_gamma(s, z):
    s, z = mp.mpf(s), mp.mpf(z)
    if z > s:
        return mp.exp(s * mp.log(z) - z) * legendre_fraction(s, z)
    return mp.gamma(s) - lower_gamma(s, z)


def erlang_b(n, a):
    n, a = mp.mpf(n), mp.mpf(a)
    return mp.exp(n * mp.log(a) - a) / upper_gamma(n + 1, a)


def erlang_c(n, a, h, t):
    n, a, h, t = map(mp.mpf, (n, a, h, t))
    b = erlang_b(n, a)
    c = n * b / (n - a * (1 - b))
    return c, 1 - c * mp.exp(-(n - a) * t / h), c * h / (n - a)


def psi_breakpoints(s, z):
    """Mode of psi(x) = -s x + z (1 - e^-x) and points where psi has dropped by 1..200."""
    xr = mp.log(z / s) if z > s else mp.mpf(0)
    psi = lambda x: -s * x + z * (1 - mp.exp(-x))
    top = psi(xr)
    pts = [xr]
    for drop in (1, 5, 20, 60, 200):
        for side in (-1, 1):
            if side < 0 and xr == 0:
                continue
            lo, hi = mp.mpf(0), mp.mpf(1)
            f = lambda d: top - psi(xr + side * d) - drop
            while f(hi) < 0 and (side > 0 or xr - hi > 0):
                lo, hi = hi, 2 * hi
            if side < 0 and xr - hi <= 0:
                continue
            d = mp.findroot(f, (lo, hi), solver="bisect", tol=mp.mpf(10) ** -25, maxsteps=200)
            pts.append(xr + side * d)
    pts = sorted(set([mp.mpf(0)] + [p for p in pts if p > 0]))
    return pts + [mp.inf], top


def lower_gamma_difference(s, lo, hi):
    """gamma(s, hi) - gamma(s, lo) for lo <= hi, from the tail that does not cancel."""
    if lo >= s:
        return upper_gamma(s, lo) - upper_gamma(s, hi)
    if hi <= s:
        return lower_gamma(s, hi) - lower_gamma(s, lo)
    return lower_gamma(s, hi) - lower_gamma(s, lo)  # straddles the mode: mild


def erlang_a(n, lam, h, patience, ts):
    """Every Erlang A metric at agents n for each target time in ts. Complements (1 - x) are
    formed analytically, never by subtraction, so tiny service levels in overload are exact."""
    n, lam, h, patience = map(mp.mpf, (n, lam, h, patience))
    mu, theta = 1 / h, 1 / patience
    a = lam * h
    s, z = n * mu / theta, lam / theta
    b = erlang_b(n, a)
    S = s * mp.exp(z - s * mp.log(z)) * lower_gamma(s, z)
    pin = b / (1 + (S - 1) * b)
    pw = pin * S
    no_wait = (1 - b) / (1 + (S - 1) * b)  # = 1 - P(wait)
    pab = pin * (S - (s / z) * (S - 1))
    answered = no_wait + pin * (s / z) * (S - 1)  # = 1 - P(ab)
    eq = z * pab
    occ = min(mp.mpf(1), a * answered / n)
    # ASA over answered: J1 / J0 by quadrature; J0 also in closed form, as a check.
    with mp.workdps(30):
        pts, top = psi_breakpoints(s, z)
        j0 = mp.quad(lambda x: mp.exp(-s * x + z * (1 - mp.exp(-x)) - top), pts)
        j1 = mp.quad(lambda x: x * mp.exp(-(s + 1) * x + z * (1 - mp.exp(-x)) - top), pts)
        j0_exact = mp.exp(z - s * mp.log(z) - top) * lower_gamma(s, z)
        if abs(j0 / j0_exact - 1) > mp.mpf("1e-16"):
            sys.exit(f"quadrature check failed at n={n} a={a} s={s} z={z}: {j0} vs {j0_exact}")
    asa_ans = pw * (j1 / j0) / theta / answered
    rows = []
    for t in ts:
        t = mp.mpf(t)
        u = mp.exp(-theta * t)
        scale = pin * s * mp.exp(z - s * mp.log(z))
        tail = scale * lower_gamma(s, z * u)  # P(V > t)
        virtual = no_wait + scale * lower_gamma_difference(s, z * u, z)  # P(V <= t)
        ans = no_wait + scale / z * lower_gamma_difference(s + 1, z * u, z)
        rows.append(dict(
            target_time=t, wait_probability=pw, abandon_probability=pab, mean_queue_length=eq,
            asa_all=pab / theta, asa_answered=asa_ans, occupancy=occ,
            sl_answered_within=ans, sl_wait_within=virtual + tail * (1 - u),
            sl_virtual_wait_within=virtual, sl_answered_given_answered=ans / answered))
    return rows


def erlang_a_chain(n, lam, h, patience, ts):
    """The same metrics from the M/M/n+M birth-death chain (integer n)."""
    n = int(n)
    lam, h, patience = map(mp.mpf, (lam, h, patience))
    mu, theta = 1 / h, 1 / patience
    s = n * mu / theta
    p = [mp.mpf(1)]
    k = 0
    while True:
        k += 1
        death = k * mu if k <= n else n * mu + (k - n) * theta
        p.append(p[-1] * lam / death)
        # past the mode the ratio lam/death < 1 and falls: tail < p_k * r / (1 - r)
        r = lam / (n * mu + (k + 1 - n) * theta) if k >= n else 1
        if k > n and r < 1 and p[-1] * r / (1 - r) < mp.mpf("1e-40") * sum(p):
            break
    total = mp.fsum(p)
    pi = [x / total for x in p]
    pw = mp.fsum(pi[n:])
    eq = mp.fsum((j - n) * pi[j] for j in range(n + 1, len(pi)))
    pab = theta * eq / lam
    # E[V e^{-theta V} | j ahead] = E[-log U * U] / theta = (s/(s+j+1)) sum_k 1/(s+k+1) / theta
    ev = mp.fsum(pi[n + j] * s / (s + j + 1) * mp.fsum(1 / (s + i + 1) for i in range(j + 1))
                 for j in range(len(pi) - n))
    no_wait = mp.fsum(pi[:n])
    rows = []
    for t in ts:
        u = mp.exp(-theta * mp.mpf(t))
        # P(V > t | j ahead) = I_u(s, j+1); its complement integrates over [u, 1] (no 1 - x)
        tail = mp.fsum(pi[n + j] * mp.betainc(s, j + 1, 0, u, regularized=True)
                       for j in range(len(pi) - n))
        virtual = no_wait + mp.fsum(pi[n + j] * mp.betainc(s, j + 1, u, 1, regularized=True)
                                    for j in range(len(pi) - n))
        met = mp.fsum(pi[n + j] * s / (s + j + 1) *
                      mp.betainc(s + 1, j + 1, u, 1, regularized=True)
                      for j in range(len(pi) - n))
        ans = no_wait + met
        rows.append(dict(
            target_time=mp.mpf(t), wait_probability=pw, abandon_probability=pab,
            mean_queue_length=eq, asa_all=pab / theta, asa_answered=ev / theta / (1 - pab),
            occupancy=min(mp.mpf(1), lam * h * (1 - pab) / n), sl_answered_within=ans,
            sl_wait_within=virtual + tail * (1 - u), sl_virtual_wait_within=virtual,
            sl_answered_given_answered=ans / (1 - pab), states=len(pi)))
    return rows


B_AGENTS = [1, 2, 3, 5, 10, 14, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000,
            100000, 0.5, 2.5, 14.3, 99.7, 1234.56, 54321.5]
B_RHOS = [0.01, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0, 1.01, 1.1, 2.0, 10.0]
HANDLE_TIMES = [1.0, 4.0, 128.0, 256.0]  # powers of two: lambda * h is exact


def write(name, header, rows):
    path = os.path.join(HERE, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([fmt(r[k]) if not isinstance(r[k], str) else r[k] for k in header])
    print(f"{name}: {len(rows)} rows", file=sys.stderr)


def main():
    # ---- Erlang B
    rows = []
    pairs = [(n, rho * n) for n in B_AGENTS for rho in B_RHOS]
    pairs += [(n, 100000.0) for n in (1, 10, 100, 1000, 10000, 99990)]
    pairs += [(n, a) for n in (1, 5, 50) for a in (1e-6, 1e-3)]
    for i, (n, a) in enumerate(pairs):
        a = float(a)
        b = erlang_b(n, a)
        if b < mp.mpf("1e-290"):
            continue
        h = HANDLE_TIMES[i % len(HANDLE_TIMES)]
        rows.append(dict(agents=n, arrival_rate=a / h, handle_time=h, blocking_probability=b))
    write("erlang_b.csv", ["agents", "arrival_rate", "handle_time", "blocking_probability"], rows)

    # ---- Erlang C (stable only; limits are tested in C++)
    rows = []
    i = 0
    for n in B_AGENTS:
        for rho in B_RHOS:
            if rho >= 1:
                continue
            a = float(rho * n)
            h = HANDLE_TIMES[i % len(HANDLE_TIMES)]
            i += 1
            for t in (0.0, h / 8, 2 * h):
                c, sl, asa = erlang_c(n, a, h, t)
                if c < mp.mpf("1e-290"):
                    continue
                rows.append(dict(agents=n, arrival_rate=a / h, handle_time=h, target_time=t,
                                 wait_probability=c, service_level=sl, asa=asa))
    # the callcentrehelper.com worked example, from its own (inexact) doubles
    lam, h = 100.0 / 1800.0, 180.0
    for n in (11, 12, 13, 14, 15, 20):
        c, sl, asa = erlang_c(n, mp.mpf(lam) * mp.mpf(h), h, 20.0)
        rows.append(dict(agents=n, arrival_rate=lam, handle_time=h, target_time=20.0,
                         wait_probability=c, service_level=sl, asa=asa))
    write("erlang_c.csv", ["agents", "arrival_rate", "handle_time", "target_time",
                           "wait_probability", "service_level", "asa"], rows)

    # ---- Erlang A (closed forms), including overload
    a_cols = ["agents", "arrival_rate", "handle_time", "patience", "target_time",
              "wait_probability", "abandon_probability", "mean_queue_length", "asa_all",
              "asa_answered", "occupancy", "sl_answered_within", "sl_wait_within",
              "sl_virtual_wait_within", "sl_answered_given_answered"]
    rows = []
    i = 0
    a_agents = [1, 2, 5, 10, 14, 50, 100, 500, 1000, 5000, 10000, 100000, 7.5, 123.4, 2345.6]
    a_rhos = [0.1, 0.5, 0.9, 0.99, 0.9999, 1.0, 1.05, 1.5, 3.0]
    for n in a_agents:
        for rho in a_rhos:
            for ratio in (0.25, 1.0, 8.0):
                h = HANDLE_TIMES[i % len(HANDLE_TIMES)]
                i += 1
                a = float(rho * n)
                lam, patience = a / h, ratio * h
                for r in erlang_a(n, lam, h, patience, (0.0, h / 8, 2 * h)):
                    if r["wait_probability"] < mp.mpf("1e-290"):
                        continue
                    r.update(agents=n, arrival_rate=lam, handle_time=h, patience=patience)
                    rows.append(r)
        print(f"  erlang_a n={n} done", file=sys.stderr)
    write("erlang_a.csv", a_cols, rows)

    # ---- Erlang A at random points (fixed seed): real and integer agents 0.5 .. 100,000,
    # utilisation 0.05 .. 5 with a third of the points within 1e-4 of 1, patience 2^-10 .. 2^10
    # AHT, targets 0 .. 3 AHT. Catches regime boundaries a grid can miss.
    rng = random.Random(2026)
    rows = []
    while len(rows) < 400:
        n = max(0.5, 10 ** rng.uniform(-0.3, 5))
        if rng.random() < 0.5:
            n = float(round(n))
        rho = 10 ** rng.uniform(-1.3, 0.7)
        if rng.random() < 0.33:
            rho = 1 + rng.uniform(-1e-4, 1e-4)
        h = 2.0 ** rng.randint(0, 9)
        ratio = 2.0 ** rng.randint(-10, 10)
        a = float(rho * n)
        if a > 1.2e5:
            continue
        t = rng.choice([0.0, h / 16, h / 4, h, 3 * h])
        r = erlang_a(n, a / h, h, ratio * h, (t,))[0]
        r.update(agents=n, arrival_rate=a / h, handle_time=h, patience=ratio * h)
        rows.append(r)
    write("erlang_a_random.csv", a_cols, rows)

    # ---- Erlang A by its birth-death chain (moderate sizes, integer n)
    rows = []
    for n, rho, ratio, h in [(1, 0.5, 1.0, 4.0), (3, 0.9, 0.25, 128.0), (5, 2.0, 1.0, 128.0),
                             (10, 0.8, 8.0, 4.0), (14, 0.7142857142857143, 0.5, 128.0),
                             (20, 1.0, 2.0, 256.0), (30, 1.5, 0.25, 4.0), (50, 0.95, 1.0, 128.0),
                             (60, 3.0, 1.0, 1.0), (100, 0.9, 2.0, 256.0)]:
        a = float(rho * n)
        lam, patience = a / h, ratio * h
        ts = (0.0, h / 8, h, 4 * h)
        for r, cf in zip(erlang_a_chain(n, lam, h, patience, ts),
                         erlang_a(n, lam, h, patience, ts)):
            # the chain and the closed forms agree to (far) beyond double precision
            worst = max(abs(r[k] / cf[k] - 1) for k in cf if cf[k] != 0)
            if worst > mp.mpf("1e-25"):
                sys.exit(f"chain and closed form disagree at n={n}: {mp.nstr(worst, 3)}")
            r.update(agents=n, arrival_rate=lam, handle_time=h, patience=patience)
            rows.append(r)
        print(f"  chain n={n} done ({rows[-1]['states']} states)", file=sys.stderr)
    write("erlang_a_chain.csv", a_cols, rows)

    # ---- square-root approximations: the Halfin-Whitt delay function and the GMR formulas
    rows = []
    phi = lambda x: mp.npdf(x)
    Phi = lambda x: mp.ncdf(x)
    hz = lambda x: phi(x) / (1 - Phi(x))
    for beta in ("0.01", "0.1", "0.5", "1", "1.5", "2", "3", "5", "8"):
        beta = mp.mpf(beta)
        alpha = 1 / (1 + beta * Phi(beta) / phi(beta))
        rows.append(dict(beta=beta, alpha=alpha))
    write("halfin_whitt.csv", ["beta", "alpha"], rows)
    rows = []
    for a, n, ratio, t in [(100.0, 105.0, 1.0, 10.0), (100.0, 95.0, 4.0, 20.0),
                           (1000.0, 1020.0, 0.5, 5.0), (50.0, 50.0, 2.0, 30.0)]:
        h = 128.0
        patience = ratio * h
        mu, theta = 1 / mp.mpf(h), 1 / mp.mpf(patience)
        beta = (n - mp.mpf(a)) / mp.sqrt(a)
        bh = beta * mp.sqrt(mu / theta)
        pw = 1 / (1 + hz(bh) / (mp.sqrt(mu / theta) * hz(-beta)))
        pab = pw * (hz(bh) - bh) / mp.sqrt(n * mu / theta)
        tail = (1 - Phi(bh + t * mp.sqrt(n * mu * theta))) / (1 - Phi(bh))
        rows.append(dict(agents=n, arrival_rate=a / h, handle_time=h, patience=patience,
                         target_time=t, wait_probability=pw, abandon_probability=pab,
                         sl_virtual_wait_within=1 - pw * tail))
    write("gmr.csv", ["agents", "arrival_rate", "handle_time", "patience", "target_time",
                      "wait_probability", "abandon_probability", "sl_virtual_wait_within"], rows)
    print(f"generated {datetime.date.today()} with mpmath {mp.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
