#!/usr/bin/env bash
# Starts what the Docker runtime tests need, installing Debian packages when missing:
#   - a Docker daemon (plain `dockerd`; Debian's docker.io 20.10),
#   - a local registry on 127.0.0.1:5000 and one with basic auth on 127.0.0.1:5001
#     (user `syntra`, password `registry-pass`),
#   - the test images, built locally from Debian's busybox-static (no image comes from Docker Hub).
# Idempotent: what already runs is reused. State and logs live in $SYNTRA_ENGINE_DIR
# (default /tmp/syntra-engines); scripts/engines/docker-down.sh stops what this started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${SYNTRA_ENGINE_DIR:-/tmp/syntra-engines}
mkdir -p "$dir"

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-registry >/dev/null || need+=(docker-registry)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v htpasswd >/dev/null || need+=(apache2-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}..."
  export DEBIAN_FRONTEND=noninteractive
  # Another install (unattended-upgrades, a second script) may hold the dpkg lock: wait up to
  # 10 minutes for it instead of failing at once.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi

# Starts a long-running daemon detached from this shell: its own session, and none of our open file
# descriptors beyond stdio (an inherited lock or pipe would otherwise stay held by the daemon).
daemon() { # log file, command...
  local log=$1; shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup "$@" >"$log" 2>&1 </dev/null
  ) &
  echo $!
}

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "error: $what did not come up; see the logs in $dir" >&2
  exit 1
}

if ! docker info >/dev/null 2>&1; then
  echo "Starting dockerd (log: $dir/dockerd.log)"
  daemon "$dir/dockerd.log" dockerd >"$dir/dockerd.pid"
  wait_for "dockerd" docker info
fi

start_registry() { # name, port, [htpasswd file]
  local name=$1 port=$2 auth=${3:-}
  if curl -s -o /dev/null "http://127.0.0.1:$port/v2/"; then return 0; fi
  mkdir -p "$dir/$name/data"
  {
    echo "version: 0.1"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $dir/$name/data"
    echo "  delete:"
    echo "    enabled: true"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    if [ -n "$auth" ]; then
      echo "auth:"
      echo "  htpasswd:"
      echo "    realm: syntra-test"
      echo "    path: $auth"
    fi
  } >"$dir/$name/config.yml"
  echo "Starting registry $name on 127.0.0.1:$port"
  daemon "$dir/$name.log" docker-registry serve "$dir/$name/config.yml" >"$dir/$name.pid"
  wait_for "registry $name" curl -s -o /dev/null "http://127.0.0.1:$port/v2/"
}
start_registry registry 5000
htpasswd -Bbc "$dir/htpasswd" syntra registry-pass >/dev/null 2>&1
start_registry registry-auth 5001 "$dir/htpasswd"

"$here/build-test-images.sh"
