#!/usr/bin/env python3
"""Writes src/__fixtures__/delong.json: reference values for src/stats/*.test.ts.

DeLong's variance is computed here the naive way of DeLong, DeLong &
Clarke-Pearson (1988, Biometrics 44:837-845): the full m x n kernel matrix
psi(X_i, Y_j) (1 above, 1/2 tied, 0 below), the placement values
V10_i = mean_j psi(X_i, Y_j) and V01_j = mean_i psi(X_i, Y_j), and the
sample covariance matrices S10, S01 (divisor m - 1, n - 1) over the models;
var(AUC) = S10/m + S01/n, and for two models var(A - B) = L S L' with
L = (1, -1). Nothing here uses midranks, so the TypeScript port (midranks
after Sun & Xu 2014) is checked against an independent computation.

Datasets: seeded (numpy default_rng), continuous and heavily tied scores,
unequal class sizes, a perfectly separated case (variance 0), the 5-point
rating data of Hanley & McNeil (1982, Radiology 143:29-36, Table 1) and
paired sets of two correlated score vectors.

The normal distribution values come from CPython's standard library
(math.erfc for the cdf, statistics.NormalDist.inv_cdf for the quantile).
When scipy and scikit-learn are installed (Debian: python3-scipy,
python3-sklearn) the script cross-checks the cdf and quantile against
scipy.special.ndtr/ndtri and every AUC against sklearn.metrics.roc_auc_score,
and records which were used in `_about`.

Needs numpy. Run: /usr/bin/python3 packages/metrics/tools/make_stats_fixtures.py
"""
import json
import math
import os
from statistics import NormalDist

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', '__fixtures__', 'delong.json')
LEVEL = 0.95
Q = NormalDist().inv_cdf(0.5 + LEVEL / 2)

try:
    from scipy.special import ndtr, ndtri
except ImportError:  # pragma: no cover
    ndtr = ndtri = None
try:
    from sklearn.metrics import roc_auc_score
except ImportError:  # pragma: no cover
    roc_auc_score = None


def two_sided_p(z):
    return math.erfc(abs(z) / math.sqrt(2))


def ratio(num, se):
    """num / se: 0 when num is 0, +-inf when only se is (stored as a string: JSON has no infinity)."""
    if num == 0:
        return 0.0
    return num / se if se > 0 else math.copysign(math.inf, num)


def number(v):
    return v if math.isfinite(v) else ('Infinity' if v > 0 else '-Infinity')


def naive_delong(labels, score_rows):
    """AUCs, S10, S01 (k x k) of k score vectors, from the m x n kernel."""
    labels = np.asarray(labels)
    pos = labels == 1
    neg = labels == 0
    m, n = int(pos.sum()), int(neg.sum())
    v10 = np.empty((len(score_rows), m))
    v01 = np.empty((len(score_rows), n))
    aucs = []
    for r, s in enumerate(score_rows):
        s = np.asarray(s, dtype=np.float64)
        x = s[pos][:, None]
        y = s[neg][None, :]
        psi = (x > y).astype(np.float64) + 0.5 * (x == y)
        v10[r] = psi.mean(axis=1)
        v01[r] = psi.mean(axis=0)
        aucs.append(float(psi.sum() / (m * n)))
        if roc_auc_score is not None:
            assert abs(roc_auc_score(labels, s) - aucs[-1]) < 1e-12
    s10 = np.atleast_2d(np.cov(v10, ddof=1))
    s01 = np.atleast_2d(np.cov(v01, ddof=1))
    return aucs, s10, s01, m, n


def single_case(name, labels, scores, note):
    aucs, s10, s01, m, n = naive_delong(labels, [scores])
    var = float(s10[0, 0] / m + s01[0, 0] / n)
    se = math.sqrt(var)
    auc = aucs[0]
    z = ratio(auc - 0.5, se)
    return {
        'name': name,
        'note': note,
        'labels': [int(v) for v in labels],
        'scores': [float(v) for v in scores],
        'positives': m,
        'negatives': n,
        'auc': auc,
        's10': float(s10[0, 0]),
        's01': float(s01[0, 0]),
        'variance': var,
        'se': se,
        'vs_chance': {'z': number(z), 'p': two_sided_p(z), 'ci': [auc - Q * se, auc + Q * se]},
    }


def paired_case(name, labels, a, b, note):
    aucs, s10, s01, m, n = naive_delong(labels, [a, b])
    L = np.array([1.0, -1.0])
    var = float(L @ s10 @ L / m + L @ s01 @ L / n)
    se = math.sqrt(var)
    diff = aucs[0] - aucs[1]
    z = ratio(diff, se)
    return {
        'name': name,
        'note': note,
        'labels': [int(v) for v in labels],
        'scores_a': [float(v) for v in a],
        'scores_b': [float(v) for v in b],
        'auc_a': aucs[0],
        'auc_b': aucs[1],
        's10': s10.tolist(),
        's01': s01.tolist(),
        'variance_a': float(s10[0, 0] / m + s01[0, 0] / n),
        'variance_b': float(s10[1, 1] / m + s01[1, 1] / n),
        'diff': diff,
        'se': se,
        'z': number(z),
        'p': two_sided_p(z),
        'ci': [diff - Q * se, diff + Q * se],
    }


def labels_of(rng, m, n):
    y = np.array([1] * m + [0] * n)
    rng.shuffle(y)
    return y


def hanley_mcneil():
    """Hanley & McNeil (1982) Table 1: 109 CT images on a 5-point scale."""
    normal = [33, 6, 6, 11, 2]
    abnormal = [3, 2, 2, 11, 33]
    labels, scores = [], []
    for rating, (cn, ca) in enumerate(zip(normal, abnormal), start=1):
        labels += [0] * cn + [1] * ca
        scores += [float(rating)] * (cn + ca)
    return labels, scores


def main():
    rng = np.random.default_rng(20230618)
    single = []

    y = labels_of(rng, 40, 60)
    single.append(single_case('continuous', y, rng.normal(size=100) + 1.0 * y, 'normal scores, shift 1, no ties'))

    y = labels_of(rng, 30, 70)
    s = np.clip(np.round(rng.normal(size=100) * 1.2 + 3 + 0.8 * y), 1, 5)
    single.append(single_case('heavy-ties', y, s, '5-point ratings: every score tied with many others'))

    y = labels_of(rng, 7, 120)
    single.append(single_case('unequal', y, np.round(rng.normal(size=127) + 0.7 * y, 1), '7 positives, 120 negatives, 1 decimal'))

    y = np.array([1, 0, 1, 0, 0])
    single.append(single_case('tiny', y, np.array([0.4, 0.4, 0.9, 0.1, 0.6]), '2 positives, 3 negatives, one tie across classes'))

    y = labels_of(rng, 5, 6)
    single.append(single_case('separated', y, np.where(y == 1, 2.0, 1.0) + rng.uniform(size=11) * 0.5, 'perfect separation: AUC 1, variance 0'))

    y = labels_of(rng, 300, 500)
    single.append(single_case('large', y, np.round(rng.normal(size=800) + 0.5 * y, 2), '800 items, 2 decimals (some ties)'))

    y = labels_of(rng, 25, 25)
    single.append(single_case('below-chance', y, np.round(rng.normal(size=50) - 0.6 * y, 1), 'scores inverted: AUC below 0.5'))

    hy, hs = hanley_mcneil()
    single.append(single_case('hanley-mcneil-1982', hy, hs, 'Hanley & McNeil (1982) Table 1; published area 0.893, SE 0.032 (their formula)'))

    paired = []
    y = labels_of(rng, 90, 110)
    a = rng.normal(size=200) + 1.0 * y
    b = 0.8 * a + 0.6 * rng.normal(size=200) + 0.3 * y
    paired.append(paired_case('correlated', y, np.round(a, 2), np.round(b, 2), 'B = 0.8 A + noise, 2 decimals'))

    y = labels_of(rng, 40, 60)
    base = rng.normal(size=100) + 0.9 * y
    ra = np.clip(np.round(base + 0.5 * rng.normal(size=100) + 3), 1, 5)
    rb = np.clip(np.round(base + 0.8 * rng.normal(size=100) + 3), 1, 5)
    paired.append(paired_case('ratings', y, ra, rb, 'two raters on a 5-point scale sharing a latent score: heavy ties'))

    y = labels_of(rng, 6, 50)
    a = rng.normal(size=56) + 1.2 * y
    paired.append(paired_case('unequal', y, a, a + rng.normal(size=56) * 0.7, '6 positives, 50 negatives'))

    y = labels_of(rng, 60, 60)
    a = rng.normal(size=120) + 1.0 * y
    paired.append(paired_case('independent', y, a, rng.normal(size=120) + 0.2 * y, 'unrelated scores: covariance near 0'))

    zs = [-37.5, -30, -20, -12, -8, -5, -3.7, -2.5, -1.96, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 1.96, 2.5, 3.7, 5, 8]
    cdf = [0.5 * math.erfc(-z / math.sqrt(2)) for z in zs]
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 1e-3, 0.0125, 0.02425, 0.025, 0.05, 0.2, 0.5, 0.8, 0.95, 0.975, 0.97575, 0.9875, 0.999, 1 - 1e-6, 1 - 1e-10]
    quantile = [NormalDist().inv_cdf(p) for p in ps]
    checks = ['sklearn.metrics.roc_auc_score (every AUC)'] if roc_auc_score is not None else []
    if ndtr is not None:
        for z, c in zip(zs, cdf):
            assert c == 0 or abs(ndtr(z) / c - 1) < 1e-12, (z, c, ndtr(z))
        for p, q in zip(ps, quantile):
            assert abs(ndtri(p) - q) <= 1e-13 * max(1, abs(q)), (p, q, ndtri(p))
        checks.append('scipy.special.ndtr/ndtri (normal cdf and quantile)')

    about = (
        'Reference values for packages/metrics/src/stats/*.test.ts, written by '
        'packages/metrics/tools/make_stats_fixtures.py (numpy ' + np.__version__ + '). '
        'DeLong (1988) variances computed the naive way: the m x n kernel psi (1 / 0.5 / 0), '
        'placements V10 = row means and V01 = column means, S10 and S01 sample covariance '
        'matrices (ddof 1); var = S10/m + S01/n, paired var(A-B) = L S L\' with L = (1, -1). '
        'vs_chance and paired z = estimate / se (0 when the estimate is 0, the string "Infinity" when only se is), p = erfc(|z|/sqrt 2), '
        'ci = estimate -+ z_0.975 se. Normal cdf from math.erfc, quantile from '
        'statistics.NormalDist.inv_cdf. Cross-checked with: ' + (', '.join(checks) if checks else 'nothing (scipy, sklearn absent)') + '.'
    )
    doc = {
        '_about': about,
        'level': LEVEL,
        'single': single,
        'paired': paired,
        'normal': {'z': zs, 'cdf': cdf, 'p': ps, 'quantile': quantile},
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    for c in single:
        print(f"{c['name']:>20}: auc {c['auc']:.6f} se {c['se']:.6f} (m={c['positives']}, n={c['negatives']})")
    for c in paired:
        print(f"{c['name']:>20}: diff {c['diff']:+.6f} se {c['se']:.6f} p {c['p']:.4g}")
    print('cross-checks:', checks)


if __name__ == '__main__':
    main()
