#!/usr/bin/env bash
# In-process benchmarks (JMH), µs per pod: decide -> render -> merge -> diff, and the whole answer from the request
# body (read, inject, write). Prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf target/test-classes  # JMH generates its benchmark list only when it compiles the benchmarks
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main PipelineBenchmark "$@"
