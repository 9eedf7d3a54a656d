// The token and channels-last test models of scripts/make_layer_models.py (random weights, a
// seed), made once into build/test-models/layers for the web tests that need them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO } from './load-core.mjs';

export const LAYER_MODELS = `${REPO}build/test-models/layers`;

// The path of NAME.onnx, made with the others when missing.
export function layerModel(name) {
  const path = `${LAYER_MODELS}/${name}.onnx`;
  if (!existsSync(path)) execFileSync('/usr/bin/python3', [`${REPO}scripts/make_layer_models.py`, LAYER_MODELS], { stdio: 'ignore' });
  return path;
}
