// Memory under clients that ask for a file and read nothing: how much a server's resident set
// grows while N of them wait. A probe for one design choice (docs/performance.md, "Measurements
// behind design choices": the budget of bodies Node reads whole), not part of `pnpm bench`.
//
// usage: node bench/paused-clients.mjs PID PORT PATH [N=200] [WAIT_MS=2000]
//   PID: the server's process (its RSS is read from /proc/PID/status, Linux); PORT: on 127.0.0.1.
import { readFileSync } from "node:fs";
import { connect } from "node:net";

const [pid, port, path, count = "200", waitMs = "2000"] = process.argv.slice(2);
if (!pid || !port || !path) {
  console.error("usage: node bench/paused-clients.mjs PID PORT PATH [N=200] [WAIT_MS=2000]");
  process.exit(2);
}
/** The server's resident set and its peak, in MiB. */
const memory = () => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
};

const before = memory();
const sockets = Array.from({ length: Number(count) }, () => {
  const socket = connect({ host: "127.0.0.1", port: Number(port) });
  socket.on("error", () => {}); // the server may cut a client off: that is an answer too
  socket.on("connect", () => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.pause(); // read nothing: the answer backs up in the kernel, then in the server
  });
  return socket;
});
await new Promise((resolve) => setTimeout(resolve, Number(waitMs)));
const waiting = memory();
for (const socket of sockets) socket.destroy();
await new Promise((resolve) => setTimeout(resolve, 500));
const after = memory();
const mib = (value) => `${value.toFixed(1)} MiB`;
console.log(
  `${count} paused clients on ${path}: RSS ${mib(before.rss)} -> ${mib(waiting.rss)} ` +
    `(+${mib(waiting.rss - before.rss)}), peak ${mib(waiting.peak)}; ${mib(after.rss)} once they left`,
);
