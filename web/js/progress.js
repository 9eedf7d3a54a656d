// Progress and ETA text for a running explanation.

// How often a run in the worker posts its progress (and partial maps) to the page.
export const PROGRESS_INTERVAL_MS = 100;

// "340 ms", "4.2 s", "12 s", "2 min 05 s", "26 h 40 min"; "–" when unknown.
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  if (whole >= 3600) return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

// The plan knows every forward pass up front, so the rate so far gives the time left.
export function remainingMs(elapsedMs, done, total) {
  if (!(done > 0) || !(elapsedMs >= 0)) return null;
  return (elapsedMs / done) * Math.max(0, total - done);
}

export function progressText({ done, total, elapsedMs }) {
  const parts = [`${done} of ${total} forward passes`, `${formatDuration(elapsedMs)} elapsed`];
  const left = remainingMs(elapsedMs, done, total);
  if (left !== null && done < total) parts.push(`about ${formatDuration(left)} left`);
  return parts.join(' · ');
}
