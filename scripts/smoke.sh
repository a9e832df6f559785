#!/usr/bin/env bash
# Starts the fat jar exactly as the README does and checks it from the outside with a plain
# script: /healthz, the landing page, then ticket + WebSocket + create + join + send.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=partyline-app/target/partyline.jar
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp)
java -jar "$jar" --port "$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" | grep -q ok || { cat "$log"; echo "smoke: /healthz failed"; exit 1; }
curl -fsS "http://127.0.0.1:$port/" | grep -qi "<html" || { echo "smoke: landing page missing"; exit 1; }
node --experimental-websocket --no-warnings scripts/smoke-roundtrip.mjs "http://127.0.0.1:$port"

kill -TERM $pid
wait $pid || true
grep -q "stopped" "$log" || { cat "$log"; echo "smoke: no graceful shutdown on SIGTERM"; exit 1; }
echo "smoke: the jar serves, answers and shuts down cleanly"
