#!/usr/bin/env bash
# Runs the Syntra control plane. With no SYNTRA_DB_URL it starts an embedded PostgreSQL with its
# data under SYNTRA_DATA_DIR (default ~/.syntra). The first start prints the API URL and an admin
# token. The agent hub listens on SYNTRA_HUB_PORT (7443, wss with the server's own CA). The agent
# distribution (install.sh and the tarball that `curl <url>/install.sh | sudo sh` installs) is
# built too and served from SYNTRA_AGENT_DIST_DIR. Configuration: see the table in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh

# The build stamps a file once it has succeeded. The artifacts' own mtimes cannot serve: the fixed
# project.build.outputTimestamp (reproducible builds) dates every jar entry and the jar itself in
# the past, so they always looked older than the sources.
stamp=syntra-server/target/run.sh.stamp
run_dir=syntra-server/target/run
stale() { # $1 = artifact, rest = source dirs and files
  local artifact=$1
  shift
  [ ! -f "$artifact" ] || [ ! -f "$stamp" ] ||
    [ -n "$(find "$@" -newer "$stamp" -type f 2>/dev/null | head -n 1)" ]
}

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
server_jar="syntra-server/target/syntra-server-$version-exec.jar"
agent_tar="syntra-agent-core/target/syntra-agent-$version-linux-$(uname -m).tar.gz"
poms=(pom.xml syntra-protocol/pom.xml syntra-server/pom.xml syntra-agent-core/pom.xml
  syntra-runtime-docker/pom.xml syntra-runtime-k8s/pom.xml)
if stale "$server_jar" syntra-server/src syntra-protocol/src "${poms[@]}" ||
  stale "$agent_tar" syntra-agent-core/src syntra-protocol/src syntra-runtime-docker/src syntra-runtime-k8s/src; then
  echo "Building the server and the agent (first run or sources changed)..."
  # Stamped with the time the build started: a source saved during the build is rebuilt next time.
  mkdir -p "$(dirname "$stamp")" && touch "$stamp.new"
  mvn -B -ntp -q -pl syntra-server,syntra-agent-core -am package -DskipTests -Dspotless.check.skip=true
  rm -rf "$run_dir"
  mv "$stamp.new" "$stamp"
fi

# The server runs from the jar extracted to plain jars (class data sharing cannot archive classes
# loaded from nested jars). The first start records the classes it loads into app.jsa and later
# starts map them instead of loading and verifying them again (about 40% faster); the JVM rebuilds
# the archive by itself when the jars change.
if [ ! -f "$run_dir/$(basename "$server_jar")" ]; then
  rm -rf "$run_dir"
  java -Djarmode=tools -jar "$server_jar" extract --destination "$run_dir" >/dev/null
fi

data_dir=${SYNTRA_DATA_DIR:-$HOME/.syntra}
dist_dir=${SYNTRA_AGENT_DIST_DIR:-$data_dir/agent-dist}
mkdir -p "$dist_dir"
cp syntra-agent-core/src/dist/install.sh "$agent_tar" "$dist_dir/"
export SYNTRA_AGENT_DIST_DIR=$dist_dir

# SYNTRA_JVM_OPTS defaults to the quick-starting C1 compiler only (about a third faster to the
# first answer); a busy long-running server may set it empty to get the optimizing compiler too.
# shellcheck disable=SC2086 # word splitting of the options is intended
exec java -XX:+UseSerialGC -Xms64m -Xmx512m ${SYNTRA_JVM_OPTS--XX:TieredStopAtLevel=1} \
  -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$run_dir/app.jsa" -Xlog:cds=off,cds+dynamic=off \
  -jar "$run_dir/$(basename "$server_jar")" "$@"
