package io.sidecarinjector.health;

import io.sidecarinjector.reload.ActiveConfigHolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only with a configuration that passed its self-check: the webhook runs with failurePolicy Fail, so an
 * instance that cannot inject must not receive requests.
 */
@Readiness
@ApplicationScoped
public class ConfigurationReadiness implements HealthCheck {

    @Inject
    ActiveConfigHolder holder;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("injection-configuration");
        holder.lastError().ifPresent(error -> response.withData("lastError", error));
        return holder.current()
                .map(config -> {
                    response.up()
                            .withData("configuration", config.hash())
                            .withData("revision", config.revision().isEmpty() ? "default" : config.revision());
                    if (!config.templates().unsupportedGoTemplates().isEmpty()) {
                        response.withData(
                                "unsupportedTemplates",
                                String.join(",", config.templates().unsupportedGoTemplates()));
                    }
                    return response.build();
                })
                .orElseGet(() -> response.down().build());
    }
}
