#!/usr/bin/env bash
# Prometheus (with promtool, which checks and unit-tests the alert rules) and Alertmanager, from
# Debian's prometheus and prometheus-alertmanager packages: `npm start` runs both, `npm test`
# needs both. Installs them when run as root; otherwise says what to install and exits 1.
set -euo pipefail
missing=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "[observability] missing: ${missing[*]} (as root: apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "[observability] installing ${missing[*]} (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
