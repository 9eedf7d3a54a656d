// A link that reproduces the view: the page's address follows what it shows (history.replaceState,
// url-state.js), "Copy link" copies it, and a page opened from such a link applies it. Only a
// bundled model and a bundled sample can travel in a link, not the visitor's own files.
import { isProjector } from './projector.js';
import { readView, writeView } from './url-state.js';

const $ = (id) => document.getElementById(id);

function formView() {
  const form = $('settings').elements;
  return {
    layer: $('layer').value,
    method: form.method.value,
    iscamSamples: form.iscamSamples.value,
    sscamSamples: form.sscamSamples.value,
    sigma: form.sigma.value,
    seed: form.seed.value,
    channels: $('channels').value,
    select: $('channel-select').value,
    colormap: $('colormap').value,
    opacity: $('opacity').value,
  };
}

// One control set from the link if it offers that value; returns whether it did.
function setControl(control, value) {
  if (![...(control.options ?? [])].some((o) => o.value === String(value))) return false;
  control.value = String(value);
  return true;
}

export class ViewLink {
  constructor(search = location.search) {
    ({ view: this.initial, ignored: this.ignored } = readView(search));
    this.live = false; // the address is left alone until the page has applied it
  }

  // subject: {model: bundled id or null, sample: bundled sample or null, classIndex (-1: top-1)}.
  update({ model, sample, classIndex }) {
    if (!this.live) return;
    const view = {
      ...formView(),
      model,
      sample,
      classIndex: classIndex >= 0 ? classIndex : undefined,
      threads: Number($('threads').value) || undefined,
      backend: this.initial.backend,
      projector: isProjector(),
    };
    if (!model) Object.assign(view, { layer: undefined, classIndex: undefined });
    if (!sample) view.classIndex = undefined;
    history.replaceState(history.state, '', `${location.pathname}${writeView(view, location.search)}${location.hash}`);
  }

  // Sets the form and display controls from the link (after the model loaded). Returns what it
  // could not apply, as "key=value" strings.
  applyControls() {
    const v = this.initial;
    const form = $('settings').elements;
    const problems = [...this.ignored];
    if (v.layer !== undefined && !setControl($('layer'), v.layer)) problems.push(`layer=${v.layer} (not a layer of this model)`);
    if (v.method !== undefined) form.method.value = v.method;
    for (const field of ['iscamSamples', 'sscamSamples', 'sigma', 'seed']) if (v[field] !== undefined) form[field].value = String(v[field]);
    if (v.channels !== undefined && !setControl($('channels'), v.channels)) problems.push(`channels=${v.channels}`);
    if (v.select !== undefined && !setControl($('channel-select'), v.select)) problems.push(`select=${v.select}`);
    if (v.colormap !== undefined && !setControl($('colormap'), v.colormap)) problems.push(`colormap=${v.colormap}`);
    if (v.opacity !== undefined) {
      $('opacity').value = String(v.opacity);
      $('opacity').dispatchEvent(new Event('input'));
    }
    $('colormap').dispatchEvent(new Event('change'));
    return problems;
  }
}

// "Copy link": the address (kept current) to the clipboard, or shown where that is refused.
export async function copyLink(say, ownFiles) {
  const caveat = ownFiles ? ' Your own image or model cannot travel in a link: it opens with a bundled one instead.' : '';
  try {
    await navigator.clipboard.writeText(location.href);
    say(`Link copied: it opens this view.${caveat}`);
  } catch {
    say(`Copy this link to share the view: ${location.href}${caveat}`);
  }
}
