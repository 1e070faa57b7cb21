package io.sidecarinjector.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.InjectionResult;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.policy.Decision;
import io.sidecarinjector.policy.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers one admission request: the injection pipeline, then the patch. Every answer carries the decision in
 * its audit annotations, so an operator can read in the audit log why a pod was or was not injected.
 */
public final class AdmissionAnswers {

    /** Audit annotation keys; the API server prefixes them with the webhook's name. */
    public static final String AUDIT_DECISION = "decision";

    public static final String AUDIT_REASON = "reason";

    private AdmissionAnswers() {}

    public static AdmissionResult answer(PodAdmissionRequest request, ActiveConfig snapshot) {
        if (!"CREATE".equals(request.operation())) {
            Decision skip = new Decision(
                    Outcome.OPERATION_NOT_CREATE,
                    "operation " + request.operation() + " (only CREATE is injected)",
                    List.of());
            return new AdmissionResult(
                    request.uid(),
                    true,
                    null,
                    0,
                    null,
                    audit(skip.summary(), skip.outcome()),
                    List.of(),
                    skip.outcome());
        }
        InjectionResult result;
        try {
            result = Injector.inject(request.pod(), request.submitted(), request.namespace(), null, snapshot);
        } catch (PodRejectedException e) {
            return rejected(request.uid(), 400, e.getMessage(), "rejected: " + e.getMessage(), Outcome.INVALID_POD);
        }
        Decision decision = result.decision();
        Map<String, String> audit = audit(decision.summary(), decision.outcome());
        if (!decision.inject()) {
            return new AdmissionResult(
                    request.uid(), true, null, 0, null, audit, result.warnings(), decision.outcome());
        }
        ArrayNode patch = PodPatch.diff(result.submitted(), result.injected());
        // an injected pod sent again (re-invocation) needs no change: answer without a patch
        return new AdmissionResult(
                request.uid(),
                true,
                patch.isEmpty() ? null : patch,
                0,
                null,
                audit,
                result.warnings(),
                decision.outcome());
    }

    /** The pod may not be created; the message is shown to whoever created it. */
    public static AdmissionResult rejected(
            String uid, int code, String message, String auditDecision, Outcome outcome) {
        return new AdmissionResult(uid, false, null, code, message, audit(auditDecision, outcome), List.of(), outcome);
    }

    private static Map<String, String> audit(String decision, Outcome outcome) {
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put(AUDIT_DECISION, decision);
        audit.put(AUDIT_REASON, outcome.code());
        return audit;
    }
}
