package io.sidecarinjector.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.sidecarinjector.istio.InjectionConfig;
import io.sidecarinjector.istio.IstioDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision rules as a table: each row a named pod and configuration, and the rule that must decide. */
class InjectionPolicyTest {

    private static final String KEY = InjectionPolicy.INJECT_KEY;

    record Case(
            String name,
            String policy,
            String namespace,
            boolean hostNetwork,
            Map<String, String> labels,
            Map<String, String> annotations,
            List<LabelSelector> never,
            List<LabelSelector> always,
            Outcome expected,
            boolean warns) {

        Case warning() {
            return new Case(name, policy, namespace, hostNetwork, labels, annotations, never, always, expected, true);
        }

        Case never(LabelSelector... selectors) {
            return new Case(
                    name,
                    policy,
                    namespace,
                    hostNetwork,
                    labels,
                    annotations,
                    List.of(selectors),
                    always,
                    expected,
                    warns);
        }

        Case always(LabelSelector... selectors) {
            return new Case(
                    name,
                    policy,
                    namespace,
                    hostNetwork,
                    labels,
                    annotations,
                    never,
                    List.of(selectors),
                    expected,
                    warns);
        }

        Case inNamespace(String ns) {
            return new Case(name, policy, ns, hostNetwork, labels, annotations, never, always, expected, warns);
        }

        Case onHostNetwork() {
            return new Case(name, policy, namespace, true, labels, annotations, never, always, expected, warns);
        }
    }

    static Case row(
            String name, String policy, Map<String, String> labels, Map<String, String> annotations, Outcome expected) {
        return new Case(name, policy, "demo", false, labels, annotations, List.of(), List.of(), expected, false);
    }

    static LabelSelector labels(String key, String value) {
        return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
    }

    static LabelSelector expr(String key, String op, String... values) {
        return new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey(key)
                .withOperator(op)
                .withValues(values.length == 0 ? null : List.of(values))
                .endMatchExpression()
                .build();
    }

    static Stream<Arguments> table() {
        Map<String, String> none = Map.of();
        List<Case> rows = new ArrayList<>();
        // policy x explicit choice, for every class of value
        for (String policy : List.of("enabled", "disabled")) {
            Outcome byDefault = policy.equals("enabled") ? Outcome.POLICY_ENABLED : Outcome.POLICY_DISABLED;
            rows.add(row(policy + ", no override", policy, none, none, byDefault));
            rows.add(row(policy + ", annotation true", policy, none, Map.of(KEY, "true"), Outcome.EXPLICITLY_ENABLED));
            rows.add(row(
                    policy + ", annotation false", policy, none, Map.of(KEY, "false"), Outcome.EXPLICITLY_DISABLED));
            rows.add(row(policy + ", label true", policy, Map.of(KEY, "true"), none, Outcome.EXPLICITLY_ENABLED));
            rows.add(row(policy + ", label false", policy, Map.of(KEY, "false"), none, Outcome.EXPLICITLY_DISABLED));
            rows.add(row(policy + ", annotation empty", policy, none, Map.of(KEY, ""), byDefault));
            rows.add(row(policy + ", label empty", policy, Map.of(KEY, ""), none, byDefault));
            for (String garbage : List.of("yes", "TRUE", "on", "False", "1", "maybe\nnot")) {
                rows.add(row(policy + ", annotation '" + garbage + "'", policy, none, Map.of(KEY, garbage), byDefault)
                        .warning());
                rows.add(row(policy + ", label '" + garbage + "'", policy, Map.of(KEY, garbage), none, byDefault)
                        .warning());
            }
        }
        // label before annotation
        rows.add(row(
                "label false beats annotation true",
                "enabled",
                Map.of(KEY, "false"),
                Map.of(KEY, "true"),
                Outcome.EXPLICITLY_DISABLED));
        rows.add(row(
                "label true beats annotation false",
                "disabled",
                Map.of(KEY, "true"),
                Map.of(KEY, "false"),
                Outcome.EXPLICITLY_ENABLED));
        rows.add(row(
                        "garbage label: no explicit choice, the annotation is not consulted",
                        "disabled",
                        Map.of(KEY, "yes"),
                        Map.of(KEY, "true"),
                        Outcome.POLICY_DISABLED)
                .warning());
        // selectors
        Map<String, String> app = Map.of("app", "legacy", "tier", "db");
        rows.add(row("never matchLabels", "enabled", app, none, Outcome.NEVER_INJECT_SELECTOR)
                .never(labels("app", "legacy")));
        rows.add(row("never matchLabels, no match", "enabled", app, none, Outcome.POLICY_ENABLED)
                .never(labels("app", "other")));
        rows.add(row("always matchLabels", "disabled", app, none, Outcome.ALWAYS_INJECT_SELECTOR)
                .always(labels("tier", "db")));
        rows.add(row("always In", "disabled", app, none, Outcome.ALWAYS_INJECT_SELECTOR)
                .always(expr("tier", "In", "db", "cache")));
        rows.add(row("always In, no match", "disabled", app, none, Outcome.POLICY_DISABLED)
                .always(expr("tier", "In", "web")));
        rows.add(row("never NotIn", "enabled", app, none, Outcome.NEVER_INJECT_SELECTOR)
                .never(expr("tier", "NotIn", "web")));
        rows.add(row("never NotIn on an absent label", "enabled", app, none, Outcome.NEVER_INJECT_SELECTOR)
                .never(expr("zone", "NotIn", "a")));
        rows.add(row("never NotIn, no match", "enabled", app, none, Outcome.POLICY_ENABLED)
                .never(expr("tier", "NotIn", "db")));
        rows.add(row("always Exists", "disabled", app, none, Outcome.ALWAYS_INJECT_SELECTOR)
                .always(expr("tier", "Exists")));
        rows.add(row("always Exists, no match", "disabled", app, none, Outcome.POLICY_DISABLED)
                .always(expr("zone", "Exists")));
        rows.add(row("never DoesNotExist", "enabled", app, none, Outcome.NEVER_INJECT_SELECTOR)
                .never(expr("zone", "DoesNotExist")));
        rows.add(row("never DoesNotExist, no match", "enabled", app, none, Outcome.POLICY_ENABLED)
                .never(expr("tier", "DoesNotExist")));
        rows.add(row("matchLabels and expressions must all hold", "disabled", app, none, Outcome.POLICY_DISABLED)
                .always(new LabelSelectorBuilder(labels("app", "legacy"))
                        .addNewMatchExpression()
                        .withKey("tier")
                        .withOperator("In")
                        .withValues("web")
                        .endMatchExpression()
                        .build()));
        rows.add(row("never wins over always", "enabled", app, none, Outcome.NEVER_INJECT_SELECTOR)
                .never(labels("app", "legacy"))
                .always(labels("tier", "db")));
        rows.add(row("first matching never selector", "enabled", app, none, Outcome.NEVER_INJECT_SELECTOR)
                .never(labels("app", "other"), expr("tier", "Exists")));
        rows.add(row("empty selector matches nothing", "disabled", app, none, Outcome.POLICY_DISABLED)
                .always(new LabelSelector()));
        rows.add(row("invalid selector (unknown operator) is ignored", "disabled", app, none, Outcome.POLICY_DISABLED)
                .always(expr("tier", "Like", "d*")));
        rows.add(row("invalid selector (In without values) is ignored", "enabled", app, none, Outcome.POLICY_ENABLED)
                .never(expr("tier", "In")));
        rows.add(row("invalid selector (Exists with values) is ignored", "enabled", app, none, Outcome.POLICY_ENABLED)
                .never(expr("tier", "Exists", "db")));
        // selectors vs explicit choice
        rows.add(row(
                        "explicit true beats never selector",
                        "enabled",
                        Map.of("app", "legacy", KEY, "true"),
                        none,
                        Outcome.EXPLICITLY_ENABLED)
                .never(labels("app", "legacy")));
        rows.add(row(
                        "explicit false beats always selector",
                        "enabled",
                        app,
                        Map.of(KEY, "false"),
                        Outcome.EXPLICITLY_DISABLED)
                .always(labels("app", "legacy")));
        // host network and namespaces come first
        rows.add(row("hostNetwork beats explicit true", "enabled", none, Map.of(KEY, "true"), Outcome.HOST_NETWORK)
                .onHostNetwork());
        for (String ns : List.of("kube-system", "kube-public", "kube-node-lease", "local-path-storage")) {
            rows.add(row("ignored namespace " + ns, "enabled", none, Map.of(KEY, "true"), Outcome.IGNORED_NAMESPACE)
                    .inNamespace(ns));
        }
        rows.add(row("a namespace not ignored", "enabled", none, none, Outcome.POLICY_ENABLED)
                .inNamespace("default"));
        // already injected pods go through the same rules (they are re-injected, not refused)
        rows.add(row(
                "already injected", "enabled", none, Map.of("sidecar.istio.io/status", "{}"), Outcome.POLICY_ENABLED));
        // a label that is present decides, even empty: then there is no explicit choice and the annotation is not read
        rows.add(row(
                "empty label hides the annotation",
                "enabled",
                Map.of(KEY, ""),
                Map.of(KEY, "false"),
                Outcome.POLICY_ENABLED));
        // invalid policy disables injection, even for an explicit true
        rows.add(row("invalid policy", "sometimes", none, none, Outcome.INVALID_POLICY));
        rows.add(row(
                "invalid policy with explicit true", "sometimes", none, Map.of(KEY, "true"), Outcome.INVALID_POLICY));
        return rows.stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Case c) {
        InjectionConfig config = new InjectionConfig(
                c.policy(), List.of("sidecar"), Map.of(), Map.of(), c.never(), c.always(), Map.of(), null);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withGenerateName("p-")
                .withLabels(c.labels())
                .withAnnotations(c.annotations())
                .endMetadata()
                .withNewSpec()
                .withHostNetwork(c.hostNetwork())
                .addNewContainer()
                .withName("app")
                .withImage("app")
                .endContainer()
                .endSpec()
                .build();

        Decision decision = InjectionPolicy.of(config).decide(pod, c.namespace());

        assertEquals(c.expected(), decision.outcome(), decision.summary());
        assertEquals(c.expected().inject(), decision.inject());
        assertEquals(c.warns(), !decision.warnings().isEmpty(), "warnings: " + decision.warnings());
        if (c.warns()) {
            assertTrue(
                    decision.warnings().get(0).contains("only \"true\" and \"false\" are accepted"),
                    decision.warnings().get(0));
            assertTrue(decision.warnings().get(0).lines().count() == 1, "a warning is one line");
        }
    }

    @Test
    void summariesNameTheRuleAndWhatItSaw() {
        InjectionPolicy policy = InjectionPolicy.of(IstioDocuments.defaults().injection());
        Pod refused = new PodBuilder()
                .withNewMetadata()
                .addToAnnotations(KEY, "false")
                .endMetadata()
                .build();
        Pod onHost =
                new PodBuilder().withNewSpec().withHostNetwork(true).endSpec().build();
        assertEquals(
                "skipped: pod annotation sidecar.istio.io/inject=false",
                policy.decide(refused, "demo").summary());
        assertEquals("skipped: hostNetwork", policy.decide(onHost, "demo").summary());
        assertEquals("injected", policy.decide(new Pod(), "demo").summary());
        assertEquals(
                "skipped: namespace kube-system is ignored",
                policy.decide(new Pod(), "kube-system").summary());
    }

    @Test
    void invalidSelectorsAreReportedAsConfigurationProblems() {
        InjectionConfig config = new InjectionConfig(
                "enabled",
                List.of("sidecar"),
                Map.of(),
                Map.of(),
                List.of(),
                List.of(expr("a", "Like", "b")),
                Map.of(),
                null);
        List<String> problems = InjectionPolicy.of(config).configProblems();
        assertEquals(1, problems.size());
        assertTrue(
                problems.get(0).contains("alwaysInjectSelector[0]")
                        && problems.get(0).contains("'Like'"),
                problems.get(0));
    }
}
