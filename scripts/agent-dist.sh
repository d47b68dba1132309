#!/bin/sh
# Builds the agent distribution from the shaded agent jar. Run by `mvn package` in
# syntra-agent-core (exec-maven-plugin; skip with -Dexec.skip=true), or by hand:
#
#   scripts/agent-dist.sh JAVA_HOME AGENT_JAR VERSION DIST_SRC TARGET_DIR
#
# JAVA_HOME is a JDK 21+ with jdeps and jlink (Maven passes its own java.home). Produces in
# TARGET_DIR: syntra-agent-VERSION/ (bin/syntra-agent, lib/syntra-agent.jar, runtime/ = a jlink
# image, share/syntra-agent.service, install.sh, VERSION), syntra-agent-VERSION-linux-ARCH.tar.gz and
# its SHA-256 in sha256sum format (.tar.gz.sha256: what install.sh --sha256 checks).
# The jlink image (with a CDS archive of its classes, for a faster start) is reused while the module list and the JDK stay the same.
set -eu

if [ $# -ne 5 ]; then
  echo "usage: $0 JAVA_HOME AGENT_JAR VERSION DIST_SRC TARGET_DIR" >&2
  exit 2
fi
jdk=$1
jar=$2
version=$3
src=$4
target=$5

for tool in jdeps jlink java; do
  if [ ! -x "$jdk/bin/$tool" ]; then
    echo "agent-dist: $jdk/bin/$tool not found: build with a full JDK 21+ (not a JRE)" >&2
    exit 1
  fi
done
[ -f "$jar" ] || { echo "agent-dist: $jar not found (the shade step makes it)" >&2; exit 1; }

case $(uname -m) in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac

name="syntra-agent-$version"
dir="$target/$name"
tarball="$target/$name-linux-$arch.tar.gz"
cache="$target/agent-runtime"

# Modules: what jdeps finds in the jar, plus what it cannot see (reflection, service providers):
# jdk.crypto.ec (EC cipher suites on JDK 21), jdk.naming.dns (DNS via JNDI), jdk.unsupported
# (sun.misc.Unsafe for Netty), jdk.zipfs, java.management and jdk.management (JMX beans for metrics),
# jdk.net (socket options), jdk.localedata is left out (English only).
detected=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release base \
  --class-path "$jar" "$jar" 2>/dev/null | tail -n 1 || true)
case $detected in
  *java.base*) ;;
  *) echo "agent-dist: jdeps found no modules in $jar (output: $detected)" >&2; exit 1 ;;
esac
modules=$(printf '%s\n' "$detected" java.base java.logging java.xml java.naming jdk.unsupported \
  jdk.crypto.ec jdk.naming.dns jdk.zipfs java.management jdk.management jdk.net \
  | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)
key="$jdk|$("$jdk/bin/java" -version 2>&1 | head -n 1)|$modules"

if [ -x "$cache/bin/java" ] && [ -f "$cache.key" ] && [ "$(cat "$cache.key")" = "$key" ]; then
  echo "agent-dist: reusing the Java runtime in $cache ($modules)"
else
  echo "agent-dist: jlink $modules"
  rm -rf "$cache" "$cache.key"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress zip-6 --generate-cds-archive --output "$cache"
  # The agent's heap is far below 32 GiB, so the archive for uncompressed oops is never used.
  rm -f "$cache/lib/server/classes_nocoops.jsa"
  # Symbol tables of the native libraries are for debuggers (libjvm.so: 30 -> 25 MB).
  if command -v strip >/dev/null 2>&1; then
    find "$cache" -name '*.so' -exec strip --strip-unneeded {} +
  fi
  printf '%s' "$key" >"$cache.key"
fi

rm -rf "$dir" "$tarball" "$tarball.sha256"
mkdir -p "$dir/bin" "$dir/lib" "$dir/share"
cp "$src/bin/syntra-agent" "$dir/bin/syntra-agent"
cp "$src/install.sh" "$dir/install.sh"
cp "$src/share/syntra-agent.service" "$dir/share/syntra-agent.service"
cp "$jar" "$dir/lib/syntra-agent.jar"
cp -R "$cache" "$dir/runtime"
printf '%s\n' "$version" >"$dir/VERSION"
chmod 0755 "$dir/bin/syntra-agent" "$dir/install.sh"
chmod -R u+rwX,go+rX,go-w "$dir"

tar --owner=0 --group=0 --numeric-owner -czf "$tarball" -C "$target" "$name"
(cd "$target" && sha256sum "$name-linux-$arch.tar.gz" >"$name-linux-$arch.tar.gz.sha256")
echo "agent-dist: $tarball ($(du -k "$tarball" | cut -f1) KiB; jar $(du -k "$jar" | cut -f1) KiB, runtime $(du -sk "$dir/runtime" | cut -f1) KiB)"
