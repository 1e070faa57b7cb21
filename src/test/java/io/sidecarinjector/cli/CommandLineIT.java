package io.sidecarinjector.cli;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** The command-line tests, run against the packaged artifact (jar, or the native executable with -Pnative). */
@QuarkusMainIntegrationTest
class CommandLineIT extends CommandLineTest {}
