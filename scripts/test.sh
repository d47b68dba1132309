#!/usr/bin/env bash
# The whole test suite: builds every module, runs unit, integration and architecture tests, checks
# formatting and dependency convergence. Extra arguments go to Maven (e.g. -pl syntra-protocol).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh
echo "Using JDK at $JAVA_HOME ($(java -version 2>&1 | head -n 1))"
exec mvn -B -ntp verify "$@"
