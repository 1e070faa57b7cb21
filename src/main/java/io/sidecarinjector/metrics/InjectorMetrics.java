package io.sidecarinjector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sidecarinjector.policy.Outcome;
import io.sidecarinjector.reload.ConfigurationEvents;
import io.sidecarinjector.tls.CertificateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every metric of the injector, in one place. Names follow Istio's injector so that existing dashboards and
 * alerts work; tags come from fixed enums only, never from a pod, a namespace or an annotation.
 */
@ApplicationScoped
public class InjectorMetrics {

    private final Counter requests;
    private final Counter success;
    private final Map<Outcome, Counter> skips = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Counter> failures = new EnumMap<>(Outcome.class);
    private final Timer duration;
    private final Counter reloads;
    private final Counter reloadErrors;
    private final MeterRegistry registry;
    private final AtomicReference<java.time.Instant> certificateNotAfter = new AtomicReference<>();
    private final AtomicReference<Gauge> revisionInfo = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger unsupportedTemplates =
            new java.util.concurrent.atomic.AtomicInteger();

    @Inject
    public InjectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        requests = Counter.builder("sidecar_injection_requests")
                .description("Admission requests received")
                .register(registry);
        success = Counter.builder("sidecar_injection_success")
                .description("Pods injected")
                .register(registry);
        for (Outcome outcome : Outcome.values()) {
            if (outcome.kind() == Outcome.Kind.SKIPPED) {
                skips.put(
                        outcome,
                        Counter.builder("sidecar_injection_skip")
                                .description("Pods not injected, by reason")
                                .tag("reason", outcome.code())
                                .register(registry));
            } else if (outcome.kind() == Outcome.Kind.FAILED) {
                failures.put(
                        outcome,
                        Counter.builder("sidecar_injection_failure")
                                .description("Requests that could not be answered with an injection, by type")
                                .tag("type", outcome.failureType())
                                .register(registry));
            }
        }
        duration = Timer.builder("sidecar_injection_duration")
                .description("Time to answer an admission request")
                .serviceLevelObjectives(
                        micros(100),
                        micros(250),
                        micros(500),
                        millis(1),
                        millis(2),
                        millis(5),
                        millis(10),
                        millis(25),
                        millis(50),
                        millis(100),
                        millis(250),
                        millis(1000))
                .register(registry);
        reloads = Counter.builder("sidecar_injector_config_reloads")
                .description("Configurations loaded and put in service")
                .register(registry);
        reloadErrors = Counter.builder("sidecar_injector_config_reload_errors")
                .description("Configurations rejected; the previous one stayed in service")
                .register(registry);
        Gauge.builder("sidecar_injector_tls_certificate_expiry_seconds", () -> {
                    java.time.Instant notAfter = certificateNotAfter.get();
                    return notAfter == null
                            ? Double.NaN
                            : (notAfter.toEpochMilli() - System.currentTimeMillis()) / 1000.0;
                })
                .description("Seconds until the serving certificate expires (NaN without TLS)")
                .register(registry);
        Gauge.builder("sidecar_injector_unsupported_templates", unsupportedTemplates, AtomicInteger::get)
                .description("Go templates of the configuration in service that this injector cannot render")
                .register(registry);
    }

    private static Duration micros(long n) {
        return Duration.ofNanos(n * 1000);
    }

    private static Duration millis(long n) {
        return Duration.ofMillis(n);
    }

    public void request() {
        requests.increment();
    }

    /** One request ended this way: counted as a success, a skip by reason, or a failure by type. */
    public void count(Outcome outcome) {
        switch (outcome.kind()) {
            case INJECTED -> success.increment();
            case SKIPPED -> skips.get(outcome).increment();
            case FAILED -> failures.get(outcome).increment();
        }
    }

    public void duration(long nanos) {
        duration.record(Duration.ofNanos(nanos));
    }

    /**
     * A configuration went into service. {@code sidecar_injector_config_info{hash}} is 1 for it; the series of the
     * previous one is removed, so there is one series at a time (the hash is our own).
     */
    void applied(@Observes ConfigurationEvents.Applied applied) {
        reloads.increment();
        unsupportedTemplates.set(applied.unsupportedTemplates().size());
        Gauge info = Gauge.builder("sidecar_injector_config_info", () -> 1)
                .description("The configuration in service")
                .tag("hash", applied.hash())
                .register(registry);
        Gauge previous = revisionInfo.getAndSet(info);
        if (previous != null && previous != info) {
            registry.remove(previous);
        }
    }

    /** The serving certificate in use now expires at this instant (null: none). */
    void certificate(@Observes CertificateChanged certificate) {
        certificateNotAfter.set(certificate.notAfter());
    }

    void rejected(@Observes ConfigurationEvents.Rejected rejected) {
        reloadErrors.increment();
    }
}
