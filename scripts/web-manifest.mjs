// Writes the page's list of bundled models and sample images (JSON on stdout). Each sample says
// which models it goes with: the photos (top-level images that are not Fashion-MNIST's) with the
// ImageNet model and any other 1000-class model, the Fashion-MNIST images with the Fashion model,
// a few shapes scenes (and their twins with the class marker, for the shortcut lesson) with the
// three shapes models. The bundled models come first in `samples` order, the default (first)
// model's samples first.
//
//   node scripts/web-manifest.mjs web > build/web/samples/index.json
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const IMAGE = /\.(png|jpe?g|bmp|gif)$/i;
const SHAPES_SCENES = /^shapes\/(images|marked)\/000[0-5]-[a-z]+\.png$/;
const PHOTOS = /^(?!fashion-)[^/]+\.(png|jpe?g|bmp|gif)$/i;

// The bundled models in the order the page lists them; the first is the page's default.
export const BUNDLED = [
  { id: 'mobilenetv2-12-int8', samples: PHOTOS, opening: 'chelsea.png' },  // a photo it gets right
  { id: 'fashion-cnn', samples: /^fashion-\d+-[a-z-]+\.png$/ },
  { id: 'shapes-cnn', samples: SHAPES_SCENES },
  { id: 'shapes-shortcut-cnn', samples: SHAPES_SCENES },
  { id: 'shapes-vit', samples: SHAPES_SCENES },
];

const byName = (a, b) => a.localeCompare(b, 'en', { numeric: true });

// "fashion-0-ankle-boot.png" → "Ankle boot"; "shapes/marked/0003-cross.png" → "Cross, with
// marker"; "chelsea.png" → "Chelsea".
export function sampleTitle(file) {
  const name = file.split('/').at(-1).replace(IMAGE, '');
  const words = name.replace(/^fashion-\d+-/, '').replace(/^\d+-/, '').replace(/[-_]+/g, ' ').trim();
  const title = words.charAt(0).toUpperCase() + words.slice(1);
  return file.startsWith('shapes/marked/') ? `${title}, with marker` : title;
}

// The marked twin of a shapes scene and back ('' for other samples).
export function twinOf(file) {
  if (file.startsWith('shapes/images/')) return file.replace('shapes/images/', 'shapes/marked/');
  if (file.startsWith('shapes/marked/')) return file.replace('shapes/marked/', 'shapes/images/');
  return '';
}

// files: paths under the samples folder ('/'-separated); models: [{id, name, classes}] of the
// bundled models found (in BUNDLED order).
export function pageManifest(files, models) {
  const images = files.filter((f) => IMAGE.test(f)).sort(byName);
  const samples = [];
  const claimed = new Set();
  for (const { id } of models) {
    const { samples: rule, opening } = BUNDLED.find((b) => b.id === id);
    const mine = images.filter((f) => rule.test(f));
    if (mine.includes(opening)) mine.unshift(...mine.splice(mine.indexOf(opening), 1));
    for (const file of mine) {
      if (!claimed.has(file)) {
        claimed.add(file);
        const twin = twinOf(file);
        const sample = { file, title: sampleTitle(file), models: [] };
        if (PHOTOS.test(file)) sample.classes = 1000;
        if (twin && images.includes(twin)) sample.twin = twin;
        if (file.startsWith('shapes/marked/')) sample.marked = true;
        samples.push(sample);
      }
      samples.find((s) => s.file === file).models.push(id);
    }
  }
  for (const file of images.filter((f) => !f.includes('/') && !claimed.has(f)))
    samples.push({ file, title: sampleTitle(file), classes: 1000 });
  return { models: models.map(({ id, name, classes }) => ({ id, name, file: `${id}.onnx`, classes })), samples };
}

// The bundled models present in a models folder, with their sidecars' names and class counts.
export function bundledModels(modelsDir) {
  return BUNDLED.filter(({ id }) => existsSync(join(modelsDir, `${id}.onnx`))).map(({ id }) => {
    const sidecar = JSON.parse(readFileSync(join(modelsDir, `${id}.json`), 'utf8'));
    return { id, name: sidecar.name ?? id, classes: sidecar.labels.length };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [webDir] = process.argv.slice(2);
  if (!webDir) {
    console.error('usage: web-manifest.mjs WEB_DIR   (the folder holding models/ and samples/)');
    process.exit(2);
  }
  const files = readdirSync(join(webDir, 'samples'), { recursive: true }).map((f) => f.split('\\').join('/'));
  const manifest = pageManifest(files, bundledModels(join(webDir, 'models')));
  process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
}
