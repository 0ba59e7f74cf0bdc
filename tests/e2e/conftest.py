"""The browser tests' world: a real server on a real database, headless Chromium, and signing in.

``server`` (once per test session, so once per xdist worker: the e2e tests share one xdist group)
builds a SQLite database in a temporary folder the way an operator would, through the command
line (``db upgrade``, ``demo-data generate``, ``referrals import``, ``demo-data accounts``), then
runs ``beaconport serve`` on a free port with Secure cookies, as in production: Chromium treats
``http://127.0.0.1`` as a secure context, so it keeps Secure cookies there.

``page`` is a fresh browser context (no cookies) per test, watched for console errors, uncaught
exceptions and Content-Security-Policy violations; ``PageWatch.assert_clean`` reports them.

``sign_in(page, base_url, username)`` goes through the real pages: username and password, then
the code an authenticator app would show. A code is accepted once per 30-second step per account,
so the codes handed out are tracked per account (per database), and a second sign-in of an
account within a step uses the next step's code (accepted: one step of drift is allowed), or
waits for it.

``desks(username)`` gives a journey's people each a window of their own, signed in on first use;
``accessible(page, name, found)`` keeps axe's findings on a page for the journey's end.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from tests.e2e.browser import describe_violations, launch_chromium, run_axe

from beaconport.auth.totp import STEP_SECONDS, current_code, step_at
from beaconport.demo.accounts import DEMO_PASSWORD, GREATER_MANCHESTER, WEST_YORKSHIRE, demo_secret

#: How the generated referrals are shared out: the first five become West Yorkshire's, the next
#: five Greater Manchester's (the demo force submitters' forces); the rest keep their own forces.
FORCE_OF_POSITION = {**dict.fromkeys(range(5), WEST_YORKSHIRE),
                     **dict.fromkeys(range(5, 10), GREATER_MANCHESTER)}
#: Greater Manchester's eligible referrals: two journeys each allocate one from its queue, so a
#: session running both needs two, whatever the generator makes of the five moved there.
GREATER_MANCHESTER_ELIGIBLE = 2
GENERATED_REFERRALS = 16
GENERATED_INVALID = 2
STARTUP_SECONDS = 30


@dataclass
class CodeBook:
    """The last 30-second step whose code was handed out, by account, so none is used twice."""

    used: dict[str, int] = field(default_factory=dict)

    def next_code(self, username: str, secret: str) -> str:
        """A code the server will accept for the account now."""
        while True:
            now = step_at(datetime.now(UTC))
            step = max(now, self.used.get(username, now - 1) + 1)
            if step <= now + 1:  # the server accepts one step of drift
                break
            time.sleep(max(0.05, (step - 1) * STEP_SECONDS - time.time()))
        self.used[username] = step
        return current_code(secret, datetime.fromtimestamp(step * STEP_SECONDS, UTC))


@dataclass
class Server:
    """The running app and what the tests need to know about its database."""

    base_url: str
    database_url: str
    database_path: Path
    workdir: Path
    #: Referral ids by force code, as imported.
    referrals_by_force: dict[str, list[str]]
    #: The sign-in codes used so far on this database.
    codes: CodeBook = field(default_factory=CodeBook)

    def url(self, path: str) -> str:
        return self.base_url + path

    def cli(self, *args: str, ok: tuple[int, ...] = (0,),
            env: dict[str, str] | None = None) -> str:
        """Run ``beaconport ARGS`` against the test database, with ``env``'s settings besides
        (``BEACONPORT_SMTP_PORT``...); its output."""
        return _cli(self.database_url, self.workdir, *args, ok=ok, env=env)


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEACONPORT_")}
    env.update(BEACONPORT_DATABASE_URL=database_url, BEACONPORT_COOKIE_SECURE="true",
               PYTHONUNBUFFERED="1")
    return env


def _cli(database_url: str, workdir: Path, *args: str, ok: tuple[int, ...] = (0,),
         env: dict[str, str] | None = None) -> str:
    # The working directory is the temporary folder, so that no .env file of the checkout is read.
    done = subprocess.run([sys.executable, "-m", "beaconport.cli", *args], cwd=workdir,
                          env=_env(database_url) | (env or {}), capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode not in ok:
        raise RuntimeError(f"beaconport {' '.join(args)} exited {done.returncode}:\n"
                           f"{done.stdout}\n{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _share_between_forces(generated: Path, target: Path) -> None:
    """The generated file with referrals moved to the two demo submitters' forces, and later
    eligible ones (by the generator's truth) to Greater Manchester until it has enough."""
    referrals = [json.loads(line) for line in generated.read_text(encoding="utf-8").splitlines()]
    truth = json.loads(generated.with_suffix(".truth.json").read_text(encoding="utf-8"))
    eligible = {s["force_reference"] for s in truth["screening"] if s["decision"] == "eligible"}
    forces = dict(FORCE_OF_POSITION)
    wanting = GREATER_MANCHESTER_ELIGIBLE - sum(
        referrals[p]["force_reference"] in eligible
        for p, force in forces.items() if force == GREATER_MANCHESTER)
    for position in range(len(forces), len(referrals)):
        if wanting > 0 and referrals[position].get("force_reference") in eligible:
            forces[position] = GREATER_MANCHESTER
            wanting -= 1
    assert wanting <= 0, "the generated set has too few eligible referrals for the journeys"
    with target.open("w", encoding="utf-8") as out:
        for position, referral in enumerate(referrals):
            if position in forces:
                referral["force"] = forces[position]
            out.write(json.dumps(referral) + "\n")


def _referrals_by_force(path: Path) -> dict[str, list[str]]:
    by_force: dict[str, list[str]] = {}
    with sqlite3.connect(path) as conn:
        for referral_id, force in conn.execute(
                "SELECT id, force_code FROM referral ORDER BY force_reference"):
            by_force.setdefault(force, []).append(str(referral_id))
    conn.close()
    return by_force


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"beaconport serve exited {process.returncode}:\n"
                               + log.read_text(encoding="utf-8", errors="replace"))
        try:
            with urllib.request.urlopen(base_url + "/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"beaconport serve did not answer /health in {STARTUP_SECONDS} s:\n"
                       + log.read_text(encoding="utf-8", errors="replace"))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("e2e")
    db_path = workdir / "beaconport.db"
    db_url = f"sqlite:///{db_path.as_posix()}"
    generated = workdir / "generated.jsonl"
    shared = workdir / "referrals.jsonl"
    _cli(db_url, workdir, "db", "upgrade")
    _cli(db_url, workdir, "demo-data", "generate", "--referrals", str(GENERATED_REFERRALS),
         "--seed", "7", "--invalid", str(GENERATED_INVALID), "--output", str(generated))
    _share_between_forces(generated, shared)
    _cli(db_url, workdir, "referrals", "import", str(shared), ok=(0, 3))  # 3: some rejected
    _cli(db_url, workdir, "demo-data", "accounts")
    _cli(db_url, workdir, "people", "link")

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "beaconport.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "1"],
            cwd=workdir, env=_env(db_url), stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(process, base_url, log)
        yield Server(base_url, db_url, db_path, workdir, _referrals_by_force(db_path))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # A failure the pages hid (each shows a plain error page) still leaves a trace in the log.
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, f"the server logged an unexpected error:\n{text[-5000:]}"


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.base_url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


# ---------------------------------------------------------------------------------------------
# Watching a page for console errors, uncaught exceptions and CSP violations

_REPORT_CSP = """document.addEventListener("securitypolicyviolation", (event) => {
  window.__beaconportCspViolation({
    directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    page: document.location.href});
});"""


@dataclass
class PageWatch:
    """What went wrong in the browser: console errors, uncaught exceptions, CSP violations.

    A page answered with an error status makes Chromium log "Failed to load resource" for it;
    a test that expects such an answer says so with ``expect_error_status``.
    """

    problems: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)
    _expected: set[str] = field(default_factory=set)

    def expect_error_status(self, url: str) -> None:
        self._expected.add(url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and url in self._expected:
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def on_page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught exception: {error}")

    def on_csp_violation(self, _source: Any, violation: dict[str, Any]) -> None:
        self.csp_violations.append(violation)

    def take(self) -> list[str]:
        """Every problem so far (and forget them)."""
        found = [*self.problems,
                 *(f"CSP violation: {json.dumps(v, sort_keys=True)}" for v in self.csp_violations)]
        self.problems.clear()
        self.csp_violations.clear()
        return found

    def assert_clean(self, where: str = "") -> None:
        found = self.take()
        assert not found, f"problems in the browser{' on ' + where if where else ''}:\n" + \
            "\n".join(found)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


def watched_page(browser: Browser, watch: PageWatch) -> Page:
    """A new page in a context of its own (no cookies shared), reporting to ``watch``; the
    caller closes its context."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    # The listener is installed through the DevTools protocol, which the page's CSP does not govern.
    context.expose_binding("__beaconportCspViolation", watch.on_csp_violation)
    context.add_init_script(script=_REPORT_CSP)
    new_page = context.new_page()
    new_page.on("console", watch.on_console)
    new_page.on("pageerror", watch.on_page_error)
    return new_page


@pytest.fixture
def page(browser: Browser, watch: PageWatch) -> Iterator[Page]:
    """A new page in a context of its own (no cookies shared with other tests), watched."""
    new_page = watched_page(browser, watch)
    yield new_page
    new_page.context.close()
    watch.assert_clean("the last page of the test")


@pytest.fixture
def go(page: Page, watch: PageWatch) -> Callable[..., Response]:
    """``go(url, status=200)``: load a page, check its status, and that nothing went wrong."""

    def load(url: str, status: int = 200) -> Response:
        if status >= 400:
            watch.expect_error_status(url)
        response = page.goto(url)
        assert response is not None, f"{url} gave no response"
        assert response.status == status, f"{url} answered {response.status}, not {status}"
        watch.assert_clean(url)
        return response

    return load


# ---------------------------------------------------------------------------------------------
# Signing in


@dataclass
class SignIn:
    """``sign_in(page, base_url, username)``: through the real pages, password then code.

    ``password`` and ``code`` are the two halves, for a test that looks at the second-factor
    page in between.
    """

    codes: CodeBook

    def __call__(self, page: Page, base_url: str, username: str) -> None:
        self.password(page, base_url, username)
        self.code(page, base_url, username)

    def password(self, page: Page, base_url: str, username: str) -> None:
        """From the sign-in page to the second-factor page."""
        page.goto(base_url + "/sign-in")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(base_url + "/sign-in/second-factor")

    def code(self, page: Page, base_url: str, username: str) -> None:
        """On the second-factor page: type the code, and arrive at the home page.

        When the account must set up an authenticator app, the page shows the new key, and
        the code is computed from it, as an app would.
        """
        shown = page.get_by_test_id("totp-secret")
        secret = shown.inner_text().strip() if shown.count() else demo_secret(username)
        page.fill("#code", self.codes.next_code(username, secret))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base_url + "/")


@pytest.fixture(scope="session")
def sign_in(server: Server) -> SignIn:
    return SignIn(server.codes)


# ---------------------------------------------------------------------------------------------
# Journeys: each person at a desk of their own, and axe on the pages they pass through


@dataclass
class Desks:
    """Each person's own browser window, signed in on first use and kept (a sign-in code is good
    once per 30-second step per account, so signing the same people out and in again would
    wait). Every window reports to one ``PageWatch``."""

    browser: Browser
    server: Server
    sign_in: SignIn
    watch: PageWatch
    pages: dict[str, Page] = field(default_factory=dict)

    def __call__(self, username: str) -> Page:
        if username not in self.pages:
            page = watched_page(self.browser, self.watch)
            self.sign_in(page, self.server.base_url, username)
            self.pages[username] = page
        return self.pages[username]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def desks(browser: Browser, server: Server, sign_in: SignIn,
          watch: PageWatch) -> Iterator[Desks]:
    opened = Desks(browser, server, sign_in, watch)
    yield opened
    opened.close()
    watch.assert_clean("the journey's last pages")


def accessible(page: Page, name: str, found: dict[str, str]) -> None:
    """axe's findings on the page as it stands, kept under its name for the end."""
    page.wait_for_load_state("load")
    violations = run_axe(page)
    if violations:
        found[f"{name} ({page.url})"] = describe_violations(violations)
