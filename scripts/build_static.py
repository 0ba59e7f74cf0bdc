"""Copy the browser assets into ``src/beaconport/web/static/``, ready to serve.

Run ``.venv/bin/python scripts/build_static.py`` (``make setup`` runs it when an input changes)
after ``npm ci`` has installed the pinned packages of ``package-lock.json`` into ``node_modules/``.
Standard library only. The output folder is git-ignored and belongs to this script: each run
copies what changed, deletes whatever it did not put there, and leaves the rest alone, so running
it twice does nothing the second time.

Nothing is compiled: GOV.UK Frontend, MoJ Frontend and htmx ship minified builds, and our own
files in ``src/beaconport/web/assets/`` are hand-written. axe-core, for the browser
accessibility tests, is not copied: the app never serves it, and ``tests/e2e/browser.py`` reads
``node_modules/axe-core/axe.min.js`` directly.

Layout. The app mounts ``static/`` at ``/static`` and ``static/assets/`` at ``/assets``; the second
mount is needed because both design systems' compiled CSS hard-code root-relative URLs such as
``url(/assets/fonts/bold-b542beb274-v2.woff2)`` and ``url(/assets/images/govuk-crest.svg)``, and
GOV.UK's page template links ``/assets/images/favicon.ico`` and ``/assets/manifest.json`` (its
``assetPath`` defaults to ``/assets``).

======================================  =========================================================
URL                                     file under src/beaconport/web/static/, and its source
======================================  =========================================================
/static/govuk/govuk-frontend.min.css    govuk/  <- govuk-frontend/dist/govuk/ (.css, .css.map)
/static/govuk/govuk-frontend.min.js     govuk/  <- the same (.js, .js.map); an ES module
/static/moj/moj-frontend.min.css        moj/    <- @ministryofjustice/frontend/moj/ (.css, .map)
/static/moj/moj-frontend.min.js         moj/    <- the same (.js, .js.map); a self-contained ES
                                                   module that bundles what it needs of GOV.UK
/static/htmx.min.js                     htmx.min.js <- htmx.org/dist/htmx.min.js; a classic script
/static/cytoscape.min.js                cytoscape.min.js <- cytoscape/dist/cytoscape.min.js; a
                                                   classic script, only on the network page
/static/network.js                      network.js <- src/beaconport/web/assets/network.js
/static/autosave.js                     autosave.js <- src/beaconport/web/assets/autosave.js
/static/app.css                         app.css <- src/beaconport/web/assets/app.css
/static/init.js                         init.js <- src/beaconport/web/assets/init.js
/static/app.js                          app.js  <- src/beaconport/web/assets/app.js (imports
                                                   ./govuk/... and ./moj/... relatively)
/assets/fonts/*.woff2, *.woff           assets/fonts/   <- govuk-frontend/dist/govuk/assets/fonts/
/assets/images/*                        assets/images/  <- govuk-frontend/dist/govuk/assets/images/
                                                           and @ministryofjustice/frontend/moj/
                                                           assets/images/ (no name in common)
/assets/manifest.json                   assets/manifest.json <- govuk-frontend/.../assets/
======================================  =========================================================

The tags a base template needs (docs/architecture.md, "Front-end assets", says why)::

    <head>
      <meta name="htmx-config"
            content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'>
      <link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">
      <link rel="stylesheet" href="/static/moj/moj-frontend.min.css">
      <link rel="stylesheet" href="/static/app.css">
      <script src="/static/htmx.min.js" defer></script>
      <script type="module" src="/static/app.js"></script>
    </head>
    <body class="govuk-template__body">
      <script src="/static/init.js"></script>
      ...
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
OWN_ASSETS = ROOT / "src" / "beaconport" / "web" / "assets"
STATIC = ROOT / "src" / "beaconport" / "web" / "static"
#: Written last by each successful build; ``make`` compares its age with the inputs'.
STAMP_NAME = ".built"

GOVUK = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
MOJ = NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"
HTMX = NODE_MODULES / "htmx.org" / "dist"

#: The packages whose files are copied; their installed versions must be the locked ones.
PACKAGES = ("govuk-frontend", "@ministryofjustice/frontend", "htmx.org", "cytoscape")


class BuildError(Exception):
    """Something the developer has to fix; the message says what."""


def check_node_modules() -> None:
    """Fail unless node_modules holds exactly the versions package-lock.json pins."""
    if not NODE_MODULES.is_dir():
        raise BuildError("node_modules/ is missing: run npm ci (or make setup)")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for name in PACKAGES:
        locked = lock["packages"][f"node_modules/{name}"]["version"]
        manifest = NODE_MODULES / name / "package.json"
        if not manifest.is_file():
            raise BuildError(f"{name} is not installed in node_modules/: run npm ci")
        installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        if installed != locked:
            raise BuildError(
                f"node_modules/ has {name} {installed} but package-lock.json pins {locked}: "
                "run npm ci"
            )


def plan() -> dict[Path, Path]:
    """Every file of the output, relative to STATIC, mapped to the file it is copied from."""
    files: dict[Path, Path] = {}

    def add(destination: Path, source: Path) -> None:
        if not source.is_file():
            raise BuildError(f"{source.relative_to(ROOT)} is missing: run npm ci")
        earlier = files.get(destination)
        if earlier is not None and not filecmp.cmp(earlier, source, shallow=False):
            raise BuildError(
                f"{earlier.relative_to(ROOT)} and {source.relative_to(ROOT)} would both be "
                f"static/{destination.as_posix()}"
            )
        files[destination] = source

    def add_tree(destination: Path, source: Path) -> None:
        if not source.is_dir():
            raise BuildError(f"{source.relative_to(ROOT)}/ is missing: run npm ci")
        for path in sorted(source.rglob("*")):
            if path.is_file():
                add(destination / path.relative_to(source), path)

    for name in ("govuk-frontend.min.css", "govuk-frontend.min.js"):
        add(Path("govuk", name), GOVUK / name)
        add(Path("govuk", name + ".map"), GOVUK / (name + ".map"))
    for name in ("moj-frontend.min.css", "moj-frontend.min.js"):
        add(Path("moj", name), MOJ / name)
        add(Path("moj", name + ".map"), MOJ / (name + ".map"))
    add(Path("htmx.min.js"), HTMX / "htmx.min.js")
    add(Path("cytoscape.min.js"), NODE_MODULES / "cytoscape" / "dist" / "cytoscape.min.js")
    # Fonts, images and (since the 2025 rebrand) manifest.json with the icons it names.
    add_tree(Path("assets"), GOVUK / "assets")
    add_tree(Path("assets"), MOJ / "assets")
    for name in ("app.css", "init.js", "app.js", "network.js", "autosave.js"):
        add(Path(name), OWN_ASSETS / name)
    return files


def copy_if_changed(source: Path, destination: Path) -> bool:
    """Copy source over destination unless their bytes already match; True if it copied."""
    if destination.is_file() and filecmp.cmp(source, destination, shallow=False):
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Copy beside the destination, then rename over it, so a running server never serves half.
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".tmp-")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        Path(temporary).replace(destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def remove_others(keep: set[Path]) -> int:
    """Delete files and folders under STATIC that the build did not make; how many files."""
    removed = 0
    for path in sorted(STATIC.rglob("*"), reverse=True):  # children before their folders
        relative = path.relative_to(STATIC)
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative not in keep and relative != Path(STAMP_NAME):
            path.unlink()
            removed += 1
    return removed


def build() -> tuple[int, int, int]:
    """Bring STATIC up to date; (files in it, files copied, files removed)."""
    check_node_modules()
    files = plan()
    STATIC.mkdir(parents=True, exist_ok=True)
    copied = sum(copy_if_changed(source, STATIC / relative) for relative, source in files.items())
    removed = remove_others(set(files))
    (STATIC / STAMP_NAME).touch()
    return len(files), copied, removed


def main() -> int:
    try:
        total, copied, removed = build()
    except BuildError as error:
        print(f"build_static: {error}", file=sys.stderr)
        return 1
    print(
        f"build_static: {STATIC.relative_to(ROOT)}/ has {total} files "
        f"({copied} copied, {removed} removed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
