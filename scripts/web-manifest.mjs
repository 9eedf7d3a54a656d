// Writes the page's list of sample images (JSON on stdout): the images of a folder, those whose
// name starts with `prefix-` (the default model's dataset) first, each with a readable title.
//
//   node scripts/web-manifest.mjs web/samples fashion > build/web/samples/index.json
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const IMAGE = /\.(png|jpe?g|bmp|gif)$/i;

// "fashion-0-ankle-boot.png" → "Ankle boot"; "chelsea.png" → "Chelsea".
export function sampleTitle(file, prefix) {
  const words = file.replace(IMAGE, '').replace(new RegExp(`^${prefix}-\\d+-`), '').replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function sampleManifest(files, prefix) {
  const images = files.filter((f) => IMAGE.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const first = images.filter((f) => f.startsWith(`${prefix}-`));
  const rest = images.filter((f) => !f.startsWith(`${prefix}-`));
  return { samples: [...first, ...rest].map((file) => ({ file, title: sampleTitle(file, prefix) })) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, prefix] = process.argv.slice(2);
  if (!dir || !prefix) {
    console.error('usage: web-manifest.mjs SAMPLES_DIR PREFIX');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(sampleManifest(readdirSync(dir), prefix), null, 2) + '\n');
}
