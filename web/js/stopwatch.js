// Adds up the time spent in what it is given to time: the runs' split of their time into
// inference and core work.
export class Stopwatch {
  ms = 0;

  // fn's result; its time is added.
  time(fn) {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.ms += performance.now() - start;
    }
  }

  // What the promise resolves to; the time spent awaiting it is added.
  async wait(promise) {
    const start = performance.now();
    try {
      return await promise;
    } finally {
      this.ms += performance.now() - start;
    }
  }
}
