package io.sidecarinjector.reload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        // set field by field rather than through PodBuilder, whose constructor copies a whole Pod and so brings the
        // builder of every type of the Pod graph into a native executable
        ObjectMeta metadata = new ObjectMeta();
        metadata.setGenerateName(app + "-");
        metadata.setNamespace(namespace);
        metadata.setLabels(new LinkedHashMap<>(Map.of("app", app)));
        metadata.setAnnotations(new LinkedHashMap<>(Map.of("sidecar.istio.io/inject", inject)));
        ContainerPort port = new ContainerPort();
        port.setContainerPort(8080);
        port.setName("http");
        Container container = new Container();
        container.setName("app");
        container.setImage("example/app:1");
        container.setPorts(new ArrayList<>(List.of(port)));
        PodSpec spec = new PodSpec();
        spec.setContainers(new ArrayList<>(List.of(container)));
        Pod pod = new Pod();
        pod.setMetadata(metadata);
        pod.setSpec(spec);
        return pod;
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
                Pod annotated = samplePod();
                annotated.getMetadata().getAnnotations().put(Injector.TEMPLATES_ANNOTATION, name);
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
