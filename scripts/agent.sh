#!/usr/bin/env bash
# Runs the Syntra agent from this checkout (the jar `mvn package` builds), for trying Syntra on one
# machine: e.g.
#   scripts/agent.sh run --endpoint wss://127.0.0.1:7443/agent/v1 --token syn_tkn_… --ca-sha256 …
# State (agent id, credential, command journal, deploy history) goes to SYNTRA_AGENT_STATE_DIR,
# default ~/.syntra/agent. On real servers use the install command the API prints instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
jar="syntra-agent-core/target/syntra-agent-$version.jar"
if [ ! -f "$jar" ] || [ -n "$(find syntra-agent-core/src syntra-protocol/src syntra-runtime-docker/src syntra-runtime-k8s/src -newer "$jar" -type f | head -n 1)" ]; then
  echo "Building the agent (first run or sources changed)..."
  mvn -B -ntp -q -pl syntra-agent-core -am package -DskipTests -Dspotless.check.skip=true
fi
export SYNTRA_AGENT_STATE_DIR=${SYNTRA_AGENT_STATE_DIR:-$HOME/.syntra/agent}
exec java -XX:+UseSerialGC -Xms16m -Xmx64m -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
  -jar "$jar" "$@"
