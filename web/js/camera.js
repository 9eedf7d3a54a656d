// The camera: one frame taken and explained, or Live mode, which explains the latest frame again
// as soon as the previous map is done, shows how many maps a second that makes, and stops when
// the visitor stops it or leaves the tab. Frames go from the video element to the worker on
// this machine only; nothing is sent anywhere.

// A frame's RGBA pixels (ImageData's) → the core's {width, height, rgb}.
export function frameImage(rgba, width, height) {
  if (rgba.length !== width * height * 4) throw new Error(`a ${width}×${height} frame needs ${width * height * 4} RGBA bytes, not ${rgba.length}`);
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return { width, height, rgb };
}

// Maps a second over the last few maps of a live run.
export class RefreshRate {
  #times = [];
  #window;

  constructor(window = 5) {
    this.#window = window;
  }

  tick(now) {
    this.#times.push(now);
    if (this.#times.length > this.#window + 1) this.#times.shift();
  }

  // null until two maps have been shown.
  get perSecond() {
    const t = this.#times;
    return t.length < 2 ? null : ((t.length - 1) * 1000) / (t.at(-1) - t[0]);
  }
}

// One sentence for a camera that cannot be opened (getUserMedia's errors by name).
export function cameraErrorText(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was not allowed: allow it in the browser (the address bar) to use it; the rest of the page works without it.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device; open or drop an image instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another program or could not start; close that program and try again.';
    case 'NoApi':
      return 'This browser gives pages no camera (it needs a secure page: https or localhost).';
    default:
      return `The camera could not be opened (${error?.message || error?.name || 'unknown error'}).`;
  }
}

// root: the camera's <section> in index.html (its controls found by id). explainFrame(image,
// {live}) explains a frame and resolves once its map is done (false when it was not explained);
// live(on) tells the page that Live mode started or stopped.
export function mountCamera(root, { explainFrame, live: onLive = () => {} }) {
  const $ = (id) => root.querySelector(`#${id}`);
  const video = $('camera-video');
  const toggle = $('camera-toggle');
  const snap = $('camera-snap');
  const liveButton = $('camera-live');
  const rateText = $('camera-rate');
  const message = $('camera-message');
  let stream = null;
  let liveRun = null; // {stop: boolean}

  const say = (text) => {
    message.textContent = text;
    message.hidden = !text;
  };

  const frame = () => {
    const { videoWidth: width, videoHeight: height } = video;
    if (!width || !height) throw new Error('the camera has not sent a frame yet');
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    return frameImage(context.getImageData(0, 0, width, height).data, width, height);
  };

  const stopLive = (why = '') => {
    if (!liveRun) return;
    liveRun.stop = true;
    liveRun = null;
    liveButton.setAttribute('aria-pressed', 'false');
    liveButton.textContent = 'Live';
    root.dataset.live = 'off';
    rateText.textContent = why;
    onLive(false);
  };

  const stopCamera = () => {
    stopLive();
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    snap.disabled = true;
    liveButton.disabled = true;
    toggle.textContent = 'Use camera';
    toggle.setAttribute('aria-pressed', 'false');
    root.dataset.camera = 'off';
  };

  const startCamera = async () => {
    say('');
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('no getUserMedia'), { name: 'NoApi' });
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    } catch (error) {
      say(cameraErrorText(error));
      root.dataset.camera = 'failed';
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    snap.disabled = false;
    liveButton.disabled = false;
    toggle.textContent = 'Stop camera';
    toggle.setAttribute('aria-pressed', 'true');
    root.dataset.camera = 'on';
  };

  const runLive = async (run) => {
    const rate = new RefreshRate();
    rateText.textContent = 'Live: waiting for the first map…';
    while (!run.stop) {
      let explained;
      try {
        explained = await explainFrame(frame(), { live: true });
      } catch (error) {
        stopLive(`Live stopped: ${error.message}`);
        return;
      }
      if (run.stop) return;
      if (!explained) {
        stopLive('Live stopped: a map was not finished.');
        return;
      }
      rate.tick(performance.now());
      const perSecond = rate.perSecond;
      root.dataset.liveMaps = String(Number(root.dataset.liveMaps ?? 0) + 1);
      rateText.textContent = perSecond === null ? 'Live: first map shown.' : `Live: ${perSecond.toFixed(1)} maps a second.`;
    }
  };

  toggle.addEventListener('click', () => (stream ? stopCamera() : startCamera()));
  snap.addEventListener('click', () => {
    stopLive();
    try {
      explainFrame(frame(), { live: false });
    } catch (error) {
      say(error.message);
    }
  });
  liveButton.addEventListener('click', () => {
    if (liveRun) {
      stopLive('Live stopped.');
      return;
    }
    liveRun = { stop: false };
    liveButton.setAttribute('aria-pressed', 'true');
    liveButton.textContent = 'Stop live';
    root.dataset.live = 'on';
    root.dataset.liveMaps = '0';
    onLive(true);
    runLive(liveRun);
  });
  // Leaving the tab stops Live mode and the camera: no frame is taken while nobody looks.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden && stream) {
      stopLive('Live stopped: the tab was left.');
      stopCamera();
    }
  });
  root.dataset.camera = 'off';
  root.dataset.live = 'off';
}
