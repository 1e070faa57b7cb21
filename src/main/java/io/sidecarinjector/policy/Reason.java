package io.sidecarinjector.policy;

/**
 * Why a pod was or was not injected. The code is stable: it is a metric tag and part of the audit annotation.
 */
public enum Reason {
    EXPLICITLY_ENABLED(true),
    ALWAYS_INJECT_SELECTOR(true),
    POLICY_ENABLED(true),
    HOST_NETWORK(false),
    IGNORED_NAMESPACE(false),
    EXPLICITLY_DISABLED(false),
    NEVER_INJECT_SELECTOR(false),
    POLICY_DISABLED(false),
    INVALID_POLICY(false),
    OPERATION_NOT_CREATE(false);

    private final boolean inject;

    Reason(boolean inject) {
        this.inject = inject;
    }

    /** Whether this reason leads to injection. */
    public boolean inject() {
        return inject;
    }

    /** The stable snake_case code. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
