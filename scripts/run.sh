#!/usr/bin/env bash
# Runs the Syntra control plane. With no SYNTRA_DB_URL it starts an embedded PostgreSQL with its
# data under SYNTRA_DATA_DIR (default ~/.syntra). The first start prints the API URL and an admin
# token. The agent hub listens on SYNTRA_HUB_PORT (7443, wss with the server's own CA). The agent
# distribution (install.sh and the tarball that `curl <url>/install.sh | sudo sh` installs) is
# built too and served from SYNTRA_AGENT_DIST_DIR. Configuration: see the table in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh

stale() { # $1 = artifact, rest = source dirs
  local artifact=$1
  shift
  [ ! -f "$artifact" ] || [ -n "$(find "$@" -newer "$artifact" -type f | head -n 1)" ]
}

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
server_jar="syntra-server/target/syntra-server-$version-exec.jar"
agent_tar="syntra-agent-core/target/syntra-agent-$version-linux-$(uname -m).tar.gz"
if stale "$server_jar" syntra-server/src syntra-protocol/src ||
  stale "$agent_tar" syntra-agent-core/src syntra-protocol/src syntra-runtime-docker/src syntra-runtime-k8s/src; then
  echo "Building the server and the agent (first run or sources changed)..."
  mvn -B -ntp -q -pl syntra-server,syntra-agent-core -am package -DskipTests -Dspotless.check.skip=true
fi

data_dir=${SYNTRA_DATA_DIR:-$HOME/.syntra}
dist_dir=${SYNTRA_AGENT_DIST_DIR:-$data_dir/agent-dist}
mkdir -p "$dist_dir"
cp syntra-agent-core/src/dist/install.sh "$agent_tar" "$dist_dir/"
export SYNTRA_AGENT_DIST_DIR=$dist_dir

exec java -XX:+UseSerialGC -Xms64m -Xmx512m -jar "$server_jar" "$@"
