package io.sidecarinjector.policy;

import java.util.Locale;

/**
 * How an admission request ended, in one place: the rule that decided (injected or skipped), or why no decision
 * was reached (failed). Each outcome carries its stable code (the audit annotation {@code reason}) and the metric
 * that counts it: {@code sidecar_injection_success_total}, {@code sidecar_injection_skip_total{reason=<code>}} or
 * {@code sidecar_injection_failure_total{type=<failure type>}}.
 */
public enum Outcome {
    EXPLICITLY_ENABLED(Kind.INJECTED, null),
    ALWAYS_INJECT_SELECTOR(Kind.INJECTED, null),
    POLICY_ENABLED(Kind.INJECTED, null),
    HOST_NETWORK(Kind.SKIPPED, null),
    IGNORED_NAMESPACE(Kind.SKIPPED, null),
    EXPLICITLY_DISABLED(Kind.SKIPPED, null),
    NEVER_INJECT_SELECTOR(Kind.SKIPPED, null),
    POLICY_DISABLED(Kind.SKIPPED, null),
    INVALID_POLICY(Kind.SKIPPED, null),
    OPERATION_NOT_CREATE(Kind.SKIPPED, null),
    /** The body is not an AdmissionReview for a pod: answered HTTP 400, no review. */
    UNDECODABLE(Kind.FAILED, "decode"),
    /** The pod asks for something that cannot be honoured: refused with 400. */
    INVALID_POD(Kind.FAILED, "rejected"),
    /** Too many pods in injection at once: refused with 429, its creator retries. */
    OVERLOADED(Kind.FAILED, "overloaded"),
    /** No configuration has ever been valid: refused with 503. */
    CONFIG_UNAVAILABLE(Kind.FAILED, "config"),
    /** A template failed to render: refused with 500. */
    RENDER_FAILED(Kind.FAILED, "render"),
    /** The injector failed otherwise: refused with 500. */
    INTERNAL_ERROR(Kind.FAILED, "internal");

    /** What became of the pod. */
    public enum Kind {
        INJECTED,
        SKIPPED,
        FAILED
    }

    private final Kind kind;
    private final String failureType;

    Outcome(Kind kind, String failureType) {
        this.kind = kind;
        this.failureType = failureType;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether this outcome leads to injection. */
    public boolean inject() {
        return kind == Kind.INJECTED;
    }

    /** The stable snake_case code: the audit annotation {@code reason}, and the skip metric's tag. */
    public String code() {
        return switch (this) {
            case RENDER_FAILED, INTERNAL_ERROR -> "injection_failed";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }

    /** The {@code type} tag of {@code sidecar_injection_failure_total}; null unless the outcome is a failure. */
    public String failureType() {
        return failureType;
    }
}
