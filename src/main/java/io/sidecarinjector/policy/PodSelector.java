package io.sidecarinjector.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated Kubernetes LabelSelector. Unlike the API server's, an empty selector matches nothing, as in
 * Istio's always/never selectors: an empty entry must not inject or exclude the whole cluster.
 */
public final class PodSelector {

    private final Map<String, String> matchLabels;
    private final List<LabelSelectorRequirement> expressions;

    private PodSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> expressions) {
        this.matchLabels = matchLabels;
        this.expressions = expressions;
    }

    /** @throws IllegalArgumentException naming what is wrong with the selector */
    public static PodSelector of(LabelSelector selector) {
        if (selector == null) {
            throw new IllegalArgumentException("selector is null");
        }
        Map<String, String> labels =
                selector.getMatchLabels() == null ? Map.of() : Map.copyOf(selector.getMatchLabels());
        List<LabelSelectorRequirement> exprs =
                selector.getMatchExpressions() == null ? List.of() : List.copyOf(selector.getMatchExpressions());
        for (LabelSelectorRequirement r : exprs) {
            validate(r);
        }
        if (!selector.getAdditionalProperties().isEmpty()) {
            throw new IllegalArgumentException("unknown selector field(s) "
                    + selector.getAdditionalProperties().keySet());
        }
        return new PodSelector(labels, exprs);
    }

    private static void validate(LabelSelectorRequirement r) {
        if (r.getKey() == null || r.getKey().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions entry without a key");
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String op = r.getOperator() == null ? "" : r.getOperator();
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("operator " + op + " on key '" + r.getKey() + "' needs values");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException(
                            "operator " + op + " on key '" + r.getKey() + "' takes no values");
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "unknown operator '" + op + "' on key '" + r.getKey() + "' (In, NotIn, Exists, DoesNotExist)");
        }
    }

    public boolean matches(Map<String, String> labels) {
        if (matchLabels.isEmpty() && expressions.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (LabelSelectorRequirement r : expressions) {
            if (!matches(r, labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && Set.copyOf(r.getValues()).contains(value);
            case "NotIn" -> value == null || !Set.copyOf(r.getValues()).contains(value);
            case "Exists" -> value != null;
            default -> value == null; // DoesNotExist; validated at construction
        };
    }

    @Override
    public String toString() {
        return "matchLabels=" + matchLabels + " matchExpressions="
                + expressions.stream()
                        .map(r -> r.getKey() + " " + r.getOperator() + " "
                                + (r.getValues() == null ? "[]" : r.getValues()))
                        .toList();
    }
}
