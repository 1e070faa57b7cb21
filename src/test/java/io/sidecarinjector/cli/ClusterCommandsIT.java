package io.sidecarinjector.cli;

import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;

/** The cluster commands run against the packaged artifact (jar, or the native executable with -Pnative). */
@QuarkusMainIntegrationTest
@TestProfile(ClusterCommandsTest.Cluster.class)
class ClusterCommandsIT extends ClusterCommandsTest {}
