// client.js: the page's side of the model. The model runs in a Web Worker (worker.js), so the main
// thread only draws; this file starts it and sends it requests.
//
// Each kind of request (your image, the pointer, the morphing strip) goes through a lane that keeps
// at most one in flight: a newer one replaces one still waiting, so the newest request wins and
// nothing piles up while the pointer moves.
"use strict";

const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
const [C, H, W] = DATA.imageShape;
const D = DATA.latentDim;

// ---------------------------------------------------------------- the model, in a worker

// The worker's script is engine.js, vae.js and worker.js, as they sit in this page, in a blob URL. Where no
// worker can start, the same model runs on the main thread (slower to the touch, same numbers).
const model = (() => {
  const pending = new Map();
  let next_id = 0, worker = null, local = null;
  const fields = ["latentDim", "imageShape", "isVae", "steps", "encoderSteps", "tensors", "weights", "loss"];
  const init = Object.fromEntries(fields.map((k) => [k, DATA[k]]));
  const run_locally = () => {
    if (!local) local = make_model(init);
    for (const [id, { call, args, resolve, reject }] of pending) {
      pending.delete(id);
      try { resolve({ result: local[call](...args), ms: null }); } catch (error) { reject(error); }
    }
  };
  try {
    const source = ["engine-js", "vae-js", "worker-js"].map((id) => document.getElementById(id).textContent).join("\n");
    worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    worker.onmessage = ({ data }) => {
      const call = pending.get(data.id);
      if (!call) return;
      pending.delete(data.id);
      if (data.error) call.reject(new Error(data.error)); else call.resolve({ result: data.result, ms: data.ms });
    };
    worker.onerror = (event) => {  // the worker could not start: run here instead
      event.preventDefault();
      worker = null;
      run_locally();
    };
    worker.postMessage({ id: next_id++, call: "init", args: [init] });
  } catch (error) {
    worker = null;
  }
  return {
    get where() { return worker ? "a Web Worker" : "the page's main thread"; },
    // call(name, args) -> Promise of {result, ms}: ms is the time the call took inside the worker
    call(call, args) {
      return new Promise((resolve, reject) => {
        const id = next_id++;
        pending.set(id, { call, args, resolve, reject });
        if (worker) worker.postMessage({ id, call, args }); else run_locally();
      });
    },
  };
})();

// A lane keeps at most one request in flight; a request made while one is in flight waits, and a
// newer one replaces it: the newest request wins.
function lane() {
  let busy = false, waiting = null;
  async function pump() {
    busy = true;
    while (waiting) {
      const { call, args, then } = waiting;
      waiting = null;
      try { then(await model.call(call, args)); } catch (error) { showError(error); }
    }
    busy = false;
  }
  return (call, args, then) => { waiting = { call, args, then }; if (!busy) pump(); };
}
