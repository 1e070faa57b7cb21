package io.sidecarinjector.reload;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.qute.Engine;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.InjectionResult;
import io.sidecarinjector.inject.InjectionStatus;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.inject.ProxyConfigSource;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.overrides.PodRejectedException;
import io.sidecarinjector.policy.InjectionPolicy;
import io.sidecarinjector.render.FragmentRenderer;
import io.sidecarinjector.render.RenderException;
import io.sidecarinjector.render.TemplateCatalog;
import java.util.function.BooleanSupplier;

/**
 * Turns Istio's documents into a configuration that is known to work: Qute templates compile and render, the
 * default templates exist, and a sample pod injects into a pod with the proxy in it, again and again to the same
 * pod. A configuration that fails here never serves.
 */
public final class ActiveConfigFactory {

    /** Distinct rendered fragments kept parsed: a few hundred workloads' worth. */
    static final int FRAGMENT_CACHE_SIZE = 512;

    private ActiveConfigFactory() {}

    /** A configuration that reads no cluster resources (the command line, tests). */
    public static ActiveConfig build(
            Engine engine,
            IstioDocuments documents,
            String revision,
            IstioSwitches switches,
            BooleanSupplier nodesSupportNativeSidecars)
            throws InvalidConfigException {
        return build(engine, documents, revision, switches, nodesSupportNativeSidecars, ProxyConfigSource.NONE);
    }

    public static ActiveConfig build(
            Engine engine,
            IstioDocuments documents,
            String revision,
            IstioSwitches switches,
            BooleanSupplier nodesSupportNativeSidecars,
            ProxyConfigSource proxyConfigs)
            throws InvalidConfigException {
        TemplateCatalog templates =
                TemplateCatalog.of(engine, documents.injection().templates());
        for (String name : documents.injection().defaultTemplates()) {
            for (String resolved : documents.injection().aliases().getOrDefault(name, java.util.List.of(name))) {
                if (templates.get(resolved).isEmpty()) {
                    String why = templates.unsupported().get(resolved);
                    throw new InvalidConfigException("defaultTemplates names template '" + resolved + "', which "
                            + (why == null ? "does not exist" : "cannot be rendered here: " + why));
                }
            }
        }
        ActiveConfig config = new ActiveConfig(
                documents,
                revision,
                switches,
                nodesSupportNativeSidecars,
                proxyConfigs,
                InjectionPolicy.of(documents.injection()),
                templates,
                new FragmentRenderer(FRAGMENT_CACHE_SIZE));
        selfCheck(config);
        return config;
    }

    /** A pod every configuration must be able to inject. */
    public static Pod samplePod() {
        return samplePod("self-check", "default", "true");
    }

    /**
     * The same pod for another application and namespace, asking for injection with this annotation value: one
     * container with a named port.
     */
    public static Pod samplePod(String app, String namespace, String inject) {
        return new PodBuilder()
                .withNewMetadata()
                .withGenerateName(app + "-")
                .withNamespace(namespace)
                .addToLabels("app", app)
                .addToAnnotations("sidecar.istio.io/inject", inject)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .addNewPort()
                .withContainerPort(8080)
                .withName("http")
                .endPort()
                .endContainer()
                .endSpec()
                .build();
    }

    private static void selfCheck(ActiveConfig served) throws InvalidConfigException {
        // the check asks no cluster: it is about the documents, and it runs before any request
        ActiveConfig config = new ActiveConfig(
                served.documents(),
                served.revision(),
                served.switches(),
                () -> false,
                ProxyConfigSource.NONE,
                served.policy(),
                served.templates(),
                served.fragments());
        Pod sample = samplePod();
        try {
            // the configuration's own templates, each once; the built-in ones are the build's, checked by its tests,
            // and those a pod gets by default are rendered below
            for (String name : config.templates().names()) {
                if (config.templates().isBuiltIn(name)) {
                    continue;
                }
                Pod annotated = new PodBuilder(sample)
                        .editMetadata()
                        .addToAnnotations(Injector.TEMPLATES_ANNOTATION, name)
                        .endMetadata()
                        .build();
                Injector.inject(annotated, "default", config);
            }
            InjectionResult result = Injector.inject(sample, "default", config);
            Pod injected = result.pod();
            if (injected.getMetadata().getAnnotations().get(InjectionStatus.ANNOTATION) == null) {
                throw new InvalidConfigException("self-check: the sample pod was not injected");
            }
            InjectionResult again = Injector.inject(injected, "default", config);
            if (!again.pod().equals(injected)) {
                throw new InvalidConfigException("self-check: injecting the injected sample pod changed it again");
            }
        } catch (RenderException | PodRejectedException e) {
            throw new InvalidConfigException("self-check: " + e.getMessage(), e);
        }
    }
}
