"""The drift report of the measurement benchmark, done with pandas and SciPy for comparison.

Reads the reference and current files and computes, per column, the same measures as custos's
drift report: for numerical columns the two-sample KS test, the Wasserstein distance divided by
the reference standard deviation, and PSI and Jensen-Shannon distance over ten reference-quantile
bins plus a bin below and above the reference range; for categorical columns the chi-square test
of homogeneity, PSI, Jensen-Shannon distance and total variation distance over the categories.
Prints one JSON line with the wall time in seconds and the peak resident memory in MB.

Usage: python3 pandas_scipy_drift.py REFERENCE CURRENT [csv|parquet]
"""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

EPSILON = 1e-4


def shares(counts):
    total = counts.sum()
    return counts / total


def psi(reference_counts, current_counts):
    p = shares(reference_counts + EPSILON)
    q = shares(current_counts + EPSILON)
    return float(np.sum((q - p) * np.log(q / p)))


def numerical(reference, current):
    reference = reference[np.isfinite(reference)]
    current = current[np.isfinite(current)]
    ks = stats.ks_2samp(reference, current)
    wasserstein = stats.wasserstein_distance(reference, current) / np.std(reference)
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, 11)))
    outer = np.concatenate(([-np.inf], edges, [np.inf]))
    reference_counts = np.histogram(reference, outer)[0].astype(float)
    current_counts = np.histogram(current, outer)[0].astype(float)
    return {
        "ks": float(ks.statistic),
        "ks_p": float(ks.pvalue),
        "wasserstein": float(wasserstein),
        "psi": psi(reference_counts, current_counts),
        "js": float(distance.jensenshannon(reference_counts, current_counts, base=2)),
    }


def categorical(reference, current):
    table = pd.concat([reference.value_counts(), current.value_counts()], axis=1).fillna(0).to_numpy().T
    chi2 = stats.chi2_contingency(table, correction=False)
    p = shares(table[0])
    q = shares(table[1])
    return {
        "chi2": float(chi2[0]),
        "chi2_p": float(chi2[1]),
        "psi": psi(table[0], table[1]),
        "js": float(distance.jensenshannon(table[0], table[1], base=2)),
        "tvd": float(0.5 * np.abs(p - q).sum()),
    }


def main():
    reference_path, current_path = sys.argv[1], sys.argv[2]
    file_format = sys.argv[3] if len(sys.argv) > 3 else "csv"
    started = time.perf_counter()
    read = pd.read_parquet if file_format == "parquet" else pd.read_csv
    reference = read(reference_path)
    current = read(current_path)
    results = {}
    for column in reference.columns:
        if pd.api.types.is_numeric_dtype(reference[column]):
            results[column] = numerical(reference[column].to_numpy(dtype=float), current[column].to_numpy(dtype=float))
        else:
            results[column] = categorical(reference[column].dropna(), current[column].dropna())
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peakMb": peak_mb, "columns": len(results)}))


if __name__ == "__main__":
    main()
