"""Review health: how far the committee can trust the experts' scores. Pure arithmetic, no Django.

- Agreement between experts: panels are drawn from a pool, so each application is scored by its own
  experts (a one-way random design, Shrout & Fleiss 1979, case 1). ICC(1,1) is the reliability of one
  expert's total, ICC(1,k) that of the panel's mean; both with the exact F-based confidence interval.
  Panels of unequal size use the average panel size k0 of the one-way ANOVA with unequal groups.
- Leniency: each expert's mean deviation of their total from the panel's mean total, in points.
- Drift: on-site minus material panel means, per application and per category.
- Normalisation: the ranking by the panel's mean raw total against the ranking by the panel's
  mean normalised total (`reviews.scoring.normalise`), rank changes, Spearman's rho, Kendall's tau-b
  and how many applications cross the cut-off line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# ------------------------------------------------------------------ the F distribution


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    ln_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(ln_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(ln_front) * _betacf(b, a, 1.0 - x) / b


def f_cdf(x: float, d1: float, d2: float) -> float:
    if x <= 0:
        return 0.0
    return beta_inc(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2))


def f_quantile(p: float, d1: float, d2: float) -> float:
    """The F value below which a share p of the distribution lies (bisection on the beta scale)."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if beta_inc(d1 / 2.0, d2 / 2.0, mid) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-15:
            break
    u = (lo + hi) / 2.0
    return d2 * u / (d1 * (1.0 - u))


# ------------------------------------------------------------------ agreement


@dataclass(frozen=True)
class Agreement:
    targets: int  # applications with at least two experts' totals
    ratings: int
    k: float  # panel size (the average k0 when panels differ)
    ms_between: float
    ms_within: float
    f: float
    df1: int
    df2: int
    single: float  # ICC(1,1)
    single_low: float
    single_high: float
    average: float  # ICC(1,k)
    average_low: float
    average_high: float
    confidence: float


def icc_oneway(groups: Sequence[Sequence[float]], *, confidence: float = 0.95) -> Agreement | None:
    """ICC(1,1) and ICC(1,k) with their F-based intervals (Shrout & Fleiss 1979, McGraw & Wong 1996).

    `groups` holds one list of ratings per target. Targets with fewer than two ratings are left out;
    None when fewer than two targets remain, or the ratings vary not at all within or not at all
    between targets.
    """
    groups = [list(map(float, g)) for g in groups if len(g) >= 2]
    n = len(groups)
    total = sum(len(g) for g in groups)
    if n < 2:
        return None
    grand = sum(sum(g) for g in groups) / total
    means = [sum(g) / len(g) for g in groups]
    ss_between = sum(len(g) * (m - grand) ** 2 for g, m in zip(groups, means, strict=True))
    ss_within = sum((x - m) ** 2 for g, m in zip(groups, means, strict=True) for x in g)
    df1, df2 = n - 1, total - n
    msb, msw = ss_between / df1, ss_within / df2
    if msw == 0 or msb == 0:
        return None  # no disagreement, or no difference between targets: nothing to compare
    k = (total - sum(len(g) ** 2 for g in groups) / total) / df1
    f = msb / msw
    alpha = 1.0 - confidence
    f_low = f / f_quantile(1 - alpha / 2, df1, df2)
    f_high = f * f_quantile(1 - alpha / 2, df2, df1)
    return Agreement(
        targets=n,
        ratings=total,
        k=k,
        ms_between=msb,
        ms_within=msw,
        f=f,
        df1=df1,
        df2=df2,
        single=(msb - msw) / (msb + (k - 1) * msw),
        single_low=(f_low - 1) / (f_low + k - 1),
        single_high=(f_high - 1) / (f_high + k - 1),
        average=(msb - msw) / msb if msb else 0.0,
        average_low=1 - 1 / f_low,
        average_high=1 - 1 / f_high,
        confidence=confidence,
    )


# ------------------------------------------------------------------ leniency and drift


@dataclass(frozen=True)
class Leniency:
    expert: object
    deviation: float  # mean of (own total − panel mean total), points; negative = severe
    count: int  # panels it is computed over


def leniency(panels: Mapping[object, Mapping[object, float]]) -> list[Leniency]:
    """Per expert: the mean deviation of their total from the mean of their panel, most lenient first.
    Only panels with at least two experts count (alone, an expert is the panel)."""
    sums: dict[object, float] = {}
    counts: dict[object, int] = {}
    for totals in panels.values():
        if len(totals) < 2:
            continue
        mean = sum(totals.values()) / len(totals)
        for expert, x in totals.items():
            sums[expert] = sums.get(expert, 0.0) + (x - mean)
            counts[expert] = counts.get(expert, 0) + 1
    rows = [Leniency(e, sums[e] / counts[e], counts[e]) for e in sums]
    rows.sort(key=lambda r: (-r.deviation, str(r.expert)))
    return rows


@dataclass(frozen=True)
class Drift:
    key: object
    material: float
    onsite: float
    categories: dict[str, float]  # on-site − material per category

    @property
    def change(self) -> float:
        return self.onsite - self.material


def drift(
    material: Mapping[object, Mapping[str, float]], onsite: Mapping[object, Mapping[str, float]]
) -> tuple[list[Drift], dict[str, float]]:
    """Per application scored in both rounds: totals and the change per category; and the mean
    change per category over those applications."""
    rows = []
    for key in [k for k in material if k in onsite]:
        mat, ons = material[key], onsite[key]
        codes = sorted(set(mat) | set(ons))
        rows.append(
            Drift(
                key=key,
                material=sum(mat.values()),
                onsite=sum(ons.values()),
                categories={c: ons.get(c, 0.0) - mat.get(c, 0.0) for c in codes},
            )
        )
    codes = sorted({c for r in rows for c in r.categories})
    means = {c: sum(r.categories.get(c, 0.0) for r in rows) / len(rows) for c in codes} if rows else {}
    rows.sort(key=lambda r: (-abs(r.change), str(r.key)))
    return rows, means


# ------------------------------------------------------------------ ranks


def ordinal_ranks(scores: Mapping[object, float]) -> dict[object, int]:
    """1 for the best score; ties broken by the key so every run gives the same order."""
    order = sorted(scores, key=lambda k: (-scores[k], k))
    return {k: i for i, k in enumerate(order, start=1)}


def average_ranks(values: Sequence[float]) -> list[float]:
    """Ranks with ties sharing their mean rank (1 = smallest)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for t in range(i, j + 1):
            ranks[order[t]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho: the Pearson correlation of the (tie-averaged) ranks."""
    return pearson(average_ranks(x), average_ranks(y))


def _tied_pairs(sorted_values: Sequence[float]) -> int:
    pairs, run = 0, 1
    for a, b in zip(sorted_values, sorted_values[1:], strict=False):
        if a == b:
            run += 1
        else:
            pairs += run * (run - 1) // 2
            run = 1
    return pairs + run * (run - 1) // 2


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b in O(n log n) (Knight 1966): discordant pairs counted by a merge sort."""
    n = len(x)
    if n < 2:
        return None
    pairs = sorted(zip(x, y, strict=True))
    n0 = n * (n - 1) // 2
    n1 = _tied_pairs([p[0] for p in pairs])
    n3, run = 0, 1  # pairs tied in both
    for a, b in zip(pairs, pairs[1:], strict=False):
        if a == b:
            run += 1
        else:
            n3 += run * (run - 1) // 2
            run = 1
    n3 += run * (run - 1) // 2
    ys = [p[1] for p in pairs]
    swaps = 0
    width = 1
    buf = ys[:]
    while width < n:
        for lo in range(0, n, 2 * width):
            mid, hi = min(lo + width, n), min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if ys[i] <= ys[j]:
                    buf[k] = ys[i]
                    i += 1
                else:
                    buf[k] = ys[j]
                    swaps += mid - i
                    j += 1
                k += 1
            buf[k : k + mid - i] = ys[i:mid]
            k += mid - i
            buf[k : k + hi - j] = ys[j:hi]
        ys, buf = buf, ys
        width *= 2
    n2 = _tied_pairs(ys)
    denominator = math.sqrt((n0 - n1) * (n0 - n2))
    if denominator == 0:
        return None
    return (n0 - n1 - n2 + n3 - 2 * swaps) / denominator


@dataclass(frozen=True)
class RankChange:
    key: object
    raw: float
    normalised: float
    raw_rank: int
    normalised_rank: int

    @property
    def change(self) -> int:
        """Places gained by normalisation (positive = moves up)."""
        return self.raw_rank - self.normalised_rank


@dataclass(frozen=True)
class Reordering:
    rows: list[RankChange]  # in raw rank order
    spearman: float | None
    kendall: float | None
    moved: int  # applications whose rank changed
    cut: int | None
    crossed: int  # applications moved above the cut-off line by normalisation (as many moved below)
    largest: int


def reordering(raw: Mapping[object, float], normalised: Mapping[object, float], *, cut: int | None) -> Reordering:
    keys = [k for k in raw if k in normalised]
    raw = {k: raw[k] for k in keys}
    normalised = {k: normalised[k] for k in keys}
    r1, r2 = ordinal_ranks(raw), ordinal_ranks(normalised)
    rows = sorted(
        (RankChange(k, raw[k], normalised[k], r1[k], r2[k]) for k in keys),
        key=lambda r: r.raw_rank,
    )
    xs, ys = [raw[k] for k in keys], [normalised[k] for k in keys]
    cut = cut if cut and 0 < cut < len(keys) else None
    # Each one that moves above the line pushes one below it: count those that moved in.
    crossed = sum(1 for r in rows if r.raw_rank > cut >= r.normalised_rank) if cut else 0
    return Reordering(
        rows=rows,
        spearman=spearman(xs, ys),
        kendall=kendall_tau_b(xs, ys),
        moved=sum(1 for r in rows if r.change),
        cut=cut,
        crossed=crossed,
        largest=max((abs(r.change) for r in rows), default=0),
    )
