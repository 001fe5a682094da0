"""Write reference-values.json: expected values for the distance, binning, agreement and SPC tests.

Run with /usr/bin/python3 (Debian's python3-scipy 1.10.1 and python3-numpy 1.24):

    /usr/bin/python3 test/measurement/core-distances/make-reference-values.py

Jensen-Shannon and KL divergence come from SciPy itself. PSI, Hellinger, total variation,
Cohen's kappa, Krippendorff's alpha, CUSUM and EWMA have no SciPy function, so they are
computed here from their textbook definitions. The computation differs from the TypeScript
code: kappa from raw label pairs, alpha from an explicit coincidence matrix, EWMA as a matrix
product.
"""

import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy.spatial.distance import jensenshannon
from scipy.stats import entropy, norm

EPSILON = 1e-4


def smoothed(reference, current, epsilon):
    """Drop bins empty on both sides, add epsilon to every share, renormalise."""
    r = np.asarray(reference, dtype=float)
    c = np.asarray(current, dtype=float)
    keep = (r + c) > 0
    p = r[keep] / r.sum()
    q = c[keep] / c.sum()
    k = keep.sum()
    return (p + epsilon) / (1 + k * epsilon), (q + epsilon) / (1 + k * epsilon)


def distance_case(name, reference, current):
    r = np.asarray(reference, dtype=float)
    c = np.asarray(current, dtype=float)
    p, q = r / r.sum(), c / c.sum()
    ps, qs = smoothed(reference, current, EPSILON)
    case = {
        "name": name,
        "reference": list(map(float, reference)),
        "current": list(map(float, current)),
        "epsilon": EPSILON,
        "jensenShannon": float(jensenshannon(r, c, base=2)),
        "kullbackLeibler": float(entropy(ps, qs)),
        "populationStabilityIndex": float(np.sum((qs - ps) * np.log(qs / ps))),
        "hellinger": float(np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2))),
        "totalVariation": float(0.5 * np.sum(np.abs(p - q))),
    }
    if np.all(p > 0) and np.all(q > 0):
        # Without empty bins, epsilon 0 must give SciPy's plain KL divergence of the counts.
        case["kullbackLeiblerUnsmoothed"] = float(entropy(r, c))
        case["populationStabilityIndexUnsmoothed"] = float(np.sum((q - p) * np.log(q / p)))
    return case


def distance_cases():
    rng = np.random.default_rng(20240501)
    random_reference = rng.integers(0, 500, size=25)
    random_current = rng.integers(0, 500, size=25)
    return [
        distance_case("identical", [10, 20, 30, 40], [10, 20, 30, 40]),
        distance_case("proportional", [1, 2, 3, 4], [100, 200, 300, 400]),
        distance_case("small shift", [120, 95, 101, 88, 110, 97, 103, 99, 91, 96], [100, 90, 105, 95, 115, 100, 100, 102, 96, 97]),
        distance_case("empty bin on one side", [50, 30, 20, 0], [40, 30, 20, 10]),
        distance_case("empty bins on both sides", [0, 50, 0, 50, 0], [0, 30, 10, 60, 0]),
        distance_case("disjoint supports", [5, 5, 0, 0], [0, 0, 7, 3]),
        distance_case("large counts", [1_000_000, 2_500_000, 1_250_000], [1_000_100, 2_499_000, 1_251_500]),
        distance_case("fractional weights", [0.5, 1.25, 3.75, 0.125], [0.25, 2.0, 3.0, 0.5]),
        distance_case("random 25 bins", random_reference.tolist(), random_current.tolist()),
    ]


def quantile_case(name, sample, bin_count=10):
    values, counts = np.unique(np.asarray(sample, dtype=float), return_counts=True)
    probabilities = [i / bin_count for i in range(bin_count + 1)]
    quantiles = np.quantile(np.asarray(sample, dtype=float), probabilities, method="linear")
    return {"name": name, "values": values.tolist(), "counts": counts.astype(float).tolist(), "binCount": bin_count, "quantiles": quantiles.tolist()}


def quantile_cases():
    rng = np.random.default_rng(7)
    return [
        quantile_case("normal 1000", rng.normal(50, 10, size=1000)),
        quantile_case("exponential 257", rng.exponential(3, size=257)),
        quantile_case("integers with ties", rng.integers(0, 40, size=500)),
        quantile_case("three values", [1.5, 2.5, 10.0]),
        quantile_case("quartiles of 11", list(range(11)), bin_count=4),
    ]


def kappa_from_pairs(pairs, labels, weights):
    """Cohen's kappa from (first, second) label pairs, counting shares directly."""
    n = len(pairs)
    index = {label: i for i, label in enumerate(labels)}
    size = len(labels)

    def weight(i, j):
        if weights == "none":
            return 0.0 if i == j else 1.0
        d = abs(i - j) / (size - 1)
        return d if weights == "linear" else d * d

    first_share = [sum(1 for a, _ in pairs if a == label) / n for label in labels]
    second_share = [sum(1 for _, b in pairs if b == label) / n for label in labels]
    observed = sum(weight(index[a], index[b]) for a, b in pairs) / n
    expected = sum(weight(i, j) * first_share[i] * second_share[j] for i in range(size) for j in range(size))
    return 1 - observed / expected


def kappa_case(name, labels, pairs):
    matrix = [[sum(1 for a, b in pairs if a == row and b == column) for column in labels] for row in labels]
    return {
        "name": name,
        "labels": labels,
        "matrix": matrix,
        "none": kappa_from_pairs(pairs, labels, "none"),
        "linear": kappa_from_pairs(pairs, labels, "linear"),
        "quadratic": kappa_from_pairs(pairs, labels, "quadratic"),
    }


def kappa_cases():
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 (kappa 0.4 by hand).
    yes_no = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    rng = np.random.default_rng(11)
    first = rng.integers(0, 4, size=300)
    second = np.where(rng.random(300) < 0.6, first, rng.integers(0, 4, size=300))
    grades = ["a", "b", "c", "d"]
    graded = [(grades[a], grades[b]) for a, b in zip(first, second)]
    return [kappa_case("yes-no 50 items", ["yes", "no"], yes_no), kappa_case("four grades 300 items", grades, graded)]


def krippendorff_alpha(units, level):
    """Krippendorff's alpha from an explicit coincidence matrix over the distinct values."""
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    values = sorted({v for unit in pairable for v in unit})
    index = {v: i for i, v in enumerate(values)}
    o = np.zeros((len(values), len(values)))
    for unit in pairable:
        m = len(unit)
        for i, a in enumerate(unit):
            for j, b in enumerate(unit):
                if i != j:
                    o[index[a], index[b]] += 1 / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()

    def delta(i, j):
        a, b = values[i], values[j]
        if level == "nominal":
            return 0.0 if a == b else 1.0
        if level == "interval":
            return float((a - b) ** 2)
        if level == "ratio":
            return 0.0 if a + b == 0 else float(((a - b) / (a + b)) ** 2)
        low, high = min(i, j), max(i, j)
        return float((n_c[low : high + 1].sum() - (n_c[i] + n_c[j]) / 2) ** 2)

    d = np.array([[delta(i, j) for j in range(len(values))] for i in range(len(values))])
    observed = (o * d).sum() / n
    expected = (np.outer(n_c, n_c) * d).sum() / (n * (n - 1))
    return 1 - observed / expected


def krippendorff_case(name, units):
    case = {"name": name, "units": units}
    for level in ["nominal", "ordinal", "interval", "ratio"]:
        case[level] = krippendorff_alpha(units, level)
    return case


def krippendorff_cases():
    # Krippendorff's reliability data example: 4 coders (rows), 12 units (columns), None = no value.
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [list(column) for column in zip(*coders)]
    rng = np.random.default_rng(5)
    random_units = []
    for _ in range(60):
        truth = int(rng.integers(1, 6))
        unit = [truth if rng.random() < 0.7 else int(rng.integers(1, 6)) for _ in range(5)]
        random_units.append([None if rng.random() < 0.25 else v for v in unit])
    return [krippendorff_case("Krippendorff example", units), krippendorff_case("random 60 units 5 annotators", random_units)]


def spc_case():
    """A series with a step of 1.5 sigma after point 30; CUSUM and EWMA from the given process mean and sigma."""
    rng = np.random.default_rng(3)
    series = np.concatenate([rng.normal(10, 2, size=30), rng.normal(13, 2, size=20)]).round(4)
    mean, sigma = 10.0, 2.0

    k, h = 0.5 * sigma, 5 * sigma
    upper, lower = [], []
    cu = cl = 0.0
    for x in series:
        cu = max(0.0, x - (mean + k) + cu)
        cl = max(0.0, (mean - k) - x + cl)
        upper.append(cu)
        lower.append(cl)
        if cu > h:
            cu = 0.0
        if cl > h:
            cl = 0.0

    lam, width = 0.2, 3.0
    t = np.arange(1, len(series) + 1)
    weights = np.array([[lam * (1 - lam) ** (i - j) if j <= i else 0.0 for j in range(len(series))] for i in range(len(series))])
    ewma = weights @ series + (1 - lam) ** t * mean
    half = width * sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))

    moving_ranges = np.abs(np.diff(series[:20]))
    return {
        "series": series.tolist(),
        "process": {"mean": mean, "sigma": sigma},
        "cusumUpper": upper,
        "cusumLower": lower,
        "ewma": ewma.tolist(),
        "ewmaUpper": (mean + half).tolist(),
        "baseline20": {"mean": float(series[:20].mean()), "sigma": float(moving_ranges.mean() / 1.128)},
    }


def default_test_justification():
    """Figures quoted in default-test.ts: Jensen-Shannon on normal deciles, and its sampling noise."""
    edges = norm.ppf(np.linspace(0, 1, 11))
    reference = np.diff(norm.cdf(edges))
    shifted = np.diff(norm.cdf(edges - 0.25))
    rng = np.random.default_rng(1)
    noise = []
    for bins, n, m in [(10, 1000, 1000), (10, 1_000_000, 1000), (101, 10_000, 10_000), (101, 1001, 1001)]:
        shares = np.ones(bins) / bins
        distances = [jensenshannon(rng.multinomial(n, shares), rng.multinomial(m, shares), base=2) for _ in range(400)]
        noise.append({"bins": bins, "referenceSize": n, "currentSize": m, "meanDistance": float(np.mean(distances))})
    return {
        "decileShares": reference.tolist(),
        "decileSharesShifted": shifted.tolist(),
        "jensenShannonShift025": float(jensenshannon(reference, shifted, base=2)),
        "kolmogorovSmirnovShift025": float(2 * norm.cdf(0.125) - 1),
        "noise": noise,
    }


def main():
    output = {
        "generator": "make-reference-values.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "distances": distance_cases(),
        "quantiles": quantile_cases(),
        "kappa": kappa_cases(),
        "krippendorff": krippendorff_cases(),
        "spc": spc_case(),
        "defaultTest": default_test_justification(),
    }
    path = Path(__file__).with_name("reference-values.json")
    path.write_text(json.dumps(output, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
