#!/usr/bin/env bash
# Install the Debian packages the project needs, where apt is available and they are missing.
#   scripts/system-deps.sh run   WeasyPrint's libraries and a CJK font (certificates)
#   scripts/system-deps.sh test  the above plus Chromium (browser tests), poppler-utils (PDF checks),
#                                postgresql-client (the backup/restore round trip), haproxy (the
#                                load balancer in front of two web replicas, tests/deploy) and
#                                docker-compose (CI validates docker-compose.yml with it; no daemon)
# With CI=true a package that cannot be installed fails the run; elsewhere it prints a notice.
set -u
mode=${1:-run}
pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
if [ "$mode" = test ]; then
  pkgs+=(chromium poppler-utils postgresql-client haproxy docker-compose)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "NOTICE: apt-get is not available; please install: ${missing[*]}" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "NOTICE: not root and no sudo; please install: ${missing[*]}" >&2
    [ "${CI:-}" = true ] && exit 1
    exit 0
  fi
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/mqa-apt.log 2>&1; then
  $sudo apt-get update -qq >/dev/null 2>&1
  if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/mqa-apt.log 2>&1; then
    echo "Could not install ${missing[*]} (see /tmp/mqa-apt.log)." >&2
    [ "${CI:-}" = true ] && exit 1
  fi
fi
exit 0
