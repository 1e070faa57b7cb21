package io.sidecarinjector.metrics;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The metrics tests, run against the packaged artifact. */
@QuarkusIntegrationTest
class MetricsIT extends MetricsTest {}
