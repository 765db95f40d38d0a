"""Render Mermaid text with the real mermaid.js in headless Chromium, for tests.

Why: Mermaid text that looks right can still be rejected by mermaid's parser (an unescaped quote, a reserved
word used as an id, ...). The only trustworthy check is the real library in a real browser, so the
hamilton-viz-mermaid tests render their output here and assert on the SVG and on the error.

How: one Chromium per test session (``MermaidBrowser`` is a context manager), driven over the DevTools protocol
on ``--remote-debugging-pipe`` (NUL-separated JSON on file descriptors 3 and 4). That needs only the Python
standard library: no websocket client, no chromedriver, no PyPI package, and no network port at all. The page is
a local file that loads ``mermaid.min.js`` from ``node_modules`` (installed from the pinned ``package.json`` and
``package-lock.json`` next to this file by ``ensure_mermaid_installed``); each ``render`` is one
``Runtime.evaluate`` that runs ``mermaid.parse`` then ``mermaid.render``. The text travels as a JSON string
literal, so quotes, ``<script>``, backslashes and any unicode arrive unchanged. JavaScript dialogs (``alert``)
are recorded and dismissed, so a diagram that manages to run script shows up in ``RenderResult.dialogs``
instead of hanging the page.

Requirements: ``chromium`` (the Debian package; set HAMILTON_CHROMIUM to use another binary), ``node`` and
``npm`` (to install the pinned mermaid; nothing else runs on Node). ``browser_available()`` names what is
missing so that a developer's machine can skip these tests. CI installs them and sets HAMILTON_REQUIRE_BROWSER=1,
which turns that skip into a failure: in CI these tests must never skip.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BROWSER_DIR = Path(__file__).resolve().parent
REQUIRE_ENV = "HAMILTON_REQUIRE_BROWSER"
CHROMIUM_ENV = "HAMILTON_CHROMIUM"

# The machines have no network: without these Chromium stalls on first-run, sync and update traffic.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",  # containers have a small /dev/shm, which crashes renderers
    "--remote-debugging-pipe",
)

# `hamiltonRender` parses first, so a syntax error comes back as mermaid's own message rather than as an
# "error diagram"; it then mounts the SVG as a page would, so anything executable in it gets its chance to run.
_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>mermaid test harness</title>
<script src="__SCRIPT__"></script>
</head><body><div id="out"></div>
<script>
"use strict";
let seq = 0;
if (window.mermaid) mermaid.initialize(Object.assign({startOnLoad: false}, __CONFIG__));
window.hamiltonRender = async (text) => {
  const id = "hamilton-mermaid-" + ++seq;
  const out = document.getElementById("out");
  out.replaceChildren();
  try {
    await mermaid.parse(text);
    const {svg} = await mermaid.render(id, text);
    out.innerHTML = svg;
    await new Promise((resolve) => setTimeout(resolve, 0));
    return {svg: svg, error: null};
  } catch (e) {
    document.getElementById("d" + id)?.remove();
    return {svg: null, error: String((e && e.message) || e)};
  }
};
</script></body></html>
"""


class BrowserError(RuntimeError):
    """Chromium failed, died or answered with a DevTools protocol error."""


@dataclass(frozen=True)
class RenderResult:
    """What mermaid made of one text: the SVG, or mermaid's error message (never both)."""

    svg: str | None
    error: str | None
    dialogs: tuple[str, ...] = ()  # messages of alert()/confirm()/prompt() opened while rendering

    @property
    def ok(self) -> bool:
        return self.error is None


def find_chromium() -> str | None:
    """The Chromium binary: $HAMILTON_CHROMIUM, else `chromium` on PATH."""
    return shutil.which(os.environ.get(CHROMIUM_ENV) or "chromium")


def browser_available() -> str | None:
    """None when these tests can run here, else why not (for pytest.skip, or a failure in CI)."""
    if os.name != "posix":
        return "the Mermaid browser tests need a POSIX system"
    tools = {"chromium": find_chromium(), "node": shutil.which("node"), "npm": shutil.which("npm")}
    missing = [name for name, path in tools.items() if not path]
    if missing:
        return f"the Mermaid browser tests need {', '.join(missing)} (Debian: apt-get install chromium; and Node.js with npm)"
    return None


def ensure_mermaid_installed(browser_dir: Path = BROWSER_DIR) -> Path:
    """Install the pinned mermaid into browser_dir/node_modules unless it is there; return mermaid.min.js.

    Runs `npm ci` (exactly the lock file) or, without a lock file, `npm install`. An installed mermaid whose
    version differs from the pin (a stale node_modules after a bump) is reinstalled.
    """
    browser_dir = Path(browser_dir)
    lock = browser_dir / "package-lock.json"
    if lock.exists():
        wanted = json.loads(lock.read_text())["packages"]["node_modules/mermaid"]["version"]
    else:
        wanted = json.loads((browser_dir / "package.json").read_text())["dependencies"]["mermaid"]
    package = browser_dir / "node_modules" / "mermaid"
    installed = json.loads((package / "package.json").read_text())["version"] if package.exists() else None
    if installed != wanted:
        command = ["npm", "ci" if lock.exists() else "install", "--no-audit", "--no-fund", "--ignore-scripts"]
        done = subprocess.run(command, cwd=browser_dir, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise BrowserError(f"{' '.join(command)} failed in {browser_dir}:\n{done.stdout}\n{done.stderr}")
    script = package / "dist" / "mermaid.min.js"
    if not script.is_file():
        raise BrowserError(f"{script} is missing after installing mermaid {wanted}")
    return script


class MermaidBrowser:
    """One headless Chromium with mermaid loaded; `render` many texts in it. Start it once per test session."""

    def __init__(
        self,
        script: Path | None = None,
        *,
        chromium: str | None = None,
        mermaid_config: dict[str, Any] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.script = Path(script) if script else BROWSER_DIR / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
        self.chromium = chromium or find_chromium() or "chromium"
        self.mermaid_config = mermaid_config or {}
        self.timeout = timeout
        self._dialogs: list[str] = []
        self._pending: dict[int, queue.Queue[dict[str, Any] | None]] = {}
        self._lock = threading.Lock()
        self._next_id = 0
        self._pid: int | None = None
        self._tmp: Path | None = None
        self._session: str | None = None
        self._reader: threading.Thread | None = None
        self._read_fd = self._write_fd = -1

    @property
    def dialogs(self) -> list[str]:
        """Every JavaScript dialog message seen since start (each was dismissed)."""
        return list(self._dialogs)

    def __enter__(self) -> MermaidBrowser:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Launch Chromium, open the harness page and wait until mermaid is loaded."""
        if not self.script.is_file():
            raise BrowserError(f"{self.script} not found: call ensure_mermaid_installed() first")
        self._tmp = Path(tempfile.mkdtemp(prefix="hamilton-mermaid-"))
        config = json.dumps(self.mermaid_config).replace("<", "\\u003c")  # cannot close the <script> early
        page = _PAGE.replace("__SCRIPT__", html.escape(self.script.resolve().as_uri())).replace("__CONFIG__", config)
        (self._tmp / "index.html").write_text(page, encoding="utf-8")
        try:
            self._spawn()
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable")  # delivers javascriptDialogOpening events
            self._call("Page.navigate", {"url": (self._tmp / "index.html").as_uri()})
            self._wait_for_mermaid()
        except BaseException:
            self.close()
            raise

    def render(self, text: str) -> RenderResult:
        """Parse and render `text` with mermaid; a parse or render failure is returned in `.error`."""
        seen = len(self._dialogs)
        value = self.evaluate(f"window.hamiltonRender({json.dumps(text)})")
        return RenderResult(svg=value["svg"], error=value["error"], dialogs=tuple(self._dialogs[seen:]))

    def evaluate(self, expression: str, timeout: float | None = None) -> Any:
        """Run a JavaScript expression in the page (promises are awaited) and return its JSON value."""
        reply = self._call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout=timeout,
        )
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise BrowserError(details.get("exception", {}).get("description") or details.get("text"))
        return reply["result"].get("value")

    def close(self) -> None:
        """Stop Chromium (politely, then by force) and remove its temporary profile."""
        if self._pid is not None:
            if self._reader is not None and self._reader.is_alive():
                with contextlib.suppress(BrowserError):
                    self._send("Browser.close", {}, None)
                self._reader.join(5.0)  # Chromium closes its end of the pipe as it exits
            # Then kill what is left of its process group: the leader is not reaped yet, so the id is still ours.
            self._kill_group(signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
        if self._reader is not None:
            self._reader.join(5.0)
            self._reader = None
        for fd in (self._read_fd, self._write_fd):
            if fd >= 0:
                os.close(fd)
        self._read_fd = self._write_fd = -1
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # -- Chromium process and the DevTools pipe ------------------------------------------------------------

    def _spawn(self) -> None:
        assert self._tmp is not None
        commands_read, commands_write = os.pipe()  # we write commands, Chromium reads them on fd 3
        replies_read, replies_write = os.pipe()  # Chromium writes replies on fd 4
        self._read_fd, self._write_fd = replies_read, commands_write  # ours, closed by close()
        # Move the child's ends above fd 4 so that dup2-ing them onto 3 and 4 cannot clobber one another.
        child_in = fcntl.fcntl(commands_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(replies_write, fcntl.F_DUPFD_CLOEXEC, 10)
        for fd in (commands_read, replies_write):
            os.close(fd)
        log = str(self._tmp / "chromium.log")
        argv = [self.chromium, *CHROMIUM_FLAGS, f"--user-data-dir={self._tmp / 'profile'}", "about:blank"]
        try:
            # posix_spawn, unlike Popen's preexec_fn, is safe with threads; setpgroup lets close() reap helpers.
            self._pid = os.posix_spawn(
                argv[0] if os.sep in argv[0] else shutil.which(argv[0]) or argv[0],
                argv,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                    (os.POSIX_SPAWN_DUP2, 1, 2),
                    (os.POSIX_SPAWN_DUP2, child_in, 3),
                    (os.POSIX_SPAWN_DUP2, child_out, 4),
                ],
                setpgroup=0,
            )
        except OSError as error:
            raise BrowserError(f"cannot start {argv[0]}: {error}") from error
        finally:
            os.close(child_in)
            os.close(child_out)
        self._reader = threading.Thread(target=self._read_loop, name="chromium-devtools", daemon=True)
        self._reader.start()

    def _read_loop(self) -> None:
        buffer = b""
        try:
            while chunk := os.read(self._read_fd, 1 << 16):
                *messages, buffer = (buffer + chunk).split(b"\0")
                for raw in messages:
                    self._dispatch(json.loads(raw))
        except OSError:
            pass
        finally:  # Chromium is gone: wake every waiter
            with self._lock:
                waiters, self._pending = list(self._pending.values()), {}
            for waiter in waiters:
                waiter.put(None)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            with self._lock:
                waiter = self._pending.pop(message["id"], None)
            if waiter is not None:
                waiter.put(message)
        elif message.get("method") == "Page.javascriptDialogOpening":
            self._dialogs.append(message["params"].get("message", ""))
            with contextlib.suppress(BrowserError):  # Chromium went away meanwhile: nothing to dismiss
                self._send("Page.handleJavaScriptDialog", {"accept": False}, message.get("sessionId"))

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> queue.Queue[dict[str, Any] | None]:
        waiter: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=1)
        with self._lock:
            self._next_id += 1
            message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
            if session is not None:
                message["sessionId"] = session
            self._pending[self._next_id] = waiter
            data = json.dumps(message).encode() + b"\0"
            try:
                while data:
                    data = data[os.write(self._write_fd, data) :]
            except OSError as error:
                raise BrowserError(f"Chromium is gone ({error}){self._log_tail()}") from error
        return waiter

    def _call(self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        waiter = self._send(method, params or {}, self._session)
        try:
            reply = waiter.get(timeout=self.timeout if timeout is None else timeout)
        except queue.Empty:
            raise TimeoutError(f"Chromium did not answer {method} in time{self._log_tail()}") from None
        if reply is None:
            raise BrowserError(f"Chromium exited during {method}{self._log_tail()}")
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply["result"]

    def _wait_for_mermaid(self) -> None:
        deadline = time.monotonic() + self.timeout
        probe = "document.readyState === 'complete' && location.protocol === 'file:' ? typeof window.mermaid : ''"
        while time.monotonic() < deadline:
            try:
                state = self.evaluate(probe, timeout=max(deadline - time.monotonic(), 0.1))
            except BrowserError:  # the navigation replaced the context under us: ask again
                state = ""
            if state == "object":
                return
            if state:
                raise BrowserError(f"{self.script} did not define window.mermaid{self._log_tail()}")
            time.sleep(0.02)
        raise TimeoutError(f"the mermaid page did not load in {self.timeout}s{self._log_tail()}")

    def _kill_group(self, sig: signal.Signals) -> None:
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._pid, sig)

    def _log_tail(self) -> str:
        if self._tmp is None:
            return ""
        try:
            text = (self._tmp / "chromium.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\nchromium log (tail):\n" + text[-2000:]
