"""Helpers for the browser tests: start Chromium, and check a page with axe-core.

Chromium is Debian's ``chromium`` package at ``/usr/bin/chromium`` (``make setup`` installs it with
``scripts/ensure_chromium.sh``), not a browser downloaded by ``playwright install``; set
``BEACONPORT_CHROMIUM`` to use another executable. Playwright drives it through its Python API.

How axe gets into a page. Our Content-Security-Policy allows only scripts loaded from our own
origin, so ``page.add_script_tag(content=...)``, which adds an inline ``<script>``, is refused by
the browser (and reported as a violation). ``browser.new_context(bypass_csp=True)`` would let it
in, but it switches the policy off for the whole page, so a test could no longer notice anything
else the policy blocks. Instead ``run_axe`` hands the source of
``node_modules/axe-core/axe.min.js`` to ``page.evaluate``: Playwright evaluates it through the
DevTools protocol, which the page's policy does not govern, in the page's main world, where it
defines ``window.axe``. The policy stays in force and nothing is added to the document. It is done
on demand, after the page has loaded, and again after each navigation, since a new document
starts without axe. Only the top document is checked: our pages have no frames.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: What run_axe checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA (the public sector's standard).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const results = await window.axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations;
}"""


def launch_chromium(playwright: Playwright) -> Browser:
    """Start headless Chromium: /usr/bin/chromium, or the executable BEACONPORT_CHROMIUM names."""
    executable = os.environ.get("BEACONPORT_CHROMIUM") or DEFAULT_CHROMIUM
    if not Path(executable).is_file():
        raise FileNotFoundError(
            f"Chromium is not at {executable}: run make setup (scripts/ensure_chromium.sh), "
            "or set BEACONPORT_CHROMIUM to a Chromium executable"
        )
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@functools.cache
def _axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run npm ci")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def run_axe(page: Page) -> list[dict[str, Any]]:
    """The WCAG A and AA violations axe-core finds on the page as it is now.

    Each is axe's violation object: ``id``, ``impact``, ``help``, ``helpUrl`` and ``nodes``
    (each with ``target`` and ``failureSummary``). An empty list means axe found none.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
        if not page.evaluate("typeof window.axe === 'object'"):
            raise RuntimeError("axe-core did not load into the page")
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """A readable account of run_axe's result, for an assertion's message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"  {node['target']}: {node['failureSummary']}" for node in violation["nodes"])
    return "\n".join(lines)
