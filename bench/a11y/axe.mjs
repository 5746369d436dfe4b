// Runs axe-core (npm) in headless Chromium over the reader's pages, through the DevTools
// protocol (no script in the pages themselves: the CSP forbids it, so the protocol's
// Page.setBypassCSP lets axe in), in light and dark mode, and prints each page's
// violations as JSON lines; exits 1 when there are any.
//
//   node bench/a11y/axe.mjs CHROMIUM NODE_MODULES URL...
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

const [chromium, modules, ...urls] = process.argv.slice(2);
const require = createRequire(join(modules, "x.js"));
const WebSocket = require("ws");
const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const profile = mkdtempSync(join(tmpdir(), "lede-axe-"));
const browser = spawn(chromium, ["--headless", "--no-sandbox", "--disable-gpu",
  "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
  { stdio: ["ignore", "ignore", "pipe"] });
const port = await new Promise((resolve, reject) => {
  let err = "";
  browser.stderr.on("data", (d) => {
    err += d;
    const m = err.match(/DevTools listening on ws:\/\/[^:]+:(\d+)\//);
    if (m) resolve(m[1]);
  });
  browser.on("exit", () => reject(new Error("chromium exited: " + err)));
  setTimeout(() => reject(new Error("chromium did not start")), 20000);
});
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const ws = new WebSocket(targets.find((t) => t.type === "page").webSocketDebuggerUrl);
await new Promise((r) => ws.on("open", r));
let id = 0;
const waiting = new Map();
const events = [];
ws.on("message", (m) => {
  const msg = JSON.parse(m);
  if (msg.id && waiting.has(msg.id)) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
  else events.push(msg);
});
const send = (method, params = {}) => new Promise((r) => {
  id += 1; waiting.set(id, r); ws.send(JSON.stringify({ id, method, params }));
});
await send("Page.enable");
await send("Page.setBypassCSP", { enabled: true });
let failed = 0;
for (const [url, scheme] of urls.flatMap((u) => [[u, "light"], [u, "dark"]])) {
  await send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
  events.length = 0;
  await send("Page.navigate", { url });
  for (let i = 0; i < 200 && !events.some((e) => e.method === "Page.loadEventFired"); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await send("Runtime.evaluate", { expression: axe });
  const r = await send("Runtime.evaluate", {
    expression: "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, example: v.nodes[0] && v.nodes[0].target.join(' ')}))))",
    awaitPromise: true, returnByValue: true,
  });
  const violations = JSON.parse(r.result?.result?.value ?? "null");
  if (violations === null) { failed += 1; console.log(JSON.stringify({ url, scheme, error: r })); continue; }
  failed += violations.length;
  console.log(JSON.stringify({ url, scheme, violations }));
}
ws.close();
browser.kill();
process.exit(failed ? 1 : 0);
