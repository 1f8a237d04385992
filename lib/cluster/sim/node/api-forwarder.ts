/**
 * The namespace half of the API bridge (api-bridge.ts): a small program that the host's node
 * binary runs inside a node shell's network namespace before the prompt. It watches the bridge
 * for the API's port and state and listens on 127.0.0.1:<that port> inside the namespace only
 * while the API listens on the host, relaying each connection over the bind-mounted unix socket.
 * So kubectl keeps the kubeconfig's `https://127.0.0.1:<port>` (a SAN of the API certificate),
 * a stopped apiserver is "connection refused" inside as well, and nothing else on the host's
 * loopback is reachable.
 *
 * It writes one line ("ready") on stdout once it knows the API's state (or after 3 s at most,
 * so the prompt is never held); the shell waits for that line. It lives in
 * the shell's pid namespace, so it dies with the shell. If the bridge goes away (the cluster
 * stopped) the port is closed and the watch retried every second.
 *
 * Plain CommonJS with no dependencies, like the node tool client.
 */
export const API_FORWARDER_JS = `"use strict";
const net = require("net");
const fs = require("fs");
process.title = "breakfix-api-forwarder";
const SOCK = process.argv[2] || "/run/breakfix/api-bridge.sock";
let listener = null;
let listenPort = 0;
let want = { port: 0, listening: false };
let ready = false;
let retry = null;
function signalReady() {
  if (ready) return;
  ready = true;
  // fd 1 stays open: Readable.pipe touches process.stdout, which must not find fd 1 reused.
  try { fs.writeSync(1, "ready\\n"); } catch {}
}
function relay(client) {
  client.pause();
  const up = net.connect(SOCK);
  up.once("connect", () => {
    up.write("C");
    client.pipe(up);
    up.pipe(client);
    client.resume();
  });
  // The bridge unreachable: as near to a refused dial as an accepted connection can get.
  up.on("error", () => { if (!client.destroyed) client.resetAndDestroy(); });
  up.on("close", () => { if (!client.writableEnded && !client.destroyed) client.destroy(); });
  client.on("error", () => up.destroy());
  client.on("close", () => up.destroy());
}
function stop() {
  if (!listener) return;
  listener.close();
  listener = null;
  listenPort = 0;
}
function apply(state) {
  want = state;
  if (!state.listening || !state.port) { stop(); signalReady(); return; }
  if (listener && listenPort === state.port) { signalReady(); return; }
  stop();
  const srv = net.createServer(relay);
  listener = srv;
  listenPort = state.port;
  srv.on("error", () => {
    // The port is taken inside the namespace (a learner's own listener): try again shortly.
    if (listener === srv) { listener = null; listenPort = 0; }
    signalReady();
    if (!retry) retry = setTimeout(() => { retry = null; apply(want); }, 1000);
  });
  srv.listen(state.port, "127.0.0.1", signalReady);
}
function watch() {
  const w = net.connect(SOCK);
  let buf = "";
  w.setEncoding("utf8");
  w.on("connect", () => w.write("W"));
  w.on("data", (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let m;
      try { m = JSON.parse(line); } catch { continue; }
      if (m && typeof m.port === "number" && typeof m.listening === "boolean") apply({ port: m.port, listening: m.listening });
    }
  });
  w.on("error", () => {});
  w.on("close", () => {
    apply({ port: want.port, listening: false });
    setTimeout(watch, 1000);
  });
}
watch();
setTimeout(signalReady, 3000);
`;
