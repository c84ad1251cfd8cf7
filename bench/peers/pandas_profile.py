#!/usr/bin/python3
"""Profile one CSV file with pandas under OpenMetadata's datalake profiler rules (bench scenario 5).

The file is read the way OpenMetadata's Datalake reader reads it (pandas.read_csv in chunks of
CHUNKSIZE rows, with its options), column types come from the first chunk as OpenMetadata types
them, and the metrics are the ones @om/profiler computes by default, each combined over the chunks
by the rule of OpenMetadata's pandas metric function. Prints one JSON line last.

Where the rules are defined in OpenMetadata's repository (open-metadata/OpenMetadata):
  ingestion/src/metadata/readers/dataframe/dsv.py                 chunked read_csv and its options
  ingestion/src/metadata/utils/constants.py                       CHUNKSIZE
  ingestion/src/metadata/utils/datalake/datalake_utils.py         column types (fetch_col_types)
  ingestion/src/metadata/profiler/interface/pandas/profiler_interface.py
  ingestion/src/metadata/profiler/processor/runner.py             PandasRunner
  ingestion/src/metadata/sampler/pandas/sampler.py                dataset = every chunk when unsampled
  ingestion/src/metadata/profiler/metrics/static/{count,null_count,distinct_count,unique_count,
      min,max,mean,sum,stddev,min_length,max_length,row_count,column_count,column_names}.py
  ingestion/src/metadata/profiler/metrics/window/{median,first_quartile,third_quartile}.py
  ingestion/src/metadata/profiler/metrics/composed/{null_ratio,distinct_ratio,unique_ratio,
      duplicate_count,iqr,non_parametric_skew}.py
  ingestion/src/metadata/profiler/metrics/hybrid/histogram.py

Schedules (--schedule):
  one-pass    (default) each chunk is read once and feeds every metric of every column: the
              cheapest order of the same rules (exact counters of one column are shared by its
              distinct and unique counts, its kept values by the quartiles and the histogram)
  per-metric  one fresh read of the file per metric, as OpenMetadata's runner does: every metric
              iterates the dataset again, and the dataset of a Datalake table is a new read_csv

Usage: /usr/bin/python3 bench/peers/pandas_profile.py FILE [--schedule S] [--chunksize N] [--out F]
"""

import argparse
import ast
import json
import math
import os
import platform
import sys
import time
from collections import Counter
from datetime import datetime

import numpy as np
import pandas as pd
from dateutil import parser as date_parser

# OpenMetadata's CHUNKSIZE (rows per DataFrame chunk) since it was lowered for memory.
CHUNKSIZE = 100_000
MAX_BINS = 100

NUMERIC, STRING, DATETIME, BOOLEAN, NESTED = 'numeric', 'string', 'datetime', 'boolean', 'nested'

# The default metrics of @om/profiler per column kind (packages/profiler/src/metrics/registry.ts),
# in the order they are computed. Proportions, duplicates, IQR and skew are derived afterwards.
SCANNED = {
    NUMERIC: ['valuesCount', 'nullCount', 'distinctCount', 'uniqueCount', 'min', 'max', 'mean', 'sum',
              'stddev', 'median', 'firstQuartile', 'thirdQuartile'],
    STRING: ['valuesCount', 'nullCount', 'distinctCount', 'uniqueCount', 'mean', 'minLength', 'maxLength'],
    DATETIME: ['valuesCount', 'nullCount', 'distinctCount', 'uniqueCount', 'min', 'max'],
    BOOLEAN: ['valuesCount', 'nullCount', 'distinctCount', 'uniqueCount'],
    NESTED: ['valuesCount', 'nullCount'],
}

# What a metric needs from every chunk of its column.
NEEDS = {
    'valuesCount': 'count', 'nullCount': 'nulls', 'distinctCount': 'counter', 'uniqueCount': 'counter',
    'min': 'min', 'max': 'max', 'sum': 'sum', 'stddev': 'moments', 'median': 'values',
    'firstQuartile': 'values', 'thirdQuartile': 'values', 'minLength': 'lengths', 'maxLength': 'lengths',
}


def needs(kind, metric):
    if metric == 'mean':
        return 'lengths' if kind == STRING else 'means'
    return NEEDS[metric]


def read_chunks(path, chunksize):
    """A new chunked read of the file, with the options of OpenMetadata's DSV reader."""
    with pd.read_csv(path, sep=',', chunksize=chunksize, compression='gzip' if path.endswith('.gz') else None,
                     encoding_errors='ignore', escapechar='\\') as reader:
        yield from reader


def guess_value_type(value):
    """The type name OpenMetadata's generic column parser records for one object value."""
    try:
        return type(ast.literal_eval(str(value))).__name__.lower()
    except (ValueError, SyntaxError):
        pass
    except Exception:  # noqa: BLE001 - anything else also means a string
        return 'str'
    text = str(value)
    if text.isnumeric():
        return 'int64'
    try:
        datetime.strptime(text, '%H:%M:%S')
        return 'timedelta[ns]'
    except (ValueError, TypeError):
        pass
    try:
        date_parser.parse(text)
        return 'datetime64[ns]'
    except Exception:  # noqa: BLE001 - dateutil's ParserError, OverflowError, ...
        return 'str'


def column_kind(series):
    """Kind of a column from the first chunk: the dtype, or for object columns the largest type name
    (as strings) over the first 1000 non-null values."""
    if series.dtype != object:
        return {'i': NUMERIC, 'u': NUMERIC, 'f': NUMERIC, 'b': BOOLEAN, 'M': DATETIME}.get(series.dtype.kind, STRING)
    values = series.dropna()
    if not any(bool(v) for v in values.head(1000)):
        return STRING
    name = max(guess_value_type(v) for v in values.head(1000))
    if name in ('int', 'int64', 'float'):
        return NUMERIC
    if name == 'bool':
        return BOOLEAN
    if name == 'datetime64[ns]':
        return DATETIME
    if name in ('dict', 'list'):
        return NESTED
    return STRING


def typed(series, kind):
    """The chunk's column cast to the column's type, as the profiler interface casts its chunks."""
    if kind == DATETIME and series.dtype.kind != 'M':
        return pd.to_datetime(series, errors='coerce')
    if kind == NUMERIC and series.dtype == object:
        return pd.to_numeric(series, errors='coerce')
    return series


class ColumnScan:
    """Per-chunk state of one column for a set of needs."""

    def __init__(self, kind, wanted):
        self.kind = kind
        self.wanted = set(wanted)
        self.count = 0
        self.nulls = 0
        self.counter = Counter()
        self.min = None
        self.max = None
        self.means = []
        self.weights = []
        self.sum = 0
        self.moments = [0.0, 0.0, 0]
        self.values = []
        self.len_means = []
        self.len_weights = []
        self.min_len = None
        self.max_len = None

    def update(self, series):
        w = self.wanted
        if 'count' in w:
            self.count += int(series.count())
        if 'nulls' in w:
            self.nulls += int(series.isnull().sum())
        present = series.dropna() if w & {'counter', 'moments', 'values', 'lengths', 'means'} else None
        if 'counter' in w:
            items = present.to_list()
            try:
                self.counter.update(items)
            except TypeError:
                self.counter.update(json.dumps(v, default=str) for v in items)
        if 'min' in w:
            low = series.min()
            if not pd.isnull(low):
                self.min = low if self.min is None else min(self.min, low)
        if 'max' in w:
            high = series.max()
            if not pd.isnull(high):
                self.max = high if self.max is None else max(self.max, high)
        if 'means' in w:
            mean = series.mean()
            if not pd.isnull(mean):
                self.means.append(mean)
                self.weights.append(series.count())
        if 'sum' in w:
            self.sum += pd.to_numeric(series).sum()
        if 'moments' in w and len(present):
            # float64: squares of large int64 values would overflow silently.
            numbers = pd.to_numeric(present, errors='coerce').dropna().astype(float)
            self.moments[0] += numbers.sum()
            self.moments[1] += (numbers ** 2).sum()
            self.moments[2] += len(numbers)
        if 'values' in w and len(present):
            self.values.append(present.to_numpy(dtype=float))
        if 'lengths' in w and len(present):
            lengths = np.vectorize(len)(present.astype(str))
            self.len_means.append(lengths.mean())
            self.len_weights.append(len(lengths))
            low, high = int(lengths.min()), int(lengths.max())
            self.min_len = low if self.min_len is None else min(self.min_len, low)
            self.max_len = high if self.max_len is None else max(self.max_len, high)

    def all_values(self):
        if not self.values:
            return np.empty(0)
        if len(self.values) > 1:
            self.values = [np.concatenate(self.values)]
        return self.values[0]

    def result(self, metric):
        """One metric's value from this scan (None when it does not apply)."""
        if metric == 'valuesCount':
            return self.count
        if metric == 'nullCount':
            return self.nulls
        if metric == 'distinctCount':
            return len(self.counter)
        if metric == 'uniqueCount':
            return sum(1 for n in self.counter.values() if n == 1)
        if metric in ('min', 'max'):
            value = self.min if metric == 'min' else self.max
            if value is None:
                return None
            if self.kind == DATETIME:
                return int(value.timestamp() * 1000)
            return value
        if metric == 'mean':
            if self.kind == STRING:
                return float(np.average(self.len_means, weights=self.len_weights)) if self.len_means else None
            return float(np.average(self.means, weights=self.weights)) if self.means else None
        if metric == 'sum':
            return self.sum
        if metric == 'stddev':
            total, squares, n = self.moments
            if n == 0:
                return None
            variance = squares / n - (total / n) ** 2
            if variance < 0:
                # Rounding below zero counts as zero; anything larger is no answer.
                if variance > -1e-10:
                    variance = 0.0
                else:
                    return None
            return math.sqrt(variance)
        if metric == 'median':
            values = self.all_values()
            return float(np.median(values)) if len(values) else None
        if metric in ('firstQuartile', 'thirdQuartile'):
            values = self.all_values()
            if not len(values):
                return None
            return float(pd.Series(values, copy=False).quantile(0.25 if metric == 'firstQuartile' else 0.75, interpolation='midpoint'))
        if metric == 'minLength':
            return self.min_len
        if metric == 'maxLength':
            return self.max_len
        raise ValueError(metric)


def derive(m):
    """Composed metrics from the scanned ones."""
    values, nulls = m.get('valuesCount'), m.get('nullCount')
    if values is not None and nulls is not None and values + nulls > 0:
        m['nullProportion'] = nulls / (values + nulls)
    if m.get('distinctCount') is not None and values:
        m['distinctProportion'] = m['distinctCount'] / values
        m['duplicateCount'] = values - m['distinctCount']
    if m.get('uniqueCount') is not None and values:
        m['uniqueProportion'] = m['uniqueCount'] / values
    if m.get('firstQuartile') is not None and m.get('thirdQuartile') is not None:
        m['interQuartileRange'] = m['thirdQuartile'] - m['firstQuartile']
    if m.get('stddev') and m.get('mean') is not None and m.get('median') is not None:
        m['nonParametricSkew'] = (m['mean'] - m['median']) / m['stddev']


def short_number(x):
    """A bin edge as OpenMetadata labels it: three decimals and a K/M/B/T suffix per power of 1000."""
    for unit in ('', 'K', 'M', 'B'):
        if abs(x) < 1000:
            return f'{x:.3f}{unit}'
        x /= 1000
    return f'{x:.3f}T'


def histogram_bins(m):
    """Bin edges: Freedman-Diaconis width, Sturges past MAX_BINS bins, then MAX_BINS equal bins."""
    n, low, high, iqr = m.get('valuesCount'), m.get('min'), m.get('max'), m.get('interQuartileRange')
    if not n or low is None or high is None:
        return None
    if iqr is not None:
        width = 1 if iqr == 0 else 2 * iqr * n ** (-1 / 3)
        bins = math.ceil((high - low) / width)
    if iqr is None or bins > MAX_BINS:
        bins = int(math.ceil(math.log2(n) + 1))
        width = (high - low) / bins
    if bins > MAX_BINS:
        bins = MAX_BINS
        width = (high - low) / bins
    if bins == 0:
        return None
    return [low + i * width for i in range(bins)]


def histogram(edges, parts):
    """Counts per bin (left-closed, the last one open) summed over `parts` (chunks or one array)."""
    cuts = edges + [np.inf]
    counts = np.zeros(len(edges), dtype=np.int64)
    for part in parts:
        counts += pd.Series(pd.cut(part, cuts, right=False)).value_counts(sort=False).to_numpy()
    labels = [f'{short_number(edges[i])} to {short_number(edges[i + 1])}' for i in range(len(edges) - 1)]
    labels.append(f'{short_number(edges[-1])} and up')
    return {'boundaries': labels, 'frequencies': counts.tolist()}


def profile_one_pass(path, chunksize):
    kinds, scans, rows, chunks, names = None, None, 0, 0, []
    for chunk in read_chunks(path, chunksize):
        if kinds is None:
            names = [str(c) for c in chunk.columns]
            kinds = {c: column_kind(chunk[c]) for c in chunk.columns}
            scans = {c: ColumnScan(k, {needs(k, m) for m in SCANNED[k]}) for c, k in kinds.items()}
        rows += len(chunk)
        chunks += 1
        for c, scan in scans.items():
            scan.update(typed(chunk[c], kinds[c]))
    columns = {}
    for c, scan in (scans or {}).items():
        m = {metric: scan.result(metric) for metric in SCANNED[kinds[c]]}
        derive(m)
        if kinds[c] == NUMERIC:
            edges = histogram_bins(m)
            if edges:
                m['histogram'] = histogram(edges, [scan.all_values()])
        scan.values = None
        columns[str(c)] = m
    return {'rowCount': rows, 'columnNames': names, 'kinds': {str(c): k for c, k in (kinds or {}).items()},
            'columns': columns, 'chunks': chunks, 'reads': 1}


def profile_per_metric(path, chunksize):
    reads = 1
    first = next(read_chunks(path, chunksize))
    names = [str(c) for c in first.columns]
    kinds = {c: column_kind(first[c]) for c in first.columns}
    del first
    rows, chunks = 0, 0
    reads += 1
    for chunk in read_chunks(path, chunksize):
        rows += len(chunk)
        chunks += 1
    columns = {}
    for c, kind in kinds.items():
        m = {}
        for metric in SCANNED[kind]:
            scan = ColumnScan(kind, {needs(kind, metric)})
            reads += 1
            for chunk in read_chunks(path, chunksize):
                scan.update(typed(chunk[c], kind))
            m[metric] = scan.result(metric)
            del scan
        derive(m)
        if kind == NUMERIC:
            edges = histogram_bins(m)
            if edges:
                reads += 1
                m['histogram'] = histogram(edges, (typed(chunk[c], kind) for chunk in read_chunks(path, chunksize)))
        columns[str(c)] = m
    return {'rowCount': rows, 'columnNames': names, 'kinds': {str(c): k for c, k in kinds.items()},
            'columns': columns, 'chunks': chunks, 'reads': reads}


def peak_rss_bytes():
    """The kernel's high-water mark of this process (VmHWM), else ru_maxrss."""
    try:
        with open('/proc/self/status', encoding='ascii') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def plain(value):
    """JSON-ready values (numpy scalars to Python, NaN to null)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main():
    args = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    args.add_argument('file')
    args.add_argument('--schedule', choices=['one-pass', 'per-metric'], default='one-pass')
    args.add_argument('--chunksize', type=int, default=CHUNKSIZE)
    args.add_argument('--out', help='write the whole profile (with histograms) to this JSON file')
    opts = args.parse_args()
    started = time.perf_counter()
    run = profile_one_pass if opts.schedule == 'one-pass' else profile_per_metric
    profile = run(opts.file, opts.chunksize)
    seconds = time.perf_counter() - started
    profile['columnCount'] = len(profile['columnNames'])
    profile['sizeInByte'] = os.path.getsize(opts.file)
    if opts.out:
        with open(opts.out, 'w', encoding='utf8') as out:
            json.dump(plain(profile), out, indent=1)
    keep = ('valuesCount', 'nullCount', 'distinctCount', 'uniqueCount', 'min', 'max', 'mean', 'median')
    summary = {
        'engine': 'pandas',
        'pandas': pd.__version__,
        'numpy': np.__version__,
        'python': platform.python_version(),
        'schedule': opts.schedule,
        'chunksize': opts.chunksize,
        'chunks': profile['chunks'],
        'reads': profile['reads'],
        'seconds': seconds,
        'rowCount': profile['rowCount'],
        'columnCount': profile['columnCount'],
        'kinds': profile['kinds'],
        'metrics': {c: {k: m.get(k) for k in keep if k in m} for c, m in profile['columns'].items()},
        'peakRssBytes': peak_rss_bytes(),
    }
    sys.stdout.write('\n' + json.dumps(plain(summary)) + '\n')


if __name__ == '__main__':
    main()
