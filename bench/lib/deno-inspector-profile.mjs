// Deno's equivalent of --cpu-prof (issue 21; Deno 2.9 has no flag that writes a CPU profile): run
// with Deno, whose WebSocket speaks to the V8 inspector of a server started with --inspect. Starts
// V8's sampling profiler and prints "started"; once its standard input closes, stops it, writes
// the profile (the format --cpu-prof writes, which bench/lib/profile-stages.mjs reads) and exits.
// usage: deno run -A deno-inspector-profile.mjs WS_URL OUT_FILE
const [url, out] = Deno.args;
const socket = new WebSocket(url);
const answers = new Map();
let last = 0;
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  answers.get(message.id)?.(message);
  answers.delete(message.id);
};
/** One inspector command, and its result (an error answer throws). */
const call = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = ++last;
    answers.set(id, (message) =>
      message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result),
    );
    socket.send(JSON.stringify({ id, method, params }));
  });
await new Promise((resolve, reject) => {
  socket.onopen = resolve;
  socket.onerror = () => reject(new Error(`cannot reach the inspector at ${url}`));
});
await call("Profiler.enable");
// 1 ms between samples, as Node's and Bun's --cpu-prof take them by default.
await call("Profiler.setSamplingInterval", { interval: 1000 });
await call("Profiler.start");
console.log("started");
for await (const _ of Deno.stdin.readable) {
  // Nothing is sent: the profile runs until the bench closes this pipe.
}
const { profile } = await call("Profiler.stop");
await Deno.writeTextFile(out, JSON.stringify(profile));
socket.close();
