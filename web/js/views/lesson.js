// Lesson mode: two shapes models side by side on the same scene, with the class's marker (a
// coloured square in the top-left corner) switched on and off: the honest and the shortcut CNN
// (does the model look at the shape?), or the honest CNN and the ViT (do they look at the same
// place?). The models live in the worker beside the page's own (lesson-run.js), each loaded when
// a pair first needs it and all freed when the lesson closes; each map is checked by the core's
// pointing game against the shape's mask and against the marker's corner.
import { EXPLANATIONS } from '../explanations.js';
import { displayImage, drawImage } from '../overlay.js';
import { formatProbability, topK } from '../predictions.js';
import { resolvePreprocess } from '../preprocess.js';
import { METHODS } from '../settings.js';
import { element } from './dom.js';
import { comparePlaces } from './lesson-compare.js';
import { TeachingView } from './view-base.js';

// name: what a sentence calls the model.
export const LESSON_MODELS = [
  { key: 'honest', file: 'shapes-cnn', title: 'Honest model', name: 'CNN' },
  { key: 'shortcut', file: 'shapes-shortcut-cnn', title: 'Shortcut model', name: 'shortcut CNN' },
  { key: 'vit', file: 'shapes-vit', title: 'ViT', name: 'ViT' },
];
export const LESSON_PAIRS = [
  { id: 'shortcut', title: 'Honest and shortcut CNN', keys: ['honest', 'shortcut'] },
  { id: 'vit', title: 'CNN and ViT', keys: ['honest', 'vit'] },
];
export const LESSON_SCENES = ['0000-star', '0001-ring', '0002-triangle', '0003-cross', '0004-circle', '0005-square'];
// The page's default parameters, so the lesson shows the same maps for everyone.
const OPTIONS = { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 };
const BATCH = 16;
// The marker's corner: the top-left 13×13 pixels, which no shape reaches (samples/shapes/README.md).
export const CORNER = [0, 0, 13, 13];

// Where a map looks, in words, from the pointing games on the shape and on the corner.
export function lookSummary(shape, corner) {
  if (!shape.defined) return 'nowhere: the map is empty';
  if (shape.hit) return 'at the shape';
  if (corner.hit) return 'at the marker’s corner, not at the shape';
  return 'neither at the shape nor at the corner';
}

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url} (HTTP ${response.status})`);
  return response;
}

export class LessonView extends TeachingView {
  #options;
  #models = new Map(); // key → Promise of {key, title, name, sidecar, preprocess, labels} once loaded in the worker
  #images = new Map(); // path → Promise of a decoded image
  #maps = new Map(); // scene|marker|method|model → Promise of a result
  #running = new Map(); // the same keys → the worker request computing it
  #wanted = new Set(); // the keys the view waits for
  #scene = LESSON_SCENES[0];
  #marked = true;
  #pair = LESSON_PAIRS[0];
  #method = 'scorecam'; // the fastest: 65 forward passes a map, where IS-CAM takes 641
  #parts = null;
  #shown = null; // {base, results}

  // options: {core(), client(), display() → {colormap, opacity}, displayInputs}
  constructor(options) {
    super(null, { id: 'lesson-view', title: 'Compare two models on the same scene' });
    this.#options = options;
    this.body.replaceChildren(element('p', { className: 'hint', textContent: 'Opening it loads two small models (at most 250 KB each) and explains one scene with both.' }));
    this.element.addEventListener('toggle', () => {
      if (!this.element.open) this.#release();
    });
    for (const input of options.displayInputs ?? []) input.addEventListener('input', () => this.redraw()); // as teaching.js
  }

  get core() {
    return this.#options.core();
  }

  ready() {
    return true; // the lesson needs no run of the page's
  }

  // ---- data --------------------------------------------------------------------------------------

  #decoded(path) {
    if (!this.#images.has(path))
      this.#images.set(
        path,
        fetchOk(path).then(async (r) => this.core.decodeImage(new Uint8Array(await r.arrayBuffer()))),
      );
    return this.#images.get(path);
  }

  #loadModel(m) {
    if (!this.#models.has(m.key)) {
      const pending = (async () => {
        const [bytes, sidecar] = await Promise.all([
          fetchOk(`models/${m.file}.onnx`).then((r) => r.arrayBuffer()),
          fetchOk(`models/${m.file}.json`).then((r) => r.json()),
        ]);
        const client = this.#options.client();
        const info = await client.request('lesson-load', { key: m.key, bytes, probeSize: sidecar.preprocess.size }, { transfer: [bytes] }).done;
        const preprocess = resolvePreprocess(info.input, sidecar, { preset: 'model' }, (name) => this.core.preprocessPreset(name));
        return { ...m, sidecar, preprocess, labels: sidecar.labels };
      })();
      pending.catch(() => this.#models.delete(m.key));
      this.#models.set(m.key, pending);
    }
    return this.#models.get(m.key);
  }

  #loadModels(pair) {
    return Promise.all(pair.keys.map((key) => this.#loadModel(LESSON_MODELS.find((m) => m.key === key))));
  }

  #release() {
    for (const id of this.#running.values()) this.#options.client().cancel(id);
    if (this.#models.size === 0) return;
    this.#models.clear();
    this.#options.client().request('lesson-release').done.catch(() => {});
  }

  // One model's map of one scene: {map, height, width, classIndex, logits, shape, corner}.
  #key(model, scene, marked, method) {
    return [scene, marked, method, model.key].join('|');
  }

  #map(model, scene, marked, method) {
    const key = this.#key(model, scene, marked, method);
    if (!this.#maps.has(key)) {
      const pending = (async () => {
        const [image, mask] = await Promise.all([this.#decoded(this.#scenePath(scene, marked)), this.#decoded(`samples/shapes/masks/${scene}.png`)]);
        const request = { key: model.key, image, preprocess: model.preprocess, methods: [method], options: OPTIONS, batch: BATCH };
        const progress = ({ done, total }) => {
          if (this.#wanted.has(key)) this.#parts.status.textContent = `Explaining with the ${model.title.toLowerCase()}: ${done} of ${total} forward passes…`;
        };
        const { id, done } = this.#options.client().request('lesson-explain', request, { handlers: { progress } });
        this.#running.set(key, id);
        const result = await done.finally(() => this.#running.delete(key));
        if (result.type === 'cancelled') throw new Error('cancelled');
        const { map, height, width } = result;
        const { height: H, width: W } = model.preprocess;
        if (mask.width !== W || mask.height !== H) throw new Error(`the mask is ${mask.width}×${mask.height}, the model's input ${W}×${H}`);
        return {
          ...result,
          shape: this.core.localiseMask(map, height, width, mask),
          corner: this.core.localiseBox(map, height, width, CORNER, H, W),
        };
      })();
      pending.catch(() => this.#maps.delete(key));
      this.#maps.set(key, pending);
    }
    return this.#maps.get(key);
  }

  #scenePath(scene, marked) {
    return `samples/shapes/${marked ? 'marked' : 'images'}/${scene}.png`;
  }

  // ---- the view ----------------------------------------------------------------------------------

  async load(current) {
    this.body.replaceChildren(element('p', { className: 'hint', textContent: 'Loading the two models…' }));
    await this.#loadModels(this.#pair);
    if (!current()) return;
    const scenes = element(
      'div',
      { className: 'samples lesson-scenes', id: 'lesson-scenes' },
      ...LESSON_SCENES.map((scene) => {
        const button = element(
          'button',
          { type: 'button', className: 'sample', title: scene.slice(5) },
          element('img', { src: this.#scenePath(scene, false), alt: `Scene ${scene}: a ${scene.slice(5)}`, width: 64, height: 64 }),
        );
        button.dataset.scene = scene;
        button.addEventListener('click', () => {
          this.#scene = scene;
          this.#update(current);
        });
        return button;
      }),
    );
    scenes.setAttribute('role', 'group');
    scenes.setAttribute('aria-label', 'Scenes');
    const marker = element('input', { type: 'checkbox', id: 'lesson-marker', checked: this.#marked });
    marker.addEventListener('change', () => {
      this.#marked = marker.checked;
      this.#update(current);
    });
    const method = element(
      'select',
      { id: 'lesson-method' },
      ...METHODS.map((m) => element('option', { value: m.id, textContent: m.title })),
    );
    method.value = this.#method;
    method.addEventListener('change', () => {
      this.#method = method.value;
      this.#update(current);
    });
    const pair = element(
      'select',
      { id: 'lesson-pair' },
      ...LESSON_PAIRS.map((p) => element('option', { value: p.id, textContent: p.title })),
    );
    pair.value = this.#pair.id;
    pair.addEventListener('change', () => {
      this.#pair = LESSON_PAIRS.find((p) => p.id === pair.value);
      this.#update(current);
    });
    const status = element('p', { className: 'hint', id: 'lesson-status' });
    status.setAttribute('role', 'status');
    const panels = element('div', { className: 'panels lesson-panels', id: 'lesson-panels' });
    const compare = element('p', { id: 'lesson-compare' });
    const facts = element('p', { className: 'hint lesson-facts' });
    const intro = element('p', {});
    this.#parts = { intro, scenes, marker, status, panels, compare, facts };
    this.body.replaceChildren(
      intro,
      scenes,
      element(
        'div',
        { className: 'lesson-controls' },
        element('label', { className: 'toggle' }, marker, ' The class’s marker in the top-left corner'),
        element('div', {}, element('label', { htmlFor: 'lesson-pair', textContent: 'Models' }), pair),
        element('div', {}, element('label', { htmlFor: 'lesson-method', textContent: 'Method' }), method),
      ),
      status,
      panels,
      compare,
      facts,
    );
    await this.#update(current);
  }

  // The two models' test accuracies, from their sidecars.
  #accuracies(models) {
    const pct = (v) => `${(100 * v).toFixed(1)} %`;
    const [first, second] = models.map((m) => m.sidecar);
    const [a, b] = models.map((m) => m.name);
    const scenes = `On ${first.test_images} test scenes the ${a} is right on ${pct(first.test_accuracy)} without markers and ${pct(first.test_accuracy_with_markers)} with them; ` +
      `the ${b} on ${pct(second.test_accuracy)} without and ${pct(second.test_accuracy_with_markers)} with.`;
    return `${scenes} Given another class's marker, the ${b} follows the marker ${pct(second.swapped_markers.marker_class)} of the time.`;
  }

  async #update(current) {
    const { scene, marked, method, pair } = { scene: this.#scene, marked: this.#marked, method: this.#method, pair: this.#pair };
    for (const b of this.#parts.scenes.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.scene === scene));
    this.#parts.marker.checked = marked;
    this.#parts.intro.textContent = `${EXPLANATIONS[pair.id === 'vit' ? 'lessonVit' : 'lesson'].text} Turn the marker on and off and watch where each map goes.`;
    this.#parts.status.textContent = 'Explaining with both models…';
    this.element.dataset.state = 'loading';
    const still = () => current() && scene === this.#scene && marked === this.#marked && method === this.#method && pair === this.#pair;
    try {
      const models = await this.#loadModels(pair);
      if (!still()) return;
      // Maps of another scene still waiting in the worker are dropped.
      this.#wanted = new Set(models.map((m) => this.#key(m, scene, marked, method)));
      for (const [key, id] of this.#running) if (!this.#wanted.has(key)) this.#options.client().cancel(id);
      const image = await this.#decoded(this.#scenePath(scene, marked));
      const results = await Promise.all(models.map((m) => this.#map(m, scene, marked, method)));
      if (!still()) return;
      this.#shown = { scene, marked, method, pair, base: displayImage(this.core, image), models, results };
      this.#parts.status.textContent = `${scene.slice(5)}, ${marked ? 'with' : 'without'} its marker, ${METHODS.find((m) => m.id === method).title}.`;
      this.#render();
      this.element.dataset.state = 'ready';
    } catch (error) {
      if (!still()) return;
      this.#parts.status.textContent = `The lesson could not run: ${error.message}`;
      this.element.dataset.state = 'error';
    }
  }

  #render() {
    const { scene, marked, base, models, results, pair } = this.#shown;
    const truth = scene.slice(5);
    const imagePanel = element('figure', { className: 'panel' }, element('canvas', { id: 'lesson-image' }), element('figcaption', { textContent: `The scene (${marked ? 'marker on' : 'no marker'})` }));
    const figures = models.map((model, i) => {
      const r = results[i];
      const [top] = topK(r.logits, 1, model.labels);
      const right = top.label === truth;
      const canvas = element('canvas', { id: `lesson-map-${model.key}` });
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${model.title}'s map: it looks ${lookSummary(r.shape, r.corner)}`);
      const figure = element(
        'figure',
        { className: `panel lesson-figure ${right ? 'right' : 'wrong'}`, id: `lesson-${model.key}` },
        canvas,
        element(
          'figcaption',
          {},
          element('strong', { textContent: model.title }),
          element('br'),
          `Says “${top.label}” (${formatProbability(top.probability)}) ${right ? '✓' : `✗ it is a ${truth}`}`,
          element('br'),
          `Looks ${lookSummary(r.shape, r.corner)}: ${Math.round(100 * r.shape.energy)} % of the map on the shape, ${Math.round(100 * r.corner.energy)} % in the corner.`,
        ),
      );
      Object.assign(figure.dataset, {
        label: top.label,
        shapeHit: String(r.shape.hit),
        shapeEnergy: String(r.shape.energy),
        cornerHit: String(r.corner.hit),
        cornerEnergy: String(r.corner.energy),
        map: JSON.stringify(Array.from(r.map)),
      });
      return figure;
    });
    this.#parts.panels.replaceChildren(imagePanel, ...figures);
    this.#parts.facts.textContent = this.#accuracies(models);
    // The shortcut pair's question is each model's own (does it look at the shape?); the ViT
    // pair's is whether the two look at the same place.
    const { H, W } = { H: models[0].preprocess.height, W: models[0].preprocess.width };
    const places = pair.id === 'vit' ? comparePlaces(...models.map((m, i) => ({ ...results[i], title: m.name })), H, W) : null;
    this.#parts.compare.hidden = !places;
    this.#parts.compare.textContent = places?.text ?? '';
    if (places) Object.assign(this.#parts.compare.dataset, { apart: String(places.apart), shared: String(places.shared) });
    drawImage(this.core, imagePanel.querySelector('canvas'), base);
    this.redraw();
  }

  redraw() {
    if (!this.#shown || !this.#parts?.panels.isConnected) return;
    const { colormap, opacity } = this.#options.display();
    const { base, models, results } = this.#shown;
    models.forEach((model, i) => {
      const canvas = this.#parts.panels.querySelector(`#lesson-map-${model.key}`);
      const { map, height, width } = results[i];
      if (canvas) drawImage(this.core, canvas, this.core.overlayImage(map, height, width, base, colormap, opacity));
    });
  }
}

// The lesson's section: its heading and the view (closed until the visitor opens it).
export function mountLesson(root, options) {
  const view = new LessonView(options);
  root.classList.add('lesson');
  root.setAttribute('aria-labelledby', 'lesson-title');
  root.replaceChildren(
    element('h2', { id: 'lesson-title', textContent: 'Lesson: does the model look at the shape?' }),
    element('p', { className: 'hint', textContent: 'Two small models trained on the same synthetic shapes, one of them with a shortcut to find.' }),
    view.element,
  );
  return view;
}
