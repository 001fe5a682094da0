"""The drift report of the measurement benchmark, done with pandas and SciPy for comparison.

Reads the reference and current files and computes, per column, the same measures as custos's
drift report computes by default for samples this large: for numerical columns PSI and
Jensen-Shannon distance over ten reference-quantile bins plus a bin below and above the reference
range; for categorical columns the chi-square test of homogeneity, PSI, Jensen-Shannon distance
and total variation distance over the categories. With --with-ks it also runs the two-sample KS
test and the Wasserstein distance divided by the reference standard deviation on numerical
columns, which custos runs on large samples only when a policy or --test asks for them.
Prints one JSON line with the wall time in seconds and the peak resident memory in MB.

Usage: python3 pandas_scipy_drift.py REFERENCE CURRENT [csv|parquet] [--with-ks]
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


def numerical(reference, current, with_ks):
    reference = reference[np.isfinite(reference)]
    current = current[np.isfinite(current)]
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, 11)))
    outer = np.concatenate(([-np.inf], edges, [np.inf]))
    reference_counts = np.histogram(reference, outer)[0].astype(float)
    current_counts = np.histogram(current, outer)[0].astype(float)
    result = {
        "psi": psi(reference_counts, current_counts),
        "js": float(distance.jensenshannon(reference_counts, current_counts, base=2)),
    }
    if with_ks:
        ks = stats.ks_2samp(reference, current)
        result["ks"] = float(ks.statistic)
        result["ks_p"] = float(ks.pvalue)
        result["wasserstein"] = float(stats.wasserstein_distance(reference, current) / np.std(reference))
    return result


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
    arguments = [argument for argument in sys.argv[1:] if argument != "--with-ks"]
    with_ks = "--with-ks" in sys.argv
    reference_path, current_path = arguments[0], arguments[1]
    file_format = arguments[2] if len(arguments) > 2 else "csv"
    started = time.perf_counter()
    read = pd.read_parquet if file_format == "parquet" else pd.read_csv
    reference = read(reference_path)
    current = read(current_path)
    results = {}
    for column in reference.columns:
        if pd.api.types.is_numeric_dtype(reference[column]):
            results[column] = numerical(reference[column].to_numpy(dtype=float), current[column].to_numpy(dtype=float), with_ks)
        else:
            results[column] = categorical(reference[column].dropna(), current[column].dropna())
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peakMb": peak_mb, "columns": len(results)}))


if __name__ == "__main__":
    main()
