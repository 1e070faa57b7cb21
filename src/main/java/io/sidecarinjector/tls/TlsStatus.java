package io.sidecarinjector.tls;

import java.time.Instant;

/**
 * What the last TLS check saw.
 *
 * @param notAfter expiry of the serving certificate, or null when none is loaded
 * @param trusted with self-managed TLS: whether the webhook's caBundle trusts it; null when not checked
 * @param problem why the instance cannot serve /inject over TLS, or null
 */
public record TlsStatus(Instant notAfter, Boolean trusted, String problem) {}
