// The maps drawn over the image, and the figure and JSON downloads of what is shown. state, $
// and the faithfulness panel (whose metrics the JSON carries) come in.
import { download } from './download.js';
import { jsonWithMetrics } from './faithfulness.js';
import { figurePng } from './figure-export.js';
import { drawImage, overlayImage } from './overlay.js';
import { methodTitle } from './settings.js';

export function createPageDrawing({ state, $, faithfulness }) {
  let redrawQueued = false;

  // Opacity and colour map changes redraw from the maps already there: no recomputation.
  function redraw() {
    if (redrawQueued) return;
    redrawQueued = true;
    requestAnimationFrame(() => {
      redrawQueued = false;
      if (!state.shown || !state.image) return;
      for (const m of state.shown.methods) {
        const canvas = $(`map-${m}`);
        const result = state.shown.maps.get(m);
        drawImage(state.core, canvas, result ? overlayOf(result) : state.shown.base);
        canvas.setAttribute('aria-label', `${methodTitle(m)} heat map over ${state.image.title}${result ? '' : ' (not computed yet)'}`);
      }
    });
  }

  function overlayOf(result) {
    return overlayImage(state.core, state.shown.base, result, $('colormap').value, Number($('opacity').value));
  }

  // A labelled figure for slides (figure-export.js): the image, the overlays, the colour bar, a caption.
  async function downloadPng() {
    const { methods, maps, base, caption, stem } = state.shown;
    const panels = [
      { title: 'Image', image: base },
      ...methods.map((m) => ({ title: $(`caption-${m}`).textContent, image: overlayOf(maps.get(m)) })),
    ];
    download(await figurePng(state.core, { panels, colormap: $('colormap').value, caption }), `${stem}.png`, 'image/png');
  }

  // With the faithfulness metrics once they are measured, as `iscam explain --metrics` writes them.
  function downloadJson() {
    const { json, stem } = state.shown;
    const text = faithfulness.metrics ? jsonWithMetrics(json, faithfulness.metrics) : json;
    download(text, `${stem}.json`, 'application/json');
  }

  return { redraw, downloadPng, downloadJson };
}
