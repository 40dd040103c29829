// worker.js: the model runs here, in a Web Worker, so that the page's main thread stays free.
//
// The page builds the worker from a blob URL holding engine.js, vae.js and this file (a file:// page
// can load no other script). Messages: {id, call: "init", args: [data]} once, then
// {id, call: "decode" | "encode" | "loss" | "explain", args}; each is answered with
// {id, result, ms} (ms: the time the call took in here) or {id, error}.
"use strict";

let model = null;

onmessage = (event) => {
  const { id, call, args } = event.data;
  try {
    const start = performance.now();
    if (call === "init") {
      model = make_model(args[0]);
      postMessage({ id, result: true, ms: performance.now() - start });
      return;
    }
    if (!model) throw new Error(`worker: ${call} before init`);
    const result = model[call](...args);
    postMessage({ id, result, ms: performance.now() - start });
  } catch (error) {
    postMessage({ id, error: `${error.message || error}` });
  }
};
