#!/usr/bin/env bash
# In-process benchmark (JMH) of decide -> render -> merge -> diff, µs per pod. Prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main PipelineBenchmark "$@"
