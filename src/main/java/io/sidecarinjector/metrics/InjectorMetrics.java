package io.sidecarinjector.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sidecarinjector.policy.Reason;

/**
 * Every metric of the injector, in one place. Names follow Istio's injector so that existing dashboards and
 * alerts work; tags come from fixed enums only, never from a pod, a namespace or an annotation.
 */
@ApplicationScoped
public class InjectorMetrics {

    /** Why an injection failed: the {@code type} tag of {@code sidecar_injection_failure_total}. */
    public enum FailureType {
        DECODE, CONFIG, REJECTED, RENDER, INTERNAL, OVERLOADED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Counter requests;
    private final Counter success;
    private final Map<Reason, Counter> skips = new EnumMap<>(Reason.class);
    private final Map<FailureType, Counter> failures = new EnumMap<>(FailureType.class);
    private final Timer duration;
    private final Counter reloads;
    private final Counter reloadErrors;
    private final MeterRegistry registry;
    private final AtomicReference<java.time.Instant> certificateNotAfter = new AtomicReference<>();
    private final AtomicReference<Gauge> revisionInfo = new AtomicReference<>();

    @Inject
    public InjectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        requests = Counter.builder("sidecar_injection_requests").description("Admission requests received")
                .register(registry);
        success = Counter.builder("sidecar_injection_success").description("Pods injected").register(registry);
        for (Reason reason : Reason.values()) {
            if (!reason.inject()) {
                skips.put(reason, Counter.builder("sidecar_injection_skip").description("Pods not injected, by reason")
                        .tag("reason", reason.code()).register(registry));
            }
        }
        for (FailureType type : FailureType.values()) {
            failures.put(type, Counter.builder("sidecar_injection_failure")
                    .description("Requests that could not be answered with an injection, by type")
                    .tag("type", type.tag()).register(registry));
        }
        duration = Timer.builder("sidecar_injection_duration").description("Time to answer an admission request")
                .serviceLevelObjectives(micros(100), micros(250), micros(500), millis(1), millis(2), millis(5),
                        millis(10), millis(25), millis(50), millis(100), millis(250), millis(1000))
                .register(registry);
        reloads = Counter.builder("sidecar_injector_config_reloads")
                .description("Configurations loaded and put in service").register(registry);
        reloadErrors = Counter.builder("sidecar_injector_config_reload_errors")
                .description("Configurations rejected; the previous one stayed in service").register(registry);
        Gauge.builder("sidecar_injector_tls_certificate_expiry_seconds", () -> {
            java.time.Instant notAfter = certificateNotAfter.get();
            return notAfter == null ? Double.NaN : (notAfter.toEpochMilli() - System.currentTimeMillis()) / 1000.0;
        }).description("Seconds until the serving certificate expires (NaN without TLS)").register(registry);
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

    public void injected() {
        success.increment();
    }

    public void skipped(Reason reason) {
        Counter counter = skips.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }

    public void failed(FailureType type) {
        failures.get(type).increment();
    }

    public void duration(long nanos) {
        duration.record(Duration.ofNanos(nanos));
    }

    /**
     * A configuration went into service. {@code sidecar_injector_config_info{revision}} is 1 for it; the series of
     * the previous revision is removed, so there is one series at a time (the revision is our own hash).
     */
    public void reloaded(String newRevision) {
        reloads.increment();
        Gauge info = Gauge.builder("sidecar_injector_config_info", () -> 1)
                .description("The configuration revision in service").tag("revision", newRevision).register(registry);
        Gauge previous = revisionInfo.getAndSet(info);
        if (previous != null && previous != info) {
            registry.remove(previous);
        }
    }

    /** The serving certificate in use now expires at this instant (null: none). */
    public void certificateExpiry(java.time.Instant notAfter) {
        certificateNotAfter.set(notAfter);
    }

    public void reloadFailed() {
        reloadErrors.increment();
    }
}
