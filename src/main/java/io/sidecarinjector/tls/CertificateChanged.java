package io.sidecarinjector.tls;

import java.time.Instant;

/**
 * The serving certificate in use, announced as a CDI event after every check.
 *
 * @param notAfter when it expires; null without one
 */
public record CertificateChanged(Instant notAfter) {}
