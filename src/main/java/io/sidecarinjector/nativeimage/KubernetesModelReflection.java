package io.sidecarinjector.nativeimage;

import org.graalvm.nativeimage.hosted.Feature;
import org.graalvm.nativeimage.hosted.RuntimeReflection;

/**
 * Registers {@link KubernetesModelTypes} for reflection while the native image is built (named in
 * META-INF/native-image/.../native-image.properties, so every native build applies it): the model types with their
 * constructors, methods and fields, as Jackson binds them, and the (de)serializers their annotations name.
 */
public final class KubernetesModelReflection implements Feature {

    @Override
    public String getDescription() {
        return "Registers the Kubernetes model types the sidecar injector reads and writes";
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        KubernetesModelTypes.Walk walk = KubernetesModelTypes.walk();
        // each member twice: register(...) makes it callable, registerAllDeclared...(type) makes getDeclared...()
        // list it, and Jackson does both
        for (Class<?> type : walk.models()) {
            register(type);
            RuntimeReflection.register(type.getDeclaredMethods());
            RuntimeReflection.register(type.getDeclaredFields());
            RuntimeReflection.registerAllDeclaredMethods(type);
            RuntimeReflection.registerAllDeclaredFields(type);
        }
        for (Class<?> handler : walk.handlers()) {
            register(handler);
        }
    }

    private static void register(Class<?> type) {
        RuntimeReflection.register(type);
        RuntimeReflection.register(type.getDeclaredConstructors());
        RuntimeReflection.registerAllDeclaredConstructors(type);
    }
}
