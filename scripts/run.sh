#!/usr/bin/env bash
# Runs the Syntra control plane. With no SYNTRA_DB_URL it starts an embedded PostgreSQL with its
# data under SYNTRA_DATA_DIR (default ~/.syntra). The first start prints the API URL and an admin
# token. Configuration: see the table in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh
jar=$(ls syntra-server/target/syntra-server-*-exec.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ -n "$(find syntra-server/src syntra-protocol/src -newer "$jar" -type f | head -n 1)" ]; then
  echo "Building the server (first run or sources changed)..."
  mvn -B -ntp -q -pl syntra-server -am package -DskipTests -Dspotless.check.skip=true
  jar=$(ls syntra-server/target/syntra-server-*-exec.jar | head -n 1)
fi
exec java -XX:+UseSerialGC -Xms64m -Xmx512m -jar "$jar" "$@"
