#!/usr/bin/env bash
# Measures the figures of docs/performance.md: each scenario of partyline-bench against a fresh
# server started with the JVM flags of the README's run command, RUNS times, then a table of the
# medians. Needs the jars: mvn -B -DskipTests package.
#
#   scripts/perf.sh                  every scenario, 3 runs each (about 40 minutes)
#   scripts/perf.sh party fanout5    only these scenarios
#   scripts/perf.sh --smoke          every scenario at a tiny scale, 1 run (CI: the tool cannot rot)
#   scripts/perf.sh --profile party  1 run with async-profiler (CPU, kernel stacks included) in the
#                                    server from PROFILE_DELAY seconds (default 10) after the bench
#                                    starts; writes target/profile/<scenario>.collapsed and a summary.
#                                    PROFILE_EVENT=alloc PROFILE_INTERVAL=256k samples allocations.
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
# --room-grace-seconds 5: the warm-up's rooms (and their event logs) close 5 s after its clients
# leave instead of 60, so that the measured run does not start with a heap full of them.
SERVER_ARGS="--max-chat-members 5001 --messages-per-second 1000 --message-burst 1000 --max-connections-per-ip 1000"
SERVER_ARGS="$SERVER_ARGS --room-grace-seconds 5"

server_jar=partyline-app/target/partyline.jar
bench_jar=partyline-bench/target/partyline-bench.jar
out=target/perf
runs=${RUNS:-3}
smoke=false
profile=false
scenarios=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=true ;;
    --profile) profile=true ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) scenarios+=("$arg") ;;
  esac
done
all=(floor floor_party floor_fanout connect idle party fanout50 fanout5 findmax)
((${#scenarios[@]})) || scenarios=("${all[@]}")
if $smoke; then runs=1; out=target/perf-smoke; fi
if $profile; then runs=1; out=target/profile; fi

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

# async-profiler from Maven Central (its jar carries the native agent), unpacked once.
ASYNC_PROFILER_VERSION=4.2
profiler_lib=target/async-profiler/linux-x64/libasyncProfiler.so
if $profile && [ ! -f "$profiler_lib" ]; then
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" \
    -DoutputDirectory=target/async-profiler
  (cd target/async-profiler && unzip -q -o "async-profiler-$ASYNC_PROFILER_VERSION.jar" 'linux-x64/*')
fi
profiler() { # profiler PID start|stop FILE
  local options="start,event=${PROFILE_EVENT:-cpu},interval=${PROFILE_INTERVAL:-1ms},file=$3"
  [ "$2" = stop ] && options="stop,file=$3,collapsed"
  java scripts/AttachAgent.java "$1" "$profiler_lib" "$options" >/dev/null
}

# Arguments of each scenario: full scale, then the smoke's tiny scale.
scenario_args() {
  local name=$1
  if $smoke; then
    case "$name" in
      floor) echo "floor --sockets 100 --duration 1" ;;
      floor_party) echo "floor --sockets 100 --burst 8 --bursts-per-second 400 --duration 1" ;;
      floor_fanout) echo "floor --sockets 200 --burst 200 --bursts-per-second 5 --duration 1" ;;
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
      floor_party) echo "floor --sockets 8000 --burst 8 --bursts-per-second 4000 --duration 10" ;;
      floor_fanout) echo "floor --sockets 5000 --burst 5000 --bursts-per-second 5 --duration 10" ;;
      connect) echo "connect --connections 16000 --warmup 4000 --source-addresses 64" ;;
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

# Warm-up runs before a scenario's measured run, on the same server: enough of the same work
# that the JIT has compiled its paths with C2 before anything is measured. A cold server spends
# most of a short run compiling (measured: 44 % of the server's CPU in connect after one warm-up
# of 16,000 connections; after four, 143 us per connection instead of 424).
warmups() {
  case "$1" in
    connect) for _ in 1 2 3 4; do echo "connect --connections 16000 --source-addresses 64"; done ;;
    idle) echo "party --rooms 100 --clients 8 --rate 2 --duration 10 --drain 1" ;;
    *) echo "party --rooms 1000 --clients 8 --rate 1 --duration 20 --drain 1" ;;
  esac
}

# Starts a server, waits for /healthz, and runs the scenario's warm-ups against it.
start_server() {
  local name=$1
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
  local warmup
  while read -r warmup; do
    # shellcheck disable=SC2086
    java -jar "$bench_jar" $warmup --url "http://127.0.0.1:$port" --quiet >/dev/null \
      || echo "perf: warm-up '$warmup' was not clean (ignored)"
  done < <(warmups "$name")
  # Then the warm-up's garbage goes, as between JMH forks: its rooms close, and one full
  # collection leaves the measured run a heap of live data only. Collections during the run
  # still count.
  sleep 6
  jcmd "$pid" GC.run >/dev/null || echo "perf: could not ask the server for a collection (ignored)"
  sleep 1
}

status=0
for name in "${scenarios[@]}"; do
  args=$(scenario_args "$name")
  [ -n "$args" ] || { echo "perf: unknown scenario $name (known: ${all[*]})"; exit 2; }
  for run in $(seq 1 "$runs"); do
    echo "== $name run $run/$runs: $args"
    if [[ "$name" == floor* ]]; then
      # shellcheck disable=SC2086
      java -jar "$bench_jar" $args --json "$out/$name-$run.json" || status=1
      continue
    fi
    start_server "$name"
    # shellcheck disable=SC2086
    java -jar "$bench_jar" $args --url "http://127.0.0.1:$port" --server-pid "$pid" --quiet \
      --json "$out/$name-$run.json" &
    bench=$!
    if $profile; then
      sleep "${PROFILE_DELAY:-10}" # past the bench's setup: the profile is of the measured phase
      profiler "$pid" start "$out/$name.collapsed"
    fi
    wait "$bench" || { echo "perf: $name run $run exited non-zero"; status=1; }
    if $profile; then
      profiler "$pid" stop "$out/$name.collapsed"
      python3 scripts/profile_summary.py "$out/$name.collapsed" | tee "$out/$name-profile.md"
    fi
    stop_server
  done
done

python3 scripts/perf_summary.py "$out" "$SERVER_JVM_FLAGS" "$($smoke && echo smoke)" | tee "$out/summary.md"
exit $status
