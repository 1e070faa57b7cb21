package io.sidecarinjector.tls;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Self-managed TLS run against the packaged artifact (JVM jar, or the native executable with -Pnative): the
 * executable reads, watches and patches the webhook configuration through the Kubernetes client.
 */
@QuarkusIntegrationTest
@WithKubernetesTestServer(crud = true)
@TestProfile(TlsMonitorTest.SelfManaged.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsMonitorIT extends TlsMonitorTest {}
