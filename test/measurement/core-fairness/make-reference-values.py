"""Write reference-values.json for the core-fairness tests.

Run from the repository root with Debian's Python (numpy 1.24, scipy 1.10.1):

    /usr/bin/python3 test/measurement/core-fairness/make-reference-values.py

scikit-learn and Fairlearn are not installed, so their definitions are written out below with
numpy from row-level data, following their documented formulas. The TypeScript code computes
the same measures from aggregated counts, so agreement checks both the formula and the
aggregation. Every random input comes from numpy's RandomState with a fixed seed, and the rows
are stored in the JSON, so the tests never depend on this script's random stream.
"""

import csv
import json
import os

import numpy as np
from scipy import stats

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference-values.json")
COMPAS = os.path.join("examples", "compas", "compas-scores-two-years.csv")


def normal_quantiles():
    probabilities = [0.5, 0.6, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995, 1e-10, 1e-100, 0.3, 0.5000001, 0.999999999]
    return [{"probability": p, "quantile": float(stats.norm.ppf(p))} for p in probabilities]


def wilson(successes, trials, confidence):
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z / denominator * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def wilson_cases():
    cases = []
    for successes, trials, confidence in [(805, 1795, 0.95), (532, 1901, 0.95), (1, 10, 0.95), (0, 10, 0.95), (10, 10, 0.95), (3, 7, 0.9), (50, 100, 0.99), (1, 1000000, 0.95)]:
        lower, upper = wilson(successes, trials, confidence)
        cases.append({"successes": successes, "trials": trials, "confidence": confidence, "lower": float(lower), "upper": float(upper)})
    return cases


MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1


def splitmix64_words(seed):
    state = seed
    words = []
    for _ in range(2):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z = z ^ (z >> 31)
        words += [z & MASK32, z >> 32]
    return words


def rotl32(value, bits):
    return ((value << bits) | (value >> (32 - bits))) & MASK32


def xoshiro128starstar(seed, count):
    s = splitmix64_words(seed)
    out = []
    for _ in range(count):
        result = (rotl32((s[1] * 5) & MASK32, 7) * 9) & MASK32
        t = (s[1] << 9) & MASK32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl32(s[3], 11)
        out.append(result)
    return out


def random_streams():
    return [{"seed": seed, "outputs": xoshiro128starstar(seed, 8)} for seed in [0, 1, 42, 2**53 - 1]]


def binomial_goodness_of_fit_cases():
    """Exact binomial probabilities and chi-square critical values for the sampler test."""
    cases = []
    for trials, probability in [(12, 0.3), (40, 0.3), (1000, 0.02), (5000, 0.5), (100000, 0.9)]:
        mean = trials * probability
        sd = np.sqrt(trials * probability * (1 - probability))
        low = max(0, int(np.floor(mean - 6 * sd)))
        high = min(trials, int(np.ceil(mean + 6 * sd)))
        ks = list(range(low, high + 1))
        pmf = [float(v) for v in stats.binom.pmf(ks, trials, probability)]
        cases.append({"trials": trials, "probability": probability, "firstOutcome": low, "probabilities": pmf})
    critical = {str(df): float(stats.chi2.ppf(1 - 1e-6, df)) for df in range(1, 1500)}
    return {"cases": cases, "chiSquareCritical1e6": critical}


def fairlearn_rates(y, p):
    """Fairlearn's metric functions: TPR and FNR are 0 without actual positives, FPR and TNR 0 without actual negatives."""
    positives = int(np.sum(y == 1))
    negatives = int(np.sum(y == 0))
    tp = int(np.sum((y == 1) & (p == 1)))
    fp = int(np.sum((y == 0) & (p == 1)))
    tn = int(np.sum((y == 0) & (p == 0)))
    fn = int(np.sum((y == 1) & (p == 0)))
    return {
        "selectionRate": float(np.mean(p == 1)),
        "truePositiveRate": tp / positives if positives else 0.0,
        "falseNegativeRate": fn / positives if positives else 0.0,
        "falsePositiveRate": fp / negatives if negatives else 0.0,
        "trueNegativeRate": tn / negatives if negatives else 0.0,
        "counts": {"truePositives": tp, "falsePositives": fp, "trueNegatives": tn, "falseNegatives": fn},
    }


def metric_frame(y, p, keys, metric):
    """Fairlearn MetricFrame: by_group over present groups, overall, difference and ratio by both methods."""
    groups = sorted(set(keys))
    by_group = {g: fairlearn_rates(y[keys == g], p[keys == g])[metric] for g in groups}
    overall = fairlearn_rates(y, p)[metric]
    values = np.array(list(by_group.values()))
    between_difference = float(values.max() - values.min())
    between_ratio = float(values.min() / values.max()) if values.max() != 0 else None
    to_overall_difference = float(np.max(np.abs(values - overall)))
    ratios = values / overall
    with np.errstate(divide="ignore"):
        ratios = np.where(ratios > 1, 1 / ratios, ratios)
    to_overall_ratio = float(np.min(ratios))
    return {
        "byGroup": by_group,
        "overall": overall,
        "betweenGroups": {"difference": between_difference, "ratio": between_ratio},
        "toOverall": {"difference": to_overall_difference, "ratio": to_overall_ratio},
    }


def fairness_case(seed, group_sizes, positive_rates, selection_bias, name, empty_positives_group=None):
    rng = np.random.RandomState(seed)
    keys, y, p = [], [], []
    for group, size in group_sizes.items():
        labels = (rng.random_sample(size) < positive_rates[group]).astype(int)
        if group == empty_positives_group:
            labels[:] = 0
        score = 0.35 * labels + rng.random_sample(size) * 0.65 + selection_bias[group]
        predictions = (score > 0.5).astype(int)
        keys += [group] * size
        y += list(labels)
        p += list(predictions)
    keys, y, p = np.array(keys), np.array(y), np.array(p)

    frames = {metric: metric_frame(y, p, keys, metric) for metric in ["selectionRate", "truePositiveRate", "falsePositiveRate", "falseNegativeRate", "trueNegativeRate"]}
    tpr, fpr = frames["truePositiveRate"], frames["falsePositiveRate"]

    def combine(method, part, operation):
        a, b = tpr[method][part], fpr[method][part]
        return None if a is None or b is None else float(operation(a, b))

    equalized_odds = {
        agg: {
            method: {
                "difference": combine(method, "difference", max if agg == "worstCase" else lambda a, b: (a + b) / 2),
                "ratio": combine(method, "ratio", min if agg == "worstCase" else lambda a, b: (a + b) / 2),
            }
            for method in ["betweenGroups", "toOverall"]
        }
        for agg in ["worstCase", "mean"]
    }
    counts = {g: fairlearn_rates(y[keys == g], p[keys == g])["counts"] for g in sorted(set(keys))}
    return {"name": name, "groups": counts, "fairlearn": frames, "equalizedOdds": equalized_odds}


def fairness_cases():
    return [
        fairness_case(
            7,
            {"A": 400, "B": 250, "C": 120, "D": 60},
            {"A": 0.45, "B": 0.3, "C": 0.55, "D": 0.2},
            {"A": 0.05, "B": -0.05, "C": 0.1, "D": 0.0},
            "four groups, every rate defined",
        ),
        fairness_case(
            11,
            {"A": 300, "B": 200, "C": 40},
            {"A": 0.5, "B": 0.4, "C": 0.0},
            {"A": 0.0, "B": -0.05, "C": 0.1},
            "group C without actual positives",
            empty_positives_group="C",
        ),
    ]


def compas_counts():
    with open(COMPAS, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        race, text, outcome = header.index("race"), header.index("score_text"), header.index("two_year_recid")
        tables = {"mediumOrHigh": {}, "highOnly": {}}
        rows = 0
        for row in reader:
            rows += 1
            actual = row[outcome] == "1"
            for name, positive_texts in [("mediumOrHigh", {"Medium", "High"}), ("highOnly", {"High"})]:
                predicted = row[text] in positive_texts
                if actual:
                    cell = "truePositives" if predicted else "falseNegatives"
                else:
                    cell = "falsePositives" if predicted else "trueNegatives"
                group = tables[name].setdefault(row[race], {"truePositives": 0, "falsePositives": 0, "trueNegatives": 0, "falseNegatives": 0})
                group[cell] += 1
    return {"rows": rows, "tables": tables}


def classification_rows(seed, labels, size, confusion_bias):
    rng = np.random.RandomState(seed)
    actual = rng.choice(len(labels), size=size, p=[0.5, 0.3, 0.15, 0.05][: len(labels)])
    predicted = np.where(rng.random_sample(size) < confusion_bias, actual, rng.choice(len(labels), size=size))
    return actual, predicted


def prf_per_class(actual, predicted, k):
    tp = np.sum((actual == k) & (predicted == k))
    predicted_k = np.sum(predicted == k)
    support = np.sum(actual == k)
    precision = tp / predicted_k if predicted_k else np.nan
    recall = tp / support if support else np.nan
    f1 = 2 * tp / (support + predicted_k) if support + predicted_k else np.nan
    return precision, recall, f1, support


def multiclass_reference(actual, predicted, labels):
    """scikit-learn's precision_recall_fscore_support with zero_division=np.nan, by hand."""
    per = [prf_per_class(actual, predicted, k) for k in range(len(labels))]
    precision = np.array([x[0] for x in per], dtype=float)
    recall = np.array([x[1] for x in per], dtype=float)
    f1 = np.array([x[2] for x in per], dtype=float)
    support = np.array([x[3] for x in per], dtype=float)

    def weighted(values):
        mask = ~np.isnan(values) & (support > 0)
        return float(np.sum(values[mask] * support[mask]) / np.sum(support[mask]))

    present = support > 0
    matrix = [[int(np.sum((actual == a) & (predicted == b))) for b in range(len(labels))] for a in range(len(labels))]
    return {
        "labels": labels,
        "matrix": matrix,
        "accuracy": float(np.mean(actual == predicted)),
        "balancedAccuracy": float(np.mean(recall[present])),
        "macro": {"precision": float(np.nanmean(precision)), "recall": float(np.nanmean(recall)), "f1": float(np.nanmean(f1))},
        "weighted": {"precision": weighted(precision), "recall": weighted(recall), "f1": weighted(f1)},
        "perClass": [
            {"precision": None if np.isnan(a) else float(a), "recall": None if np.isnan(b) else float(b), "f1": None if np.isnan(c) else float(c), "support": int(d)}
            for a, b, c, d in zip(precision, recall, f1, support)
        ],
    }


def classification_cases():
    actual, predicted = classification_rows(3, ["cat", "dog", "bird", "fish"], 600, 0.6)
    ordinary = multiclass_reference(actual, predicted, ["cat", "dog", "bird", "fish"])
    # A fifth label that never occurs and is never predicted, and no row predicted as "fish".
    predicted_without_fish = np.where(predicted == 3, 0, predicted)
    degenerate = multiclass_reference(actual, predicted_without_fish, ["cat", "dog", "bird", "fish", "newt"])
    return {"ordinary": ordinary, "degenerate": degenerate}


def binary_curve(y, s):
    """scikit-learn's _binary_clf_curve: cumulative TP and FP at each distinct score, highest first."""
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    distinct = np.where(np.diff(s))[0]
    ends = np.r_[distinct, y.size - 1]
    tps = np.cumsum(y)[ends]
    fps = 1 + ends - tps
    return fps.astype(float), tps.astype(float), s[ends]


def roc_auc_trapezoid(y, s):
    fps, tps, _ = binary_curve(y, s)
    fpr = np.r_[0, fps] / fps[-1]
    tpr = np.r_[0, tps] / tps[-1]
    return float(np.trapz(tpr, fpr))


def average_precision(y, s):
    fps, tps, _ = binary_curve(y, s)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    precision = np.r_[precision[::-1], 1]
    recall = np.r_[recall[::-1], 0]
    return float(-np.sum(np.diff(recall) * precision[:-1]))


def equal_width_bins(s, bins):
    edges = np.arange(bins + 1) / bins
    return np.minimum(np.searchsorted(edges, s, side="right") - 1, bins - 1)


def equal_mass_bins(s, bins):
    order = np.argsort(s, kind="mergesort")
    sorted_scores = s[order]
    first_rank = {}
    for rank, score in enumerate(sorted_scores):
        first_rank.setdefault(score, rank)
    return np.array([min(bins - 1, (first_rank[score] * bins) // len(s)) for score in s])


def calibration_table(y, s, ids, bins):
    table, ece = [], 0.0
    for b in range(bins):
        mask = ids == b
        count = int(mask.sum())
        if count == 0:
            table.append({"bin": b, "count": 0, "meanPredicted": None, "observedRate": None})
            continue
        mean_predicted, observed = float(s[mask].mean()), float(y[mask].mean())
        ece += count / len(s) * abs(observed - mean_predicted)
        table.append({"bin": b, "count": count, "meanPredicted": mean_predicted, "observedRate": observed})
    return table, float(ece)


def score_cases():
    rng = np.random.RandomState(5)
    size = 500
    # Scores rounded to two decimals so that many rows tie, including exact bin edges such as 0.3.
    # The labels follow 0.5 + 1.5 (s - 0.5), so the scores are too low above 0.5 and too high
    # below: with errors of both signs, the ECE depends on the binning.
    s = np.round(rng.beta(2, 2, size), 2)
    y = (rng.random_sample(size) < np.clip(0.5 + 1.5 * (s - 0.5), 0.02, 0.98)).astype(int)
    # Certain predictions: two correct ones and one wrong one, which log loss clips.
    s = np.r_[s, 0.0, 1.0, 1.0]
    y = np.r_[y, 0, 1, 0]
    eps = np.finfo(np.float64).eps
    clipped = np.clip(s, eps, 1 - eps)
    u_statistic = stats.mannwhitneyu(s[y == 1], s[y == 0], alternative="two-sided").statistic
    width_table, width_ece = calibration_table(y, s, equal_width_bins(s, 10), 10)
    mass_table, mass_ece = calibration_table(y, s, equal_mass_bins(s, 10), 10)
    width15_table, width15_ece = calibration_table(y, s, equal_width_bins(s, 15), 15)
    return {
        "labels": [int(v) for v in y],
        "scores": [float(v) for v in s],
        "rocAuc": roc_auc_trapezoid(y, s),
        "mannWhitneyAuc": float(u_statistic / (np.sum(y == 1) * np.sum(y == 0))),
        "averagePrecision": average_precision(y, s),
        "logLoss": float(-np.mean(y * np.log(clipped) + (1 - y) * np.log(1 - clipped))),
        "brier": float(np.mean((s - y) ** 2)),
        "equalWidth10": {"bins": width_table, "ece": width_ece},
        "equalWidth15": {"bins": width15_table, "ece": width15_ece},
        "equalMass10": {"bins": mass_table, "ece": mass_ece},
    }


def multiclass_brier_case():
    rng = np.random.RandomState(9)
    size, classes = 200, 3
    logits = rng.normal(0, 1.2, (size, classes))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    actual = rng.randint(0, classes, size)
    onehot = np.eye(classes)[actual]
    return {
        "probabilities": probabilities.tolist(),
        "actual": [int(v) for v in actual],
        "brier": float(np.mean(np.sum((probabilities - onehot) ** 2, axis=1))),
    }


def regression_case():
    rng = np.random.RandomState(13)
    truth = rng.normal(50, 12, 300)
    predicted = truth + rng.normal(1, 5, 300)
    error = truth - predicted
    return {
        "truth": truth.tolist(),
        "predicted": predicted.tolist(),
        "meanAbsoluteError": float(np.mean(np.abs(error))),
        "rootMeanSquaredError": float(np.sqrt(np.mean(error**2))),
        "meanAbsolutePercentageError": float(np.mean(np.abs(error) / np.abs(truth))),
        "rSquared": float(1 - np.sum(error**2) / np.sum((truth - truth.mean()) ** 2)),
    }


def main():
    reference = {
        "generator": "make-reference-values.py with numpy %s and scipy %s" % (np.__version__, __import__("scipy").__version__),
        "normalQuantiles": normal_quantiles(),
        "wilson": wilson_cases(),
        "xoshiro128StarStar": random_streams(),
        "binomial": binomial_goodness_of_fit_cases(),
        "fairness": fairness_cases(),
        "compas": compas_counts(),
        "multiclass": classification_cases(),
        "scores": score_cases(),
        "multiclassBrier": multiclass_brier_case(),
        "regression": regression_case(),
    }
    with open(OUTPUT, "w") as handle:
        json.dump(reference, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
