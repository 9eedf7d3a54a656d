// Do two models look at the same place? Lesson mode's comparison of two maps of one scene, which
// may come on different grids (a CNN's 8×8 feature map, a ViT's patch grid): each map is read as
// piecewise constant over the input (the cell that holds a pixel gives its value), then compared
// by where it peaks and by how much of the two maps' mass they share.

// The centre, in input pixels, of the cell where a map (row-major, height×width) first peaks.
export function peakPoint(map, height, width, inputHeight, inputWidth) {
  let peak = 0;
  for (let i = 1; i < map.length; ++i) if (map[i] > map[peak]) peak = i;
  const row = Math.floor(peak / width);
  const col = peak % width;
  return { y: ((row + 0.5) * inputHeight) / height, x: ((col + 0.5) * inputWidth) / width };
}

// Sum over the input's pixels of min(a, b), each map first scaled to sum 1 over the pixels: 1 for
// the same map, 0 for maps with no pixel in common. null when a map has no positive mass.
export function sharedMass(a, b, inputHeight, inputWidth) {
  const spread = ({ map, height, width }) => {
    const pixels = new Float64Array(inputHeight * inputWidth);
    let total = 0;
    for (let y = 0; y < inputHeight; ++y) {
      const row = Math.floor((y * height) / inputHeight);
      for (let x = 0; x < inputWidth; ++x) {
        const v = Math.max(0, map[row * width + Math.floor((x * width) / inputWidth)]);
        pixels[y * inputWidth + x] = v;
        total += v;
      }
    }
    return total > 0 ? pixels.map((v) => v / total) : null;
  };
  const [pa, pb] = [spread(a), spread(b)];
  if (!pa || !pb) return null;
  let shared = 0;
  for (let i = 0; i < pa.length; ++i) shared += Math.min(pa[i], pb[i]);
  return shared;
}

// a, b: {title, map, height, width, shape: {defined, hit}} (shape: the core's pointing game on
// the object's mask). → {apart (pixels between the peaks), shared (sharedMass), text}.
export function comparePlaces(a, b, inputHeight, inputWidth) {
  const [pa, pb] = [a, b].map((m) => peakPoint(m.map, m.height, m.width, inputHeight, inputWidth));
  const apart = Math.hypot(pa.y - pb.y, pa.x - pb.x);
  const shared = sharedMass(a, b, inputHeight, inputWidth);
  const facts = `their peaks are ${Math.round(apart)} px apart` + (shared === null ? '' : ` and ${Math.round(100 * shared)} % of the two maps coincide`);
  let verdict;
  if (!a.shape.defined || !b.shape.defined) verdict = 'Cannot tell: a map is empty';
  else if (a.shape.hit && b.shape.hit) verdict = 'Yes, on the shape: both maps peak on it';
  else if (a.shape.hit || b.shape.hit) verdict = `No: only the ${(a.shape.hit ? a : b).title}’s map peaks on the shape`;
  else verdict = 'Neither map peaks on the shape';
  return { apart, shared, text: `Do they look at the same place? ${verdict}; ${facts}.` };
}
