#!/usr/bin/env bash
# Runs every test of Partyline: the Maven suite (unit, integration over real sockets, headless
# Chromium, fuzz regression), then a smoke test of the runnable jar from a plain script, then
# every bench scenario at a tiny scale.
# Installs what the tests need (Debian's chromium and chromium-driver) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing ${missing[*]} for the browser tests"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi

mvn -B verify "$@"
scripts/smoke.sh
# Every partyline-bench scenario at a tiny scale through the jars and scripts/perf.sh (about 30 s),
# so that neither the load generator nor the script that measures docs/performance.md can rot.
scripts/perf.sh --smoke
