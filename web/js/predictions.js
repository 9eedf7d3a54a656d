// The top-k classes of a logits vector with their softmax probabilities, for display.
import { displayLabel } from './labels.js';

export function topK(logits, k, labels) {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return Array.from(logits, (logit, index) => ({ index, logit }))
    .sort((a, b) => b.logit - a.logit || a.index - b.index)
    .slice(0, k)
    .map(({ index, logit }) => ({
      index,
      logit,
      probability: Math.exp(logit - max) / sum,
      label: displayLabel(labels, index),
    }));
}

export function formatProbability(p) {
  return p >= 0.001 ? `${(p * 100).toFixed(1)} %` : '< 0.1 %';
}
