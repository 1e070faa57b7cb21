package io.sidecarinjector.admission;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The endpoint tests, run against the packaged artifact (JVM jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class InjectEndpointIT extends InjectEndpointTest {}
