// "Why A and not B?": the map of the class explained (A) beside the map of another class (B),
// and the contrastive map, whose score is f(·)_A − f(·)_B (docs/math.md). Class B is the
// runner-up at first, or any class found by name. Both maps run in the worker as side runs
// (they leave the run the teaching views read alone); page-run.js says when a run finished or began.
import { mountClassSearch } from '../class-search.js';
import { readableError } from '../errors.js';
import { displayLabel } from '../labels.js';
import { overlayImage } from '../overlay.js';
import { progressText } from '../progress.js';
import { download } from '../download.js';
import { element } from './dom.js';

export class ContrastView {
  #options;
  #run = null; // {request, base, classIndex, method, map, labels, stem}
  #classB = -1;
  #labels = null; // the class names of the last run's model
  #maps = []; // [{title, result}] as drawn: A, B, A − B
  #pending = [];
  #json = null;
  #generation = 0;

  // root: an empty <section>; options: {core(), client(), display() → {colormap, opacity},
  // displayInputs: the controls that change the display}.
  constructor(root, options) {
    this.#options = options;
    const search = element('input', { id: 'contrast-class', type: 'search', autocomplete: 'off', placeholder: 'Type part of a class name' });
    search.setAttribute('role', 'combobox');
    search.setAttribute('aria-controls', 'contrast-matches');
    search.setAttribute('aria-expanded', 'false');
    const matches = element('ul', { id: 'contrast-matches', className: 'class-matches', hidden: true });
    matches.setAttribute('role', 'listbox');
    this.search = mountClassSearch(search, matches, { labels: () => this.#run?.labels ?? [], pick: (index) => this.#setClassB(index) });
    this.button = element('button', { id: 'contrast-run', type: 'button', disabled: true, textContent: 'Explain both and their difference' });
    this.button.addEventListener('click', () => this.#start());
    this.downloadButton = element('button', { id: 'contrast-json', type: 'button', disabled: true, textContent: 'Download contrast JSON' });
    this.downloadButton.addEventListener('click', () => download(this.#json, `${this.#run.stem}-contrast.json`, 'application/json'));
    this.question = element('p', { id: 'contrast-question', className: 'contrast-question' });
    this.status = element('p', { id: 'contrast-status', className: 'hint' });
    this.status.setAttribute('role', 'status');
    this.panels = element('div', { id: 'contrast-panels', className: 'panels contrast-panels' });
    root.setAttribute('aria-labelledby', 'contrast-title');
    root.replaceChildren(
      element('h2', { id: 'contrast-title', textContent: 'Why this class and not another?' }),
      element(
        'p',
        { className: 'hint' },
        'The map of the class explained (A) beside the map of class B, and the contrastive map: the same method with the score ',
        element('em', { textContent: 'logit of A − logit of B' }),
        ', so it lights up what speaks for A against B.',
      ),
      element('div', { className: 'contrast-pick' }, element('label', { htmlFor: 'contrast-class', textContent: 'Class B' }), search, matches),
      this.question,
      element('div', { className: 'contrast-actions' }, this.button, this.downloadButton),
      this.status,
      this.panels,
    );
    for (const input of options.displayInputs ?? []) input.addEventListener('input', () => this.#draw());
    this.clear('Class B can be picked once a run has finished.');
  }

  // A run started or failed: what was shown belonged to the previous one.
  clear(message) {
    this.#cancel();
    this.#run = null;
    this.#maps = [];
    this.#json = null;
    this.button.disabled = true;
    this.downloadButton.disabled = true;
    this.question.textContent = '';
    this.status.textContent = message;
    this.panels.replaceChildren();
  }

  // A run finished. run: {request (the explain request), base (the image maps are drawn on),
  // classIndex (A), runnerUp (the default B, -1 for none), method, map (A's map of `method`), labels, stem}.
  showRun(run) {
    // Class B picked by the visitor stays for the next image of the same model.
    const sameModel = this.#labels === run.labels;
    this.clear('');
    this.#run = run;
    this.#labels = run.labels;
    this.#setClassB(sameModel && this.#classB >= 0 && this.#classB !== run.classIndex ? this.#classB : run.runnerUp);
  }

  #label(index) {
    return displayLabel(this.#run.labels, index);
  }

  // index -1: none yet (a one-class model has no runner-up).
  #setClassB(index) {
    if (!this.#run) return;
    this.#classB = index;
    if (index < 0) {
      this.question.textContent = 'Find class B by name.';
      this.button.disabled = true;
      return;
    }
    const a = this.#label(this.#run.classIndex);
    const b = this.#label(index);
    const same = index === this.#run.classIndex;
    this.question.textContent = same ? `Class B must differ from A (${a}).` : `Why “${a}” and not “${b}”?`;
    this.button.disabled = same;
    this.search.setValue(b);
  }

  #cancel() {
    ++this.#generation;
    for (const id of this.#pending) this.#options.client().cancel(id);
    this.#pending = [];
  }

  async #explain(request, what, current) {
    const { id, done } = this.#options.client().request(
      'explain',
      { ...request, aside: true },
      { handlers: { progress: (m) => current() && (this.status.textContent = `${what}: ${progressText(m)}`) } },
    );
    this.#pending.push(id);
    const reply = await done;
    return reply.type === 'result' ? reply : null;
  }

  async #start() {
    this.#cancel();
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    const { request, classIndex, method, map } = this.#run;
    const b = this.#classB;
    const [titleA, titleB] = [this.#label(classIndex), this.#label(b)];
    const base = { ...request, methods: [method], classIndex };
    this.button.disabled = true;
    this.downloadButton.disabled = true;
    this.#maps = [{ title: `A: ${titleA}`, result: map }];
    this.#draw();
    try {
      const ofB = await this.#explain({ ...base, classIndex: b }, `Class B (${titleB})`, current);
      if (!current() || !ofB) return;
      this.#maps.push({ title: `B: ${titleB}`, result: ofB.partials[0] });
      this.#draw();
      const contrast = await this.#explain({ ...base, contrastIndex: b }, `${titleA} − ${titleB}`, current);
      if (!current() || !contrast) return;
      this.#maps.push({ title: `A − B: ${titleA} − ${titleB}`, result: contrast.partials[0] });
      this.#json = contrast.json;
      this.#draw();
      this.status.textContent = `Done: ${ofB.forwardPasses + contrast.forwardPasses} forward passes for B and A − B.`;
      this.downloadButton.disabled = false;
    } catch (error) {
      if (current()) this.status.textContent = readableError(error);
    } finally {
      if (current()) {
        this.#pending = [];
        this.button.disabled = false;
      }
    }
  }

  #draw() {
    const core = this.#options.core();
    if (!this.#run || !core) return;
    const { colormap, opacity } = this.#options.display();
    this.panels.replaceChildren(
      ...this.#maps.map(({ title, result }, i) => {
        const image = overlayImage(core, this.#run.base, result, colormap, opacity);
        const canvas = element('canvas', { id: `contrast-map-${i}`, width: image.width, height: image.height });
        canvas.getContext('2d').putImageData(new ImageData(core.imageRgba(image), image.width, image.height), 0, 0);
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `Heat map of ${title}`);
        return element('figure', { className: 'panel' }, canvas, element('figcaption', { textContent: title }));
      }),
    );
  }
}
