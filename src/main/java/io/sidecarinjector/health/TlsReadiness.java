package io.sidecarinjector.health;

import io.sidecarinjector.tls.TlsMonitor;
import io.sidecarinjector.tls.TlsStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * With TLS on, ready only with a certificate that is loaded, not expired and (self-managed) trusted by the
 * webhook's caBundle: the API server must never reach an instance whose certificate it would reject.
 */
@Readiness
@ApplicationScoped
public class TlsReadiness implements HealthCheck {

    @Inject
    TlsMonitor monitor;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("tls-certificate");
        if (!monitor.enabled()) {
            return response.up()
                    .withData("tls", "off: /inject is served over plain HTTP")
                    .build();
        }
        TlsStatus status = monitor.status();
        if (status.notAfter() != null) {
            response.withData("notAfter", status.notAfter().toString());
        }
        if (status.trusted() != null) {
            response.withData("trustedByCaBundle", status.trusted());
        }
        if (status.problem() != null) {
            return response.down().withData("problem", status.problem()).build();
        }
        return response.up().build();
    }
}
