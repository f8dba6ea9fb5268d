#!/usr/bin/env bash
# Benefit-engine benchmark (JMH): claims adjudicated + applied to accumulators per second, one thread.
# Usage: adapters/bench.sh [JMH options]   e.g. adapters/bench.sh -wi 2 -i 3 -f 1
# Builds only this module (no -am); hmb-proto must already be in ~/.m2.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl adapters test-compile
mvn -B -q -o -pl adapters dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
CP="adapters/target/test-classes:adapters/target/classes:$(cat adapters/target/bench.classpath)"
if [ $# -eq 0 ]; then set -- -wi 2 -i 3 -f 1; fi
exec java -cp "$CP" org.openjdk.jmh.Main 'io.hmb.adapters.jmh.AdjudicationBenchmark' "$@"
