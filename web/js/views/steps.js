// Which steps the teaching views show: the channel counts "Play" walks through, and the passes
// whose inputs are drawn when there are too many to draw them all.

// Channel counts for Play, ending at `count`: every count when there are at most `frames`,
// else counts growing geometrically (the first channels change the map most).
export function buildUpSchedule(count, frames = 30) {
  if (count <= 0) return [0];
  if (count <= frames) return Array.from({ length: count }, (_, i) => i + 1);
  const out = [];
  for (let i = 0; i < frames - 1; ++i) {
    const n = Math.max((out.at(-1) ?? 0) + 1, Math.round(count ** (i / (frames - 1))));
    if (n >= count) break;
    out.push(n);
  }
  out.push(count);
  return out;
}

// `count` step indices of 0..n−1 spread evenly, first and last included (all of them when n ≤ count).
export function spreadSteps(n, count) {
  if (n <= count) return Array.from({ length: n }, (_, i) => i);
  if (count <= 1) return [0];
  const out = [];
  for (let i = 0; i < count; ++i) {
    const step = Math.round((i * (n - 1)) / (count - 1));
    if (step !== out.at(-1)) out.push(step);
  }
  return out;
}
