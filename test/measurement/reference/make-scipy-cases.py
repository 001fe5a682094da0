"""Write scipy-cases.json: reference results of SciPy for the drift tests of the measurement core.

Run with the Debian interpreter, which has SciPy 1.10.1 and NumPy 1.24:

    /usr/bin/python3 test/measurement/reference/make-scipy-cases.py

Every random sample comes from numpy.random.default_rng with a fixed seed, so the output is the
same on every run. Samples are rounded to three decimals (or drawn as integers) to keep the file
small; rounding creates ties, which the tests must handle anyway. Numerical cases keep the raw
samples; categorical cases keep the count of each category, which is all a contingency test
reads. The TypeScript test test/measurement/core-tests/scipy-agreement.test.ts rebuilds the
aggregates from them and compares every statistic and p-value.

Besides the two-sample cases, the file contains grids of the distribution functions behind them.
They come from scipy.stats.kstwo.sf, scipy.special.smirnov, scipy.stats.chi2.sf, three private
SciPy 1.10.1 functions that kstwo.sf dispatches to (scipy.stats._ksstats._kolmogn_DMTW,
_kolmogn_Pomeranz and _kolmogn_PelzGood) and the exact two-sample probabilities of ks_2samp
(scipy.stats._stats_py._compute_prob_outside_square and
scipy.stats._stats_pythran._compute_outer_prob_inside_method).
"""

import json
import math
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import scipy
from scipy import special, stats
from scipy.stats import _ksstats
from scipy.stats._stats_py import _compute_prob_outside_square
from scipy.stats._stats_pythran import _compute_outer_prob_inside_method

OUTPUT = Path(__file__).with_name("scipy-cases.json")
AUTO_EXACT_LIMIT = 10_000  # ks_2samp(method='auto') is exact up to this sample size


def compact(values):
    """Write whole numbers as JSON integers, which parse to the same doubles and take less space."""
    return [int(v) if float(v).is_integer() else float(v) for v in values]


def normal(seed, size, loc=0.0, scale=1.0, decimals=3):
    return compact(np.round(np.random.default_rng(seed).normal(loc, scale, size), decimals))


def large_normal(seed, size, loc=0.0):
    """A sample of more than 10,000 values, in thousandths written as integers to keep the file small."""
    return normal(seed, size, 1000 * loc, 1000.0, 0)


def poisson(seed, size, lam):
    return compact(np.random.default_rng(seed).poisson(lam, size))


def ks_case(name, reference, current, method="auto"):
    scipy_method = "asymp" if method == "asymptotic" else method
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = stats.ks_2samp(reference, current, method=scipy_method)
    switched = any("Switching to" in str(w.message) for w in caught)
    if method == "auto":
        used = "exact" if max(len(reference), len(current)) <= AUTO_EXACT_LIMIT else "asymptotic"
    else:
        used = method
    if switched:
        used = "asymptotic"
    return {
        "name": name,
        "method": method,
        "reference": reference,
        "current": current,
        "statistic": float(result.statistic),
        "pValue": float(result.pvalue),
        "pValueMethod": used,
    }


def anderson_case(name, reference, current):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = stats.anderson_ksamp([reference, current], midrank=True)
    messages = [str(w.message) for w in caught]
    bound = None
    if any("capped" in m for m in messages):
        bound = "capped"
    elif any("floored" in m for m in messages):
        bound = "floored"
    return {
        "name": name,
        "reference": reference,
        "current": current,
        "statistic": float(result.statistic),
        "criticalValues": [float(v) for v in result.critical_values],
        "pValue": float(result.pvalue),
        "pValueBound": bound,
    }


def wasserstein_case(name, reference, current):
    distance = float(stats.wasserstein_distance(reference, current))
    spread = float(np.std(reference))
    return {
        "name": name,
        "reference": reference,
        "current": current,
        "distance": distance,
        "normalized": distance / spread if spread > 0 else None,
    }


def contingency_case(name, reference, current):
    """Store the category counts of the two samples; the counts are the whole input of both tests."""
    reference_counts, current_counts = Counter(reference), Counter(current)
    categories = sorted(set(reference_counts) | set(current_counts))
    table = np.array([[reference_counts[c] for c in categories], [current_counts[c] for c in categories]])
    pearson = stats.chi2_contingency(table, correction=False)
    likelihood = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    return {
        "name": name,
        "reference": dict(sorted(reference_counts.items())),
        "current": dict(sorted(current_counts.items())),
        "categories": categories,
        "degreesOfFreedom": int(pearson.dof),
        "chiSquare": {"statistic": float(pearson.statistic), "pValue": float(pearson.pvalue)},
        "gTest": {"statistic": float(likelihood.statistic), "pValue": float(likelihood.pvalue)},
    }


def categorical(seed, size, shares, names=None):
    rng = np.random.default_rng(seed)
    names = names or [f"c{i:02d}" for i in range(len(shares))]
    drawn = rng.choice(len(shares), size=size, p=np.asarray(shares) / np.sum(shares))
    return [names[i] for i in drawn]


def kolmogorov_smirnov_cases():
    interleaved_reference = [1.0, 2.0, 3.0, 4.0, 5.0]
    interleaved_current = [1.5, 2.5, 3.5, 4.5, 5.5]
    return [
        # Exact p-values (both samples at most 10,000 values).
        ks_case("exact 10 vs 12, shift 1", normal(1, 10), normal(2, 12, 1.0)),
        ks_case("exact 20 vs 20, same distribution", normal(3, 20), normal(4, 20)),
        ks_case("exact 7 vs 13, separated", normal(5, 7), normal(6, 13, 6.0)),
        ks_case("exact 50 vs 45, shift 0.5", normal(7, 50), normal(8, 45, 0.5)),
        ks_case("exact 100 vs 80, Poisson ties", poisson(9, 100, 4.0), poisson(10, 80, 5.0)),
        ks_case("exact 30 vs 40, rounded ties", normal(11, 30, decimals=0), normal(12, 40, 0.3, decimals=0)),
        ks_case("exact 3 vs 5", normal(13, 3), normal(14, 5)),
        ks_case("exact 1 vs 1", [0.0], [1.0]),
        ks_case("exact 5 vs 5 interleaved, rounding fallback", interleaved_reference, interleaved_current),
        ks_case("exact 200 vs 317, shift 0.3", normal(15, 200), normal(16, 317, 0.3)),
        ks_case("exact 1000 vs 1500, shift 0.1", normal(17, 1000), normal(18, 1500, 0.1)),
        ks_case("exact 5000 vs 4000, shift 0.05", normal(19, 5000), normal(20, 4000, 0.05)),
        ks_case("exact 2000 vs 2000, same distribution", normal(21, 2000), normal(22, 2000)),
        ks_case("exact 600 vs 600, shift 1.5", normal(23, 600), normal(24, 600, 1.5)),
        ks_case("exact 300 vs 450, shift 2", normal(25, 300), normal(26, 450, 2.0)),
        ks_case("exact method 40 vs 60, scale 2", normal(27, 40), normal(28, 60, 0.0, 2.0), method="exact"),
        ks_case("exact constant, same value", [3.0] * 10, [3.0] * 12),
        ks_case("exact constant, different values", [3.0] * 10, [4.0] * 12),
        ks_case("exact 10000 vs 37, shift 0.4", large_normal(29, 10000), large_normal(30, 37, 0.4)),
        # Asymptotic p-values because a sample has more than 10,000 values.
        ks_case("auto 10500 vs 60, shift 0.4", large_normal(31, 10500), large_normal(32, 60, 0.4)),
        ks_case("auto 10200 vs 400, shift 0.3", large_normal(33, 10200), large_normal(34, 400, 0.3)),
        ks_case("auto 10100 vs 1000, same distribution", large_normal(35, 10100), large_normal(36, 1000)),
        ks_case("auto 10001 vs 2500, shift 0.05", large_normal(37, 10001), large_normal(38, 2500, 0.05)),
        ks_case("auto 11000 vs 150, separated", large_normal(39, 11000), large_normal(40, 150, 5.0)),
        ks_case("auto 10300 vs 3000, Poisson ties", poisson(41, 10300, 6.0), poisson(42, 3000, 6.2)),
        # Asymptotic p-values on request, over the branches of kstwo.sf.
        ks_case("asymptotic 50 vs 60, shift 0.5", normal(43, 50), normal(44, 60, 0.5), method="asymptotic"),
        ks_case("asymptotic 100 vs 100, same distribution", normal(45, 100), normal(46, 100), method="asymptotic"),
        ks_case("asymptotic 300 vs 250, shift 0.2", normal(47, 300), normal(48, 250, 0.2), method="asymptotic"),
        ks_case("asymptotic 1000 vs 1200, shift 0.1", normal(49, 1000), normal(50, 1200, 0.1), method="asymptotic"),
        ks_case("asymptotic 20 vs 30, shift 1", normal(51, 20), normal(52, 30, 1.0), method="asymptotic"),
        ks_case("asymptotic 8 vs 9, separated", normal(53, 8), normal(54, 9, 3.0), method="asymptotic"),
        ks_case("asymptotic 3 vs 4", normal(55, 3), normal(56, 4), method="asymptotic"),
        ks_case("asymptotic 500 vs 700, Poisson ties", poisson(57, 500, 3.0), poisson(58, 700, 3.3), method="asymptotic"),
        ks_case("asymptotic 400 vs 400, shift 1", normal(59, 400), normal(60, 400, 1.0), method="asymptotic"),
        ks_case("asymptotic 2000 vs 1500, shift 0.04", normal(61, 2000), normal(62, 1500, 0.04), method="asymptotic"),
    ]


def anderson_darling_cases():
    return [
        anderson_case("30 vs 40, same distribution", normal(101, 30), normal(102, 40)),
        anderson_case("50 vs 30, shift 0.2", normal(103, 50), normal(104, 30, 0.2)),
        anderson_case("100 vs 120, shift 1", normal(105, 100), normal(106, 120, 1.0)),
        anderson_case("80 vs 90, Poisson ties", poisson(107, 80, 4.0), poisson(108, 90, 4.6)),
        anderson_case("200 vs 150, shift 0.3", normal(109, 200), normal(110, 150, 0.3)),
        anderson_case("1000 vs 800, shift 0.1", normal(111, 1000), normal(112, 800, 0.1)),
        anderson_case("10 vs 12, shift 1", normal(113, 10), normal(114, 12, 1.0)),
        anderson_case("5 vs 7", normal(115, 5), normal(116, 7)),
        anderson_case("2 vs 2, the smallest defined case", [0.0, 1.0], [2.0, 3.0]),
        anderson_case("200 vs 200, three values", poisson(117, 200, 0.6), poisson(118, 200, 0.75)),
        anderson_case("100 vs 100, scale 1.5", normal(119, 100), normal(120, 100, 0.0, 1.5)),
        anderson_case("400 vs 300, scale 1.2", normal(125, 400), normal(126, 300, 0.0, 1.2)),
        anderson_case("150 vs 150, shift 0.25", normal(127, 150), normal(128, 150, 0.25)),
        anderson_case("3000 vs 2000, shift 0.05", normal(121, 3000), normal(122, 2000, 0.05)),
        anderson_case("60 vs 70, shift 0.35", normal(123, 60), normal(124, 70, 0.35)),
    ]


def wasserstein_cases():
    return [
        wasserstein_case("10 vs 12, shift 1", normal(201, 10), normal(202, 12, 1.0)),
        wasserstein_case("100 vs 100, same distribution", normal(203, 100), normal(204, 100)),
        wasserstein_case("80 vs 90, Poisson ties", poisson(205, 80, 4.0), poisson(206, 90, 4.6)),
        wasserstein_case("1000 vs 1700, scale 3", normal(207, 1000), normal(208, 1700, 0.0, 3.0)),
        wasserstein_case("1 vs 1", [2.0], [5.5]),
        wasserstein_case("constant reference", [3.0] * 10, normal(209, 12, 3.0)),
        wasserstein_case("5000 vs 3000, shift 0.02", normal(210, 5000), normal(211, 3000, 0.02)),
        wasserstein_case("large values, shift 1000", normal(212, 300, 1e6, 1e4), normal(213, 400, 1.001e6, 1e4)),
        wasserstein_case("200 vs 50, rounded ties", normal(214, 200, decimals=0), normal(215, 50, 0.5, decimals=0)),
        wasserstein_case("identical samples", [1.0, 2.0, 2.0, 7.0], [1.0, 2.0, 2.0, 7.0]),
    ]


def contingency_cases():
    five = [0.3, 0.25, 0.2, 0.15, 0.1]
    twenty = list(np.random.default_rng(300).dirichlet(np.ones(20)))
    return [
        contingency_case("two categories", categorical(301, 400, [0.6, 0.4]), categorical(302, 500, [0.5, 0.5])),
        contingency_case("five categories, same shares", categorical(303, 1000, five), categorical(304, 800, five)),
        contingency_case("five categories, shifted", categorical(305, 1000, five), categorical(306, 800, [0.2, 0.2, 0.2, 0.2, 0.2])),
        contingency_case(
            "category only in current",
            categorical(307, 300, [0.5, 0.3, 0.2, 0.0]),
            categorical(308, 300, [0.45, 0.3, 0.2, 0.05]),
        ),
        contingency_case(
            "category only in reference",
            categorical(309, 250, [0.4, 0.4, 0.2]),
            categorical(310, 350, [0.5, 0.5, 0.0]),
        ),
        contingency_case("large counts, small shift", categorical(311, 20000, [0.5, 0.3, 0.2]), categorical(312, 30000, [0.49, 0.31, 0.2])),
        contingency_case("small expected counts", categorical(313, 25, [0.5, 0.3, 0.15, 0.05]), categorical(314, 20, [0.4, 0.3, 0.2, 0.1])),
        contingency_case("twenty categories", categorical(315, 3000, twenty), categorical(316, 2500, twenty[::-1])),
        contingency_case("proportional counts", ["a"] * 10 + ["b"] * 20 + ["c"] * 30, ["a"] * 20 + ["b"] * 40 + ["c"] * 60),
        contingency_case("far tail", categorical(317, 5000, [0.75, 0.25]), categorical(318, 5000, [0.45, 0.55])),
        contingency_case("named categories", categorical(319, 600, [0.2, 0.5, 0.3], ["red", "green", "blue"]), categorical(320, 700, [0.25, 0.45, 0.3], ["red", "green", "blue"])),
        contingency_case("disjoint categories", ["x"] * 30 + ["y"] * 20, ["z"] * 40 + ["w"] * 10),
    ]


def distribution_grids():
    rng = np.random.default_rng(400)
    sizes = [2, 3, 5, 10, 20, 50, 100, 139, 140, 141, 200, 500, 1000, 5000, 20000, 100000, 100001, 300000, 999999, 1000001]
    kstwo, smirnov = [], []
    for n in sizes:
        points = list(rng.uniform(0, 1, 2)) + list(np.sqrt(rng.uniform(0, 4.5, 3) / n)) + list(np.sqrt(rng.uniform(2.2, 380, 2) / n))
        for d in points:
            if d >= 1:
                continue
            kstwo.append([n, float(d), float(stats.kstwo.sf(d, n))])
            smirnov.append([n, float(d), float(special.smirnov(n, d))])
    chi_square = []
    for dof in [1, 2, 3, 5, 10, 50, 100, 1000, 10000]:
        for x in [0.001, 0.5, dof * 0.5, dof, dof + 1, dof * 1.5, dof * 3, dof + 50, dof + 200, dof + 700, dof + 1300]:
            chi_square.append([float(x), dof, float(stats.chi2.sf(x, dof))])
    durbin, pomeranz, pelz_good = [], [], []
    for n in [5, 20, 100, 140, 500, 3000]:
        for d in np.sqrt(rng.uniform(0.3, 3.0, 3) / n):
            durbin.append([n, float(d), float(_ksstats._kolmogn_DMTW(n, d))])
            pelz_good.append([n, float(d), float(_ksstats._kolmogn_PelzGood(n, d))])
            # SciPy only calls its Pomeranz code for n <= 140; at n = 3000 it underflows and is wrong.
            if n <= 140:
                pomeranz.append([n, float(d), float(_ksstats._kolmogn_Pomeranz(n, d))])
    two_sample = []
    for _ in range(80):
        m, n = int(rng.integers(1, 300)), int(rng.integers(1, 300))
        if rng.uniform() < 0.25:
            n = m
        gcd = math.gcd(m, n)
        lcm = m * n // gcd
        h = int(rng.integers(1, lcm + 1))
        probability = _compute_prob_outside_square(m, h) if m == n else _compute_outer_prob_inside_method(m, n, gcd, h)
        two_sample.append([m, n, h, float(probability)])
    return {
        "kolmogorovSmirnovSurvival": kstwo,
        "smirnovSurvival": smirnov,
        "chiSquareSurvival": chi_square,
        "durbinMatrixCdf": durbin,
        "pomeranzCdf": pomeranz,
        "pelzGoodCdf": pelz_good,
        "twoSampleKolmogorovSmirnovSurvival": two_sample,
    }


def main():
    document = {
        "description": "Reference results of SciPy for the drift tests; written by make-scipy-cases.py, do not edit.",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
        "kolmogorovSmirnov": kolmogorov_smirnov_cases(),
        "andersonDarling": anderson_darling_cases(),
        "wasserstein": wasserstein_cases(),
        "contingency": contingency_cases(),
        "grids": distribution_grids(),
    }
    OUTPUT.write_text(json.dumps(document, allow_nan=False, separators=(",", ":")) + "\n")
    counts = {key: len(value) for key, value in document.items() if isinstance(value, list)}
    counts.update({key: len(value) for key, value in document["grids"].items()})
    print(f"wrote {OUTPUT}: {counts}")


if __name__ == "__main__":
    main()
