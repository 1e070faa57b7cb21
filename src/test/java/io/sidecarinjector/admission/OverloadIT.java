package io.sidecarinjector.admission;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The overload tests, run against the packaged artifact (JVM jar, or the native executable with -Pnative). */
@QuarkusIntegrationTest
class OverloadIT extends OverloadTest {}
