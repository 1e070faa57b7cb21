package io.sidecarinjector.render;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.config.Messages;

/**
 * The templates by name: the built-in ones, replaced or extended by those of the injection config. Templates from
 * the config are compiled here, so a template that does not compile never reaches a request.
 */
public final class TemplateCatalog {

    private final Map<String, InjectionTemplate> templates;

    private TemplateCatalog(Map<String, InjectionTemplate> templates) {
        this.templates = Map.copyOf(templates);
    }

    /**
     * @param engine the Qute engine that compiles templates given at run time
     * @param configured template text by name, from the injection config
     * @throws InvalidConfigException naming the template and the line of the first error
     */
    public static TemplateCatalog of(Engine engine, Map<String, String> configured) throws InvalidConfigException {
        Map<String, InjectionTemplate> all = new LinkedHashMap<>();
        all.put("sidecar", new Builtin("sidecar", true));
        all.put("sidecar-cni", new Builtin("sidecar-cni", false));
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            all.put(entry.getKey(), compile(engine, entry.getKey(), entry.getValue()));
        }
        return new TemplateCatalog(all);
    }

    public Optional<InjectionTemplate> get(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    public Set<String> names() {
        return templates.keySet();
    }

    private static InjectionTemplate compile(Engine engine, String name, String text) throws InvalidConfigException {
        if (text == null || text.isBlank()) {
            throw new InvalidConfigException("template '" + name + "' is empty");
        }
        try {
            Template template = engine.parse(text, null, "config-template-" + name);
            return new Configured(name, template);
        } catch (TemplateException e) {
            throw new InvalidConfigException("template '" + name + "' does not compile: " + Messages.oneLine(e.getMessage()), e);
        }
    }

    private record Builtin(String name, boolean initContainer) implements InjectionTemplate {
        @Override
        public String render(TemplateValues values) {
            try {
                return BuiltinTemplates.sidecar(values, initContainer).render();
            } catch (TemplateException e) {
                throw new RenderException("built-in template '" + name + "' failed: " + Messages.oneLine(e.getMessage()), e);
            }
        }
    }

    private record Configured(String name, Template template) implements InjectionTemplate {
        @Override
        public String render(TemplateValues values) {
            try {
                return template.data("v", values).render();
            } catch (TemplateException e) {
                throw new RenderException("template '" + name + "' failed: " + Messages.oneLine(e.getMessage()), e);
            }
        }
    }
}
