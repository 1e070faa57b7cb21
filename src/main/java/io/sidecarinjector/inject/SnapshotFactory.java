package io.sidecarinjector.inject;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.qute.Engine;
import io.sidecarinjector.config.InjectorConfig;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.policy.InjectionPolicy;
import io.sidecarinjector.render.FragmentRenderer;
import io.sidecarinjector.render.RenderException;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.render.TemplateCatalog;

/**
 * Turns a configuration into a snapshot that is known to work: templates compile, the default templates exist,
 * and a sample pod injects into a pod with the proxy in it. A configuration that fails here never serves.
 */
public final class SnapshotFactory {

    /** Distinct rendered fragments kept parsed: a few hundred workloads' worth. */
    static final int FRAGMENT_CACHE_SIZE = 512;

    private SnapshotFactory() {
    }

    public static InjectorSnapshot build(Engine engine, InjectorConfig config) throws InvalidConfigException {
        TemplateCatalog templates = TemplateCatalog.of(engine, config.injection().templates());
        for (String name : config.injection().defaultTemplates()) {
            if (templates.get(name).isEmpty()) {
                throw new InvalidConfigException("defaultTemplates names unknown template '" + name + "'");
            }
        }
        InjectorSnapshot snapshot = new InjectorSnapshot(config, InjectionPolicy.of(config.injection()), templates,
                new FragmentRenderer(FRAGMENT_CACHE_SIZE));
        selfCheck(snapshot);
        return snapshot;
    }

    /** A pod every configuration must be able to inject. */
    public static Pod samplePod() {
        return new PodBuilder()
                .withNewMetadata().withGenerateName("self-check-").withNamespace("default")
                .addToLabels("app", "self-check").addToAnnotations("sidecar.istio.io/inject", "true").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/app:1")
                .addNewPort().withContainerPort(8080).withName("http").endPort().endContainer().endSpec()
                .build();
    }

    private static void selfCheck(InjectorSnapshot snapshot) throws InvalidConfigException {
        Pod sample = samplePod();
        try {
            for (String name : snapshot.templates().names()) {
                Pod annotated = new PodBuilder(sample).editMetadata()
                        .addToAnnotations(Injector.TEMPLATES_ANNOTATION, name).endMetadata().build();
                Injector.inject(annotated, "default", snapshot);
            }
            InjectionResult result = Injector.inject(sample, "default", snapshot);
            Pod injected = result.pod();
            if (injected.getMetadata().getAnnotations().get(InjectionStatus.ANNOTATION) == null) {
                throw new InvalidConfigException("self-check: the sample pod was not injected");
            }
            InjectionResult again = Injector.inject(injected, "default", snapshot);
            if (!again.pod().equals(injected)) {
                throw new InvalidConfigException("self-check: injecting the injected sample pod changed it again");
            }
        } catch (RenderException | PodRejectedException e) {
            throw new InvalidConfigException("self-check: " + e.getMessage(), e);
        }
    }
}
