"""Runs axe-core in headless Chromium over the reader's pages (issue 18).

Chromium is driven through the DevTools protocol, so nothing is added to the pages
themselves: their CSP forbids scripts, and the protocol's Page.setBypassCSP lets axe in.
Each page is checked in light and in emulated dark mode (prefers-color-scheme), and one
JSON line is printed per page and mode: {"url", "scheme", "violations": [{"id", "impact",
"help", "nodes", "example"}]}, or {"url", "scheme", "error"} when axe could not run. Exits
1 when any page has a violation or an error, 2 when Chromium cannot be driven at all.

axe-core is the axe.min.js that the PyPI package axe-playwright-python ships (its
Playwright wrapper is never imported), and the protocol is spoken with websocket-client:
bench/a11y/requirements.txt pins both, .ci/run installs them into target/tools/a11y.

    target/tools/a11y/bin/python bench/a11y/axe.py CHROMIUM URL...

Every wait is bounded (Chromium's start, each protocol answer, each page load), and
Chromium is killed at the end whatever happened.
"""

import importlib.util
import json
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import websocket

# Seconds. A page that never fires its load event is checked anyway, as it stands.
START_TIMEOUT = 30
ANSWER_TIMEOUT = 30
LOAD_TIMEOUT = 10
AXE_TIMEOUT = 90

# Runs in the page: the violations, each with its first node's selector as the example.
RUN_AXE = (
    "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify("
    "r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,"
    " example: v.nodes[0] && v.nodes[0].target.join(' ')}))))"
)


class Timeout(Exception):
    """Chromium did not answer in time."""


class DevTools:
    """One page's DevTools connection: commands and their answers, with events kept aside."""

    def __init__(self, url):
        # No Origin header: Chromium refuses protocol clients that send one unless it is
        # started with --remote-allow-origins.
        self.ws = websocket.create_connection(url, timeout=ANSWER_TIMEOUT, suppress_origin=True)
        self.last_id = 0
        self.events = []

    def _recv(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout()
        self.ws.settimeout(left)
        try:
            return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException as e:
            raise Timeout() from e

    def send(self, method, params=None, timeout=ANSWER_TIMEOUT):
        """The answer to `method`; raises Timeout when none comes in `timeout` seconds."""
        self.last_id += 1
        self.ws.send(json.dumps({"id": self.last_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            msg = self._recv(deadline)
            if msg.get("id") == self.last_id:
                return msg
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method, timeout):
        """Whether the event `method` came (or had come) within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            try:
                msg = self._recv(deadline)
            except Timeout:
                return False
            if "method" in msg:
                self.events.append(msg)
        return True

    def evaluate(self, expression, timeout=ANSWER_TIMEOUT):
        """The value of `expression` in the page (awaited), or the protocol's answer on failure."""
        answer = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout,
        )
        result = answer.get("result", {})
        if "error" in answer or "exceptionDetails" in result:
            return None, answer
        return result.get("result", {}).get("value"), answer

    def close(self):
        try:
            self.ws.close(timeout=2)
        except Exception:  # noqa: BLE001 - closing is best effort, Chromium is killed next.
            pass


def axe_source():
    """axe.min.js from the installed axe-playwright-python, without importing the package."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("axe-playwright-python is not installed (pip install -r bench/a11y/requirements.txt)")
    return (Path(spec.submodule_search_locations[0]) / "axe.min.js").read_text(encoding="utf-8")


def start(chromium, profile):
    """Chromium, and the DevTools port it listens on (read from its standard error)."""
    browser = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines = queue.Queue()

    # Read to the end, so that Chromium never blocks on a full pipe.
    def drain():
        for line in browser.stderr:
            lines.put(line.decode("utf-8", "replace"))
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    seen = []
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None:
            raise RuntimeError("chromium did not start: " + "".join(seen))
        seen.append(line)
        m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
        if m:
            return browser, m.group(1)


def stop(browser):
    browser.terminate()
    try:
        browser.wait(timeout=5)
    except subprocess.TimeoutExpired:
        browser.kill()
        browser.wait(timeout=5)


def check(tools, url, scheme, axe):
    """One JSON line's object for `url` in `scheme`."""
    tools.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )
    tools.events.clear()
    tools.send("Page.navigate", {"url": url})
    tools.wait_for("Page.loadEventFired", LOAD_TIMEOUT)
    # The emulation must hold, or "dark" would silently check the light pages again.
    dark, answer = tools.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    if dark is not (scheme == "dark"):
        return {"url": url, "scheme": scheme, "error": {"prefers-color-scheme": answer}}
    tools.send("Runtime.evaluate", {"expression": axe}, AXE_TIMEOUT)
    value, answer = tools.evaluate(RUN_AXE, AXE_TIMEOUT)
    if value is None:
        return {"url": url, "scheme": scheme, "error": answer}
    return {"url": url, "scheme": scheme, "violations": json.loads(value)}


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: axe.py CHROMIUM URL...")
    chromium, urls = argv[1], argv[2:]
    axe = axe_source()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="lede-axe-", ignore_cleanup_errors=True) as profile:
        try:
            browser, port = start(chromium, profile)
        except RuntimeError as e:
            print(e, file=sys.stderr)
            return 2
        tools = None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                targets = json.load(r)
            page = next(t for t in targets if t.get("type") == "page")
            tools = DevTools(page["webSocketDebuggerUrl"])
            tools.send("Page.enable")
            tools.send("Page.setBypassCSP", {"enabled": True})
            for url in urls:
                for scheme in ("light", "dark"):
                    try:
                        line = check(tools, url, scheme, axe)
                    except Timeout:
                        line = {"url": url, "scheme": scheme, "error": "timed out"}
                    failed += len(line.get("violations", [])) if "error" not in line else 1
                    print(json.dumps(line, ensure_ascii=False, separators=(",", ":")), flush=True)
        except (OSError, StopIteration, websocket.WebSocketException, Timeout) as e:
            print(f"could not drive chromium: {e!r}", file=sys.stderr)
            return 2
        finally:
            if tools is not None:
                tools.close()
            stop(browser)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
