#!/usr/bin/env bash
# Ingest benchmark of the agent's OTLP receivers: a real control plane on loopback (embedded
# PostgreSQL, TLS hub), the agent from its distribution (bin/syntra-agent, its own JVM flags) pinned
# to one core, and OtlpLoad pinned to another, sending ExportTraceServiceRequests over OTLP/HTTP
# (protobuf) and then OTLP/gRPC. The spans go receiver -> enricher -> sampler -> buffer (frames,
# disk spool) -> shipper -> hub -> telemetry_batches. Prints one JSON line per transport: what the
# driver got accepted, what reached the server's table during the run, the agent's CPU (utime+stime
# from /proc/<pid>/stat, % of one core), VmRSS/VmHWM, and the frames' compression ratio
# (uncompressed_length / payload_length from the stored frame headers). Bounded: DURATION seconds
# (<= 600) per transport; it stops the agent and the server it started.
#
#   flock /tmp/syntra-mvn.lock benchmarks/otlp-ingest/run.sh [--duration 30] [--connections 8]
#        [--spans 100] [--transports "http grpc"] [--agent-core 0] [--driver-core 1]
#
# Run it under the Maven lock (as above): it builds the server jar and the agent distribution when
# missing, with Maven but without taking the lock itself. Needs taskset, curl, psql and a JDK.
# The agent runs with trace_ratio=1 (nothing sampled out by ratio); the sampler's per-service
# ceiling (20,000 spans/s for each of the driver's 4 services) still applies and shows as
# "spans_stored" < "spans".
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/jdk.sh

duration=30 connections=8 spans=100 transports="http grpc" agent_core=0 driver_core=1
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --spans) spans=$2; shift 2 ;;
    --transports) transports=$2; shift 2 ;;
    --agent-core) agent_core=$2; shift 2 ;;
    --driver-core) driver_core=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[ "$duration" -le 600 ] || { echo "--duration is at most 600 s" >&2; exit 2; }

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
server_jar="syntra-server/target/syntra-server-$version-exec.jar"
dist="syntra-agent-core/target/syntra-agent-$version"
agent_jar="syntra-agent-core/target/syntra-agent-$version.jar"
if [ ! -f "$server_jar" ] || [ ! -x "$dist/bin/syntra-agent" ] || [ ! -f "$agent_jar" ]; then
  echo "Building the server and the agent distribution..."
  mvn -B -ntp -q -pl syntra-server,syntra-agent-core -am package -DskipTests -Dspotless.check.skip=true
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port) hub_port=$(free_port) otlp_http=$(free_port) otlp_grpc=$(free_port)
token="syn_pat_OtlpIngestBenchToken0123456789abcd"
data=$(mktemp -d /tmp/syntra-otlp-bench.XXXXXX)
server="" agent=""
cleanup() {
  for pid in $agent $server; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$data"
}
trap cleanup EXIT

echo "Starting the server (API :$http_port, hub :$hub_port, data $data)" >&2
SYNTRA_DATA_DIR="$data/server" SYNTRA_HTTP_PORT=$http_port SYNTRA_BOOTSTRAP_TOKEN=$token \
  SYNTRA_RATE_LIMIT_FREE=100000000 SYNTRA_PUBLIC_URL="http://127.0.0.1:$http_port" \
  SYNTRA_HUB_URL="wss://127.0.0.1:$hub_port" SYNTRA_HUB_BIND=127.0.0.1 SYNTRA_HUB_PORT=$hub_port \
  SYNTRA_WEBHOOK_DELIVERY=false \
  java -XX:+UseSerialGC -Xms64m -Xmx512m -jar "$server_jar" >"$data/server.log" 2>&1 &
server=$!
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
for _ in $(seq 1 240); do
  curl -fs -o /dev/null "${auth[@]}" "http://127.0.0.1:$http_port/api/v1/servers" && break
  kill -0 "$server" 2>/dev/null || { echo "the server exited:" >&2; tail -n 40 "$data/server.log" >&2; exit 1; }
  sleep 0.5
done
created=$(curl -fs "${auth[@]}" -d '{"name":"otlp-bench"}' "http://127.0.0.1:$http_port/api/v1/servers")
(umask 077; echo "$created" | sed 's/.*"registration_token":"\([^"]*\)".*/\1/' >"$data/registration-token")
pin=$(echo "$created" | sed 's/.*--ca-sha256 \([0-9a-f]*\).*/\1/')

echo "Starting the agent on core $agent_core (OTLP gRPC :$otlp_grpc, HTTP :$otlp_http)" >&2
SYNTRA_TRACE_RATIO=1 SYNTRA_OTLP_GRPC_PORT=$otlp_grpc SYNTRA_OTLP_HTTP_PORT=$otlp_http \
  taskset -c "$agent_core" "$dist/bin/syntra-agent" run --endpoint "wss://127.0.0.1:$hub_port/agent/v1" \
  --token-file "$data/registration-token" --ca-sha256 "$pin" --state-dir "$data/agent" \
  >"$data/agent.log" 2>&1 &
agent=$!
for _ in $(seq 1 120); do
  grep -q "Connected to the control plane" "$data/agent.log" && break
  kill -0 "$agent" 2>/dev/null || { echo "the agent exited:" >&2; tail -n 40 "$data/agent.log" >&2; exit 1; }
  sleep 0.5
done
java_pid=$agent # the launcher execs java: same pid

pg_port=$(pgrep -af "postgres -D $data/server/postgres" | sed -n 's/.* -p \([0-9]*\).*/\1/p' | head -n 1)
sql() {
  PGPASSWORD=$(cat "$data/server/postgres.password") psql -h 127.0.0.1 -p "$pg_port" -U postgres \
    -d postgres -Atq -F ' ' -c "$1"
}
# Spans, uncompressed and compressed bytes of the frames stored after batch number $1.
stored() {
  sql "SELECT coalesce(sum(span_count),0),
         coalesce(sum(('x' || encode(substring(frame FROM 37 FOR 4), 'hex'))::bit(32)::bigint),0),
         coalesce(sum(('x' || encode(substring(frame FROM 41 FOR 4), 'hex'))::bit(32)::bigint),0),
         count(*)
       FROM telemetry_batches WHERE seq > $1"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$java_pid/stat"; }
status_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$java_pid/status"; }
hz=$(getconf CLK_TCK)

echo "Machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -n 1)" >&2
sleep 5 # let the start settle (first heartbeat, host metrics)
for transport in $transports; do
  case $transport in
    http) target=(--http "http://127.0.0.1:$otlp_http") ;;
    grpc) target=(--grpc "127.0.0.1:$otlp_grpc") ;;
    *) echo "unknown transport $transport" >&2; exit 2 ;;
  esac
  mark=$(sql "SELECT coalesce(max(seq),0) FROM telemetry_batches")
  ticks=$(cpu_ticks)
  start=$(date +%s.%N)
  driver=$(taskset -c "$driver_core" java -XX:+UseParallelGC -Xmx1g -cp "$agent_jar" \
    benchmarks/otlp-ingest/OtlpLoad.java "${target[@]}" --duration "$duration" \
    --connections "$connections" --spans "$spans" | tail -n 1)
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  cpu=$(echo "scale=1; ($(cpu_ticks) - $ticks) * 100 / $hz / $seconds" | bc)
  rss=$(status_kb VmRSS) hwm=$(status_kb VmHWM)
  # The buffer drains for up to one batch period after the driver stops (a batch closes at 5 s).
  prev=-1
  for _ in $(seq 1 30); do
    sleep 2
    read -r span_sum raw packed frames <<<"$(stored "$mark")"
    [ "$span_sum" = "$prev" ] && break
    prev=$span_sum
  done
  ratio=$( [ "$packed" -gt 0 ] && echo "scale=2; $raw / $packed" | bc || echo 0)
  echo "${driver%\}},\"spans_stored\":$span_sum,\"frames\":$frames,\"frame_bytes_uncompressed\":$raw,\"frame_bytes_compressed\":$packed,\"compression_ratio\":$ratio,\"agent_cpu_percent_of_core\":$cpu,\"agent_vmrss_kb\":$rss,\"agent_vmhwm_kb\":$hwm}"
done
echo "Agent log warnings/errors (first 10):" >&2
grep -E " (WARN|ERROR) " "$data/agent.log" | head -n 10 >&2 || true
