#!/usr/bin/env bash
# promtool checks and unit-tests the alert rules; Debian's prometheus package brings it.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "[observability] promtool is missing: install Debian's prometheus package (sudo apt-get install prometheus)" >&2
  exit 1
fi
echo "[observability] installing promtool (Debian package prometheus)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
