package io.sidecarinjector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The codes and metric tags of every outcome: stable, since audit logs, dashboards and alerts read them. */
class OutcomeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "EXPLICITLY_ENABLED, INJECTED, explicitly_enabled, ",
        "ALWAYS_INJECT_SELECTOR, INJECTED, always_inject_selector, ",
        "POLICY_ENABLED, INJECTED, policy_enabled, ",
        "HOST_NETWORK, SKIPPED, host_network, ",
        "IGNORED_NAMESPACE, SKIPPED, ignored_namespace, ",
        "EXPLICITLY_DISABLED, SKIPPED, explicitly_disabled, ",
        "NEVER_INJECT_SELECTOR, SKIPPED, never_inject_selector, ",
        "POLICY_DISABLED, SKIPPED, policy_disabled, ",
        "INVALID_POLICY, SKIPPED, invalid_policy, ",
        "OPERATION_NOT_CREATE, SKIPPED, operation_not_create, ",
        "UNDECODABLE, FAILED, undecodable, decode",
        "INVALID_POD, FAILED, invalid_pod, rejected",
        "OVERLOADED, FAILED, overloaded, overloaded",
        "CONFIG_UNAVAILABLE, FAILED, config_unavailable, config",
        "RENDER_FAILED, FAILED, injection_failed, render",
        "INTERNAL_ERROR, FAILED, injection_failed, internal",
    })
    void codeKindAndMetricTag(Outcome outcome, Outcome.Kind kind, String code, String failureType) {
        assertEquals(kind, outcome.kind());
        assertEquals(code, outcome.code());
        if (failureType == null) {
            assertNull(outcome.failureType());
        } else {
            assertEquals(failureType, outcome.failureType());
        }
        assertEquals(kind == Outcome.Kind.INJECTED, outcome.inject());
    }
}
