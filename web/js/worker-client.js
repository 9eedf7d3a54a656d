// The page's side of the worker: requests with ids, answered by promises; progress events of
// a running explanation go to the handlers given with it.

const FINAL = new Set(['ready', 'model', 'result', 'cancelled', 'error']);

export class WorkerClient {
  #worker;
  #pending = new Map();
  #nextId = 1;

  constructor(url) {
    this.#worker = new Worker(url, { type: 'module' });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#failAll(new Error(`the worker failed: ${event.message || 'it could not start'}`));
    };
  }

  #receive(message) {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (!FINAL.has(message.type)) {
      pending.handlers[message.type]?.(message);
      return;
    }
    this.#pending.delete(message.id);
    if (message.type === 'error') {
      const error = new Error(message.message);
      error.name = message.name;
      pending.reject(error);
    } else {
      pending.resolve(message);
    }
  }

  #failAll(error) {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  // Returns {id, done}: done resolves with the final message ('cancelled' included).
  request(type, payload = {}, { transfer = [], handlers = {} } = {}) {
    const id = this.#nextId++;
    const done = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject, handlers }));
    this.#worker.postMessage({ ...payload, type, id }, transfer);
    return { id, done };
  }

  cancel(id) {
    if (this.#pending.has(id)) this.#worker.postMessage({ type: 'cancel', id });
  }
}
