#!/usr/bin/env bash
# Builds the test images from a busybox rootfs (Debian's busybox-static) with `docker import` and
# pushes them to the local registries. Each serves HTTP with `busybox httpd` on port 8080:
#   syntra-test/httpd:1, :2   GET /health -> ok, GET /version -> 1 or 2
#   syntra-test/unhealthy:1   GET /health -> 404 (health checks fail, the process runs)
#   syntra-test/crash:1       exits with status 3 a moment after starting
# Pushed to 127.0.0.1:5000 (open) and httpd:1 also to 127.0.0.1:5001 (basic auth).
set -euo pipefail
dir=${SYNTRA_ENGINE_DIR:-/tmp/syntra-engines}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rootfs() { # target dir
  mkdir -p "$1/bin" "$1/www" "$1/etc" "$1/tmp"
  cp /bin/busybox "$1/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$1/bin/$applet"
  done
  echo 'root:x:0:0:root:/:/bin/sh' >"$1/etc/passwd"
  echo 'root:x:0:' >"$1/etc/group"
}

image() { # name, version, health (yes|no), cmd-json
  local root="$work/$1-$2"
  rootfs "$root"
  echo "$2" >"$root/www/version"
  echo "syntra test image $1:$2" >"$root/www/index.html"
  if [ "$3" = yes ]; then echo ok >"$root/www/health"; fi
  tar -C "$root" -c . | docker import \
    -c "CMD $4" -c 'EXPOSE 8080' -c 'ENV PATH=/bin' \
    - "127.0.0.1:5000/syntra-test/$1:$2" >/dev/null
  docker push -q "127.0.0.1:5000/syntra-test/$1:$2" >/dev/null
}

httpd='["/bin/busybox","httpd","-f","-v","-p","8080","-h","/www"]'
image httpd 1 yes "$httpd"
image httpd 2 yes "$httpd"
image unhealthy 1 no "$httpd"
image crash 1 yes '["/bin/sh","-c","sleep 1; exit 3"]'

docker login -u syntra -p registry-pass 127.0.0.1:5001 >/dev/null 2>&1
docker tag 127.0.0.1:5000/syntra-test/httpd:1 127.0.0.1:5001/private/httpd:1
docker push -q 127.0.0.1:5001/private/httpd:1 >/dev/null
docker logout 127.0.0.1:5001 >/dev/null 2>&1
docker rmi 127.0.0.1:5001/private/httpd:1 >/dev/null 2>&1 || true
echo "Test images ready: 127.0.0.1:5000/syntra-test/{httpd:1,httpd:2,unhealthy:1,crash:1}, 127.0.0.1:5001/private/httpd:1"
