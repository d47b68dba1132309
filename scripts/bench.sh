#!/usr/bin/env bash
# Runs a module's JMH benchmarks (sources in MODULE/src/jmh/java, compiled with the tests):
#   scripts/bench.sh syntra-protocol                                   # all, default settings
#   scripts/bench.sh syntra-protocol -f 1 -wi 3 -i 5 MessageCodecBenchmark  # JMH arguments
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh
module=${1:?usage: scripts/bench.sh MODULE [JMH arguments...]}
shift
[ $# -gt 0 ] || set -- -f 1 -wi 3 -i 5 -w 2s -r 3s
mvn -B -ntp -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath -Dspotless.check.skip=true
cd "$module"
exec java --enable-native-access=ALL-UNNAMED \
  -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
