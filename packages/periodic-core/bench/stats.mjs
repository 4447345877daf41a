/** p50 / p99 / max (and min) of a sample, nearest-rank, in ms rounded to µs. */
export function percentiles(values) {
  if (values.length === 0) return { samples: 0, min: null, p50: null, p99: null, max: null };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    samples: sorted.length,
    min: round(sorted[0], 3),
    p50: round(at(0.5), 3),
    p99: round(at(0.99), 3),
    max: round(sorted[sorted.length - 1], 3),
  };
}

export function round(value, digits) {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
