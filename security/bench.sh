#!/usr/bin/env bash
# Runs the security module's JMH benchmarks (security/src/test/java/io/hmb/security/jmh/).
#
#   security/bench.sh                      # short run: -wi 2 -i 3 -f 1 -w 2s -r 2s (about 3 minutes)
#   security/bench.sh -wi 5 -i 10 -f 2     # longer run; any JMH options, plus an optional regex
#
# Builds only this module (test-compile) and runs org.openjdk.jmh.Main on its test
# classpath through exec-maven-plugin. Results: docs/performance-security.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
  set -- -wi 2 -i 3 -f 1 -w 2s -r 2s
fi
exec mvn -B -q -pl security test-compile org.codehaus.mojo:exec-maven-plugin:exec \
  -Dexec.executable=java -Dexec.classpathScope=test \
  "-Dexec.args=-cp %classpath org.openjdk.jmh.Main io.hmb.security.jmh $*"
