#!/usr/bin/env bash
# Stops what scripts/engines/docker-up.sh started (and only that).
set -uo pipefail
dir=${SYNTRA_ENGINE_DIR:-/tmp/syntra-engines}
for name in registry-auth registry dockerd; do
  if [ -f "$dir/$name.pid" ]; then
    kill "$(cat "$dir/$name.pid")" 2>/dev/null
    rm -f "$dir/$name.pid"
  fi
done
