package io.sidecarinjector.render;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.quarkus.qute.TemplateInstance;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.support.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The templates by name. Istio's stock templates are built in; the injection configuration may add Qute templates
 * (text whose first line is {@value #QUTE_MARKER}) or carry Istio's Go templates. A Go template under a stock name
 * is served by the built-in equivalent; one under another name cannot be rendered here: it is listed in
 * {@link #unsupported()} and a pod that asks for it is refused. Text with no template syntax at all is plain YAML
 * and is used as it is. Qute templates are compiled here, so one that does
 * not compile never reaches a request.
 */
public final class TemplateCatalog {

    /** The first line that marks a template of the injection configuration as Qute. */
    public static final String QUTE_MARKER = "{! qute !}";

    /** Istio's stock templates that this injector renders itself. */
    private static final Map<String, Function<SidecarValues, TemplateInstance>> BUILT_IN = Map.of(
            "sidecar", BuiltinTemplates::sidecar,
            "gateway", BuiltinTemplates::gateway,
            "grpc-simple", BuiltinTemplates::grpcSimple,
            "grpc-agent", BuiltinTemplates::grpcAgent);

    /** The names of the built-in templates. */
    static final Set<String> BUILT_IN_NAMES = BUILT_IN.keySet();

    /** Istio's stock templates that render Deployments for istiod's gateway controller, never pods. */
    static final Set<String> DEPLOYMENT_TEMPLATES = Set.of("waypoint", "kube-gateway", "agentgateway");

    private final Map<String, InjectionTemplate> templates;
    private final Map<String, String> unsupported;

    private TemplateCatalog(Map<String, InjectionTemplate> templates, Map<String, String> unsupported) {
        this.templates = Map.copyOf(templates);
        this.unsupported = Map.copyOf(unsupported);
    }

    /**
     * @param engine the Qute engine that compiles templates given at run time
     * @param configured template text by name, from the injection configuration
     * @throws InvalidConfigException naming the template and the first error of a Qute template
     */
    public static TemplateCatalog of(Engine engine, Map<String, String> configured) throws InvalidConfigException {
        Map<String, InjectionTemplate> all = new LinkedHashMap<>();
        BUILT_IN.forEach((name, template) -> all.put(name, new Builtin(name, template)));
        Map<String, String> unsupported = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            String name = entry.getKey();
            String text = entry.getValue() == null ? "" : entry.getValue();
            if (isQute(text)) {
                all.put(name, compile(engine, name, text));
            } else if (!text.contains("{{")) {
                // plain YAML, which Go and Qute would both print as it is
                all.put(name, new Static(name, text));
            } else if (DEPLOYMENT_TEMPLATES.contains(name)) {
                unsupported.put(name, "Istio renders it for gateway Deployments, not for pods");
            } else if (!BUILT_IN.containsKey(name)) {
                unsupported.put(
                        name,
                        "a Go template, which this injector does not render; give a Qute version" + " (first line "
                                + QUTE_MARKER + ") under the same name");
            }
        }
        DEPLOYMENT_TEMPLATES.forEach(
                name -> unsupported.putIfAbsent(name, "Istio renders it for gateway Deployments, not for pods"));
        return new TemplateCatalog(all, unsupported);
    }

    static boolean isQute(String text) {
        String trimmed = text.stripLeading();
        return trimmed.startsWith(QUTE_MARKER);
    }

    public Optional<InjectionTemplate> get(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public Set<String> names() {
        return templates.keySet();
    }

    /** Whether the template of this name is one of the built-in ones (not replaced by the configuration). */
    public boolean isBuiltIn(String name) {
        return templates.get(name) instanceof Builtin;
    }

    /** Templates of the configuration that cannot be rendered here, with the reason, by name. */
    public Map<String, String> unsupported() {
        return unsupported;
    }

    /** Names of the configured Go templates that are not served (neither stock nor Deployment templates). */
    public List<String> unsupportedGoTemplates() {
        List<String> names = new ArrayList<>();
        unsupported.keySet().forEach(name -> {
            if (!DEPLOYMENT_TEMPLATES.contains(name)) {
                names.add(name);
            }
        });
        return names;
    }

    private static InjectionTemplate compile(Engine engine, String name, String text) throws InvalidConfigException {
        try {
            Template template = engine.parse(text, null, "config-template-" + name);
            return new Configured(name, template);
        } catch (TemplateException e) {
            throw new InvalidConfigException(
                    "template '" + name + "' does not compile: " + Messages.oneLine(e.getMessage()), e);
        }
    }

    private record Builtin(String name, Function<SidecarValues, TemplateInstance> template)
            implements InjectionTemplate {
        @Override
        public String render(SidecarValues values) {
            try {
                return template.apply(values).render();
            } catch (TemplateException e) {
                throw new RenderException(
                        "built-in template '" + name + "' failed: " + Messages.oneLine(e.getMessage()), e);
            }
        }
    }

    private record Static(String name, String text) implements InjectionTemplate {
        @Override
        public String render(SidecarValues values) {
            return text;
        }
    }

    private record Configured(String name, Template template) implements InjectionTemplate {
        @Override
        public String render(SidecarValues values) {
            try {
                return template.data("v", values).render();
            } catch (TemplateException e) {
                throw new RenderException("template '" + name + "' failed: " + Messages.oneLine(e.getMessage()), e);
            }
        }
    }
}
