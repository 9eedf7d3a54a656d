// ONNX Runtime Web inside the worker: the WebGPU build where the browser offers a hardware
// WebGPU adapter (a software one is far slower than wasm), else the wasm build; `?backend=`
// wasm or webgpu overrides. Threads only when the page is cross-origin isolated
// (SharedArrayBuffer), else one.

async function webGpuAdapter(acceptSoftware) {
  if (!self.navigator?.gpu) return false;
  try {
    const adapter = await navigator.gpu.requestAdapter();
    return Boolean(adapter) && (acceptSoftware || !(adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter));
  } catch {
    return false;
  }
}

// The threads to ask for (threads: 0 = automatic): never more than the machine's cores, as extra
// threads only wait for a core and slow every run down.
export function threadCount(threads, cores) {
  return threads > 0 ? Math.min(threads, cores) : Math.min(4, cores);
}

// threads: 0 = automatic; backend: 'auto', 'wasm' or 'webgpu'.
export async function loadRuntime({ threads = 0, backend = 'auto' } = {}) {
  const notes = [];
  const isolated = self.crossOriginIsolated === true;
  const cores = self.navigator?.hardwareConcurrency || 1;
  const wanted = threadCount(threads, cores);
  if (threads > cores) notes.push(`${threads} threads asked for; this machine has ${cores} cores, so ${wanted} are used.`);
  const numThreads = isolated ? wanted : 1;
  if (!isolated)
    notes.push('This page is not cross-origin isolated (served without the COOP/COEP headers), so ONNX Runtime runs on one thread.');

  const webgpu = backend !== 'wasm' && (await webGpuAdapter(backend === 'webgpu'));
  if (backend === 'webgpu' && !webgpu) notes.push('WebGPU is not available in this browser; using WebAssembly.');

  const ort = webgpu ? await import('../ort/ort.webgpu.min.mjs') : await import('../ort/ort.wasm.min.mjs');
  ort.env.wasm.wasmPaths = new URL('../ort/', import.meta.url).href;
  ort.env.wasm.numThreads = numThreads;
  ort.env.wasm.proxy = false; // already in a worker
  ort.env.logLevel = 'error';
  return {
    ort,
    backend: webgpu ? 'webgpu' : 'wasm',
    executionProviders: webgpu ? ['webgpu', 'wasm'] : ['wasm'],
    threads: numThreads,
    isolated,
    notes,
  };
}
