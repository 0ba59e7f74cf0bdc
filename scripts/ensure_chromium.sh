#!/usr/bin/env bash
# Make sure the browser that the browser tests drive is installed: Debian's `chromium` package,
# at /usr/bin/chromium (tests/e2e/browser.py launches it; BEACONPORT_CHROMIUM overrides the path
# there). Quiet and does nothing when it is already installed. As root it installs the package
# with apt-get, running `apt-get update` only if the first attempt fails; as anyone else it says
# what to install and exits 1.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<MESSAGE
The browser tests need Chromium at $CHROMIUM, and it is not installed.
Install Debian's chromium package as root, for example:
  sudo apt-get install --no-install-recommends chromium
or run scripts/ensure_chromium.sh as root.
MESSAGE
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
install_chromium() {
  apt-get install --yes --quiet --no-install-recommends chromium >/dev/null
}

echo "Installing Chromium (Debian package chromium) for the browser tests"
if ! install_chromium; then
  apt-get update --quiet >/dev/null
  install_chromium
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "The chromium package is installed but $CHROMIUM is missing." >&2
  exit 1
fi
