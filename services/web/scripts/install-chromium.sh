#!/usr/bin/env bash
# Debian's chromium, which the browser tests drive through playwright-core (no browser download).
# Installs it when run as root with a network; otherwise says in one line why not and exits 1.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "[web] chromium is not installed and this is not root: browser tests are skipped (as root: apt-get install -y chromium)" >&2
  exit 1
fi
echo "[web] installing chromium (Debian package)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null 2>&1 || ! apt-get install -y -qq chromium >/dev/null 2>&1; then
  echo "[web] chromium could not be installed (no network or no package source): browser tests are skipped" >&2
  exit 1
fi
