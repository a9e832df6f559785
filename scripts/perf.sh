#!/usr/bin/env bash
# Measures the figures of docs/performance.md: each scenario of partyline-bench against a fresh
# server started with the JVM flags of the README's run command, RUNS times, then a table of the
# medians. Needs the jars: mvn -B -DskipTests package.
#
#   scripts/perf.sh                  every scenario, 3 runs each (about 25 minutes)
#   scripts/perf.sh party fanout5    only these scenarios
#   scripts/perf.sh --smoke          every scenario at a tiny scale, 1 run (CI: the tool cannot rot)
#
# Results: target/perf/<scenario>-<run>.json and target/perf/summary.md. RUNS=5 for more runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# The README's run command uses exactly these; checked below so the two cannot drift apart.
# PERF_SERVER_JVM_FLAGS measures other flags instead (then the README is not checked).
readme_flags="-XX:+UseSerialGC -Xms64m -Xmn24m"
SERVER_JVM_FLAGS=${PERF_SERVER_JVM_FLAGS:-$readme_flags}
# Limits raised above the defaults only where a scenario needs it: one fanout room of 5,001,
# find-max's high rates, and up to 19,000 connections from the bench's 64 source addresses.
SERVER_ARGS="--max-chat-members 5001 --messages-per-second 1000 --message-burst 1000 --max-connections-per-ip 1000"

server_jar=partyline-app/target/partyline.jar
bench_jar=partyline-bench/target/partyline-bench.jar
out=target/perf
runs=${RUNS:-3}
smoke=false
scenarios=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) scenarios+=("$arg") ;;
  esac
done
all=(floor connect idle party fanout50 fanout5 findmax)
((${#scenarios[@]})) || scenarios=("${all[@]}")
if $smoke; then runs=1; out=target/perf-smoke; fi

if [ "$SERVER_JVM_FLAGS" = "$readme_flags" ]; then
  grep -qF -- "java $readme_flags -jar $server_jar" README.md \
    || { echo "perf: README's run command does not use: java $readme_flags -jar $server_jar"; exit 1; }
else
  echo "perf: server JVM flags $SERVER_JVM_FLAGS (not the README's)"
fi
for jar in "$server_jar" "$bench_jar"; do
  [ -f "$jar" ] || { echo "perf: $jar is missing; run mvn -B -DskipTests package first"; exit 1; }
done
mkdir -p "$out"
rm -f "$out"/*.json

# Arguments of each scenario: full scale, then the smoke's tiny scale.
scenario_args() {
  local name=$1
  if $smoke; then
    case "$name" in
      floor) echo "floor --sockets 100 --duration 1" ;;
      connect) echo "connect --connections 200" ;;
      idle) echo "idle --connections 400 --duration 2" ;;
      party) echo "party --rooms 20 --clients 8 --rate 0.5 --duration 2 --drain 2" ;;
      fanout50) echo "fanout --subscribers 200 --rate 50 --duration 2 --drain 2" ;;
      fanout5) echo "fanout --subscribers 200 --rate 5 --duration 2 --drain 2" ;;
      findmax) echo "party --find-max --rooms 20 --clients 8 --rate 1 --step-factor 2 --step-duration 1 --max-steps 2 --drain 1" ;;
    esac
  else
    case "$name" in
      floor) echo "floor --sockets 8000 --duration 10" ;;
      connect) echo "connect --connections 8000" ;;
      idle) echo "idle --connections 19000 --duration 30 --source-addresses 64" ;;
      party) echo "party --rooms 1000 --clients 8 --rate 0.5 --duration 30" ;;
      fanout50) echo "fanout --subscribers 5000 --rate 50 --duration 30" ;;
      fanout5) echo "fanout --subscribers 5000 --rate 5 --duration 30" ;;
      findmax) echo "party --find-max --rooms 1000 --clients 8 --rate 0.5 --step-factor 1.3 --step-duration 10 --max-steps 12" ;;
    esac
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pid=""
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap stop_server EXIT

# Starts a server, waits for /healthz, and warms its JIT with a short party so no scenario
# measures compilation.
start_server() {
  port=$(free_port)
  # shellcheck disable=SC2086
  java $SERVER_JVM_FLAGS -jar "$server_jar" --port "$port" --host 127.0.0.1 --log-level WARN $SERVER_ARGS \
    >"$out/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$out/server.log"; echo "perf: server did not start"; exit 1; }
  $smoke && return
  java -jar "$bench_jar" party --url "http://127.0.0.1:$port" --rooms 100 --clients 8 --rate 2 --duration 10 \
    --drain 1 --quiet >/dev/null || echo "perf: warm-up run was not clean (ignored)"
  sleep 2
}

status=0
for name in "${scenarios[@]}"; do
  args=$(scenario_args "$name")
  [ -n "$args" ] || { echo "perf: unknown scenario $name (known: ${all[*]})"; exit 2; }
  for run in $(seq 1 "$runs"); do
    echo "== $name run $run/$runs: $args"
    if [ "$name" = floor ]; then
      # shellcheck disable=SC2086
      java -jar "$bench_jar" $args --json "$out/$name-$run.json" || status=1
      continue
    fi
    start_server
    # shellcheck disable=SC2086
    java -jar "$bench_jar" $args --url "http://127.0.0.1:$port" --server-pid "$pid" --quiet \
      --json "$out/$name-$run.json" || { echo "perf: $name run $run exited non-zero"; status=1; }
    stop_server
  done
done

python3 scripts/perf_summary.py "$out" "$SERVER_JVM_FLAGS" "$($smoke && echo smoke)" | tee "$out/summary.md"
exit $status
