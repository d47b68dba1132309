#!/usr/bin/env bash
# Load benchmark of the REST API: GET /api/v1/projects (first page of 50) in an organization with
# 1,000 projects, with wrk on loopback. Starts its own server on a fresh embedded database.
#   benchmarks/api-load/run.sh [duration, default 30s] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/jdk.sh
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
duration=${1:-30s}
connections=${2:-32}
port=18091
token="syn_pat_BenchmarkToken0123456789abcdefghijkl"
data=$(mktemp -d /tmp/syntra-bench.XXXXXX)
mvn -B -ntp -q -pl syntra-server -am package -DskipTests -Dspotless.check.skip=true
jar=$(ls syntra-server/target/syntra-server-*-exec.jar | head -n 1)
SYNTRA_DATA_DIR="$data" SYNTRA_HTTP_PORT=$port SYNTRA_BOOTSTRAP_TOKEN=$token \
  SYNTRA_RATE_LIMIT_FREE=100000000 java -Xmx512m -jar "$jar" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "Creating 1,000 projects..."
seq 1 1000 | xargs -P 8 -I{} curl -fs -o /dev/null -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"project-{}"}' "http://127.0.0.1:$port/api/v1/projects"
count=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/projects?limit=200" | grep -o '"slug"' | wc -l)
echo "First page holds $count projects (limit=200); running wrk for $duration with $connections connections"
curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/projects"
wrk -t2 -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/projects"
