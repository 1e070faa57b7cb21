#!/usr/bin/env bash
# In-process benchmark (JMH) of decide -> render -> merge -> diff, µs per pod. Prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B test -Dtest=RunPipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
  | grep -E "^(pipeline |Benchmark|PipelineBenchmark\.)" || true
