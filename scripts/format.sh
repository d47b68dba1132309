#!/usr/bin/env bash
# Formats all Java sources with google-java-format (the build's Spotless check at `verify` fails on
# unformatted code). The BOM has no parent, hence no Spotless plugin: it is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/jdk.sh
exec mvn -B -ntp -q -pl '!bom' spotless:apply "$@"
