#!/usr/bin/env bash
# Load benchmark of the agent hub: N simulated agents on loopback (TLS, pinned CA), each registering
# with its own registration token and sending heartbeats; measures the server's heap per idle
# connection (after full GCs), registrations/s and heartbeats/s the hub counted. Bounded: N agents
# (<= 50,000) for DURATION seconds (<= 1,800); it stops by itself and stops its server.
#
#   flock /tmp/syntra-mvn.lock benchmarks/agent-hub/run.sh [--agents 5000] [--duration 60]
#        [--interval 10] [--concurrency 200] [--insecure]
#
# Run it under the Maven lock (as above): it builds the server and agent jars when missing or older
# than the sources, with Maven but without taking the lock itself. --insecure measures plain ws://
# (SYNTRA_HUB_INSECURE=true) instead of TLS. Needs jcmd and jstat (a JDK) and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/jdk.sh

agents=5000 duration=60 interval=10 concurrency=200 insecure=false
while [ $# -gt 0 ]; do
  case $1 in
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --insecure) insecure=true; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

# Each agent is one socket on each side; leave room for the JVMs' own files.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((agents + 1000)) ]; then
  echo "ulimit -n is $(ulimit -n): too low for $agents agents (raise the hard limit, or use fewer)" >&2
  exit 1
fi

stale() { # $1 = jar, $2 = stamp file, rest = source dirs
  local jar=$1 stamp=$2; shift 2
  [ -z "$jar" ] || [ ! -f "$stamp" ] || [ -n "$(find "$@" -newer "$stamp" -type f 2>/dev/null | head -n 1)" ]
}
# The server jar has a fixed (reproducible) date, so a stamp file records when it was built.
server_jar=$(ls syntra-server/target/syntra-server-*-exec.jar 2>/dev/null | head -n 1 || true)
server_stamp=syntra-server/target/hub-bench.stamp
if stale "$server_jar" "$server_stamp" syntra-server/src/main syntra-protocol/src/main; then
  echo "Building the server..."
  mvn -B -ntp -q -pl syntra-server -am install -DskipTests -Dspotless.check.skip=true
  server_jar=$(ls syntra-server/target/syntra-server-*-exec.jar | head -n 1)
  touch "$server_stamp"
fi
agent_jar=$(ls syntra-agent-core/target/syntra-agent-[0-9]*.jar 2>/dev/null | head -n 1 || true)
if stale "$agent_jar" "$agent_jar" syntra-protocol/src/main; then
  echo "Building the agent jar (the driver's classpath: Netty, syntra-protocol, Jackson)..."
  mvn -B -ntp -q -pl syntra-agent-core -am install -DskipTests -Dspotless.check.skip=true -Dexec.skip=true
  agent_jar=$(ls syntra-agent-core/target/syntra-agent-[0-9]*.jar | head -n 1)
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port)
hub_port=$(free_port)
token="syn_pat_HubLoadBenchmarkToken0123456789abcdefgh"
metrics="syn_pat_HubLoadMetricsToken0123456789abcdefghij"
data=$(mktemp -d /tmp/syntra-hub-bench.XXXXXX)
scheme=wss
[ "$insecure" = true ] && scheme=ws

echo "Starting the server (API :$http_port, hub :$hub_port, data $data)"
SYNTRA_DATA_DIR="$data" SYNTRA_HTTP_PORT=$http_port SYNTRA_BOOTSTRAP_TOKEN=$token \
  SYNTRA_METRICS_TOKEN=$metrics SYNTRA_RATE_LIMIT_FREE=100000000 \
  SYNTRA_PUBLIC_URL="http://127.0.0.1:$http_port" SYNTRA_HUB_URL="$scheme://127.0.0.1:$hub_port" \
  SYNTRA_HUB_BIND=127.0.0.1 SYNTRA_HUB_PORT=$hub_port SYNTRA_HUB_INSECURE=$insecure \
  SYNTRA_WEBHOOK_DELIVERY=false \
  SYNTRA_HUB_MAX_CONNECTIONS=$((agents + 100)) SYNTRA_HUB_MAX_CONNECTIONS_PER_ADDRESS=$((agents + 100)) \
  java -XX:+UseSerialGC -Xms64m -Xmx1g -jar "$server_jar" >"$data/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 240); do
  curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/api/v1/servers" && break
  kill -0 "$server" 2>/dev/null || { echo "the server exited:" >&2; tail -n 40 "$data/server.log" >&2; exit 1; }
  sleep 0.5
done

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr), $(java -version 2>&1 | head -n 1)"
java -Xmx2g -XX:+UseParallelGC -cp "$agent_jar" benchmarks/agent-hub/HubLoad.java \
  --api "http://127.0.0.1:$http_port" --token "$token" --metrics-token "$metrics" \
  --hub "$scheme://127.0.0.1:$hub_port/agent/v1" --ca "$data/hub/ca.crt" --server-pid "$server" \
  --agents "$agents" --duration "$duration" --interval "$interval" --concurrency "$concurrency"
echo "Server log warnings/errors (first 10):"
grep -E " (WARN|ERROR) " "$data/server.log" | head -n 10 || true
