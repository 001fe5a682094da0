"""The drift report of the measurement benchmark, done with pandas and SciPy for comparison.

Reads the reference and current files and computes, per column, the same measures as custos's
drift report computes by default for samples this large: for numerical columns PSI and
Jensen-Shannon distance over ten reference-quantile bins plus a bin below and above the reference
range; for categorical columns the chi-square test of homogeneity, PSI, Jensen-Shannon distance
and total variation distance over the categories. With --with-ks it also runs the two-sample KS
test and the Wasserstein distance divided by the reference standard deviation on numerical
columns, which custos runs on large samples only when a policy or --test asks for them.
With --write-profile FILE it stores the reference's bins and category counts with pickle and
measures nothing. With --reference-profile FILE it reads those instead of a reference file, so it
reads only the current file, as custos measure drift --reference-profile does. KS and Wasserstein
need every reference value, so --with-ks does not combine with a profile.
Prints one JSON line with the wall time in seconds and the peak resident memory in MB.

Usage: python3 pandas_scipy_drift.py REFERENCE CURRENT [csv|parquet] [--with-ks]
       python3 pandas_scipy_drift.py --write-profile PROFILE REFERENCE [csv|parquet]
       python3 pandas_scipy_drift.py --reference-profile PROFILE CURRENT [csv|parquet]
"""
import json
import pickle
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


def numerical_reference(reference):
    """Reference-quantile edges and the reference's counts on them, with a bin below and one above."""
    reference = reference[np.isfinite(reference)]
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, 11)))
    outer = np.concatenate(([-np.inf], edges, [np.inf]))
    return outer, np.histogram(reference, outer)[0].astype(float)


def numerical(aggregates, current):
    outer, reference_counts = aggregates
    current = current[np.isfinite(current)]
    current_counts = np.histogram(current, outer)[0].astype(float)
    return {
        "psi": psi(reference_counts, current_counts),
        "js": float(distance.jensenshannon(reference_counts, current_counts, base=2)),
    }


def values_tests(reference, current):
    reference = reference[np.isfinite(reference)]
    current = current[np.isfinite(current)]
    ks = stats.ks_2samp(reference, current)
    return {
        "ks": float(ks.statistic),
        "ks_p": float(ks.pvalue),
        "wasserstein": float(stats.wasserstein_distance(reference, current) / np.std(reference)),
    }


def categorical(reference_counts, current):
    table = pd.concat([reference_counts, current.value_counts()], axis=1).fillna(0).to_numpy().T
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


def reference_aggregates(reference):
    """Per column: the numerical bins and counts, or the category counts, of the reference."""
    aggregates = {}
    for column in reference.columns:
        if pd.api.types.is_numeric_dtype(reference[column]):
            aggregates[column] = ("numerical", numerical_reference(reference[column].to_numpy(dtype=float)))
        else:
            aggregates[column] = ("categorical", reference[column].dropna().value_counts())
    return aggregates


def option(name):
    """Removes `name` and its value from sys.argv and returns the value, or None."""
    if name not in sys.argv:
        return None
    index = sys.argv.index(name)
    value = sys.argv[index + 1]
    del sys.argv[index:index + 2]
    return value


def main():
    write_profile = option("--write-profile")
    reference_profile = option("--reference-profile")
    with_ks = "--with-ks" in sys.argv
    arguments = [argument for argument in sys.argv[1:] if argument != "--with-ks"]
    file_format = arguments[-1] if arguments[-1] in ("csv", "parquet") else "csv"
    read = pd.read_parquet if file_format == "parquet" else pd.read_csv
    started = time.perf_counter()

    if write_profile is not None:
        with open(write_profile, "wb") as output:
            pickle.dump(reference_aggregates(read(arguments[0])), output)
        results = {}
    else:
        if reference_profile is not None:
            with open(reference_profile, "rb") as stored:
                aggregates = pickle.load(stored)
            reference = None
            current = read(arguments[0])
        else:
            reference = read(arguments[0])
            current = read(arguments[1])
            aggregates = reference_aggregates(reference)
        results = {}
        for column, (kind, stored_aggregates) in aggregates.items():
            if kind == "numerical":
                results[column] = numerical(stored_aggregates, current[column].to_numpy(dtype=float))
                if with_ks and reference is not None:
                    results[column].update(values_tests(reference[column].to_numpy(dtype=float), current[column].to_numpy(dtype=float)))
            else:
                results[column] = categorical(stored_aggregates, current[column].dropna())

    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peakMb": peak_mb, "columns": len(results)}))


if __name__ == "__main__":
    main()
