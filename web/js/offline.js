// Offline after the first visit: the service worker (sw.js) caches the page's files. It is
// registered once the page has started, so that its downloads do not compete with the page's
// own; `say` gets one line for the Runtime section.
export async function registerServiceWorker(say) {
  if (!('serviceWorker' in navigator)) {
    say('This browser cannot keep the page for offline use.');
    return;
  }
  try {
    await navigator.serviceWorker.register('sw.js', { updateViaCache: 'none' });
    say('Saving the page for offline use…');
    await navigator.serviceWorker.ready;
    say('Saved for offline use: this page now works without a network.');
  } catch (error) {
    say(`Not saved for offline use: ${error.message}`);
  }
}
