package io.sidecarinjector.admission;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The hostile corpus, against the packaged artifact. */
@QuarkusIntegrationTest
class HostileInputIT extends HostileInputTest {}
