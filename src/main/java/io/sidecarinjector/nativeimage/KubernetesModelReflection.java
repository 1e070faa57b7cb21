package io.sidecarinjector.nativeimage;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Arrays;
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
            RuntimeReflection.register(type);
            RuntimeReflection.register(Arrays.stream(type.getDeclaredConstructors())
                    .filter(KubernetesModelReflection::constructsForJackson)
                    .toArray(Constructor[]::new));
            RuntimeReflection.registerAllDeclaredConstructors(type);
            RuntimeReflection.register(Arrays.stream(type.getDeclaredMethods())
                    .filter(KubernetesModelReflection::boundByJackson)
                    .toArray(Method[]::new));
            RuntimeReflection.register(type.getDeclaredFields());
            RuntimeReflection.registerAllDeclaredMethods(type);
            RuntimeReflection.registerAllDeclaredFields(type);
        }
        for (Class<?> handler : walk.handlers()) {
            register(handler);
        }
    }

    /**
     * Whether Jackson may call the method: all but the bridges the compiler adds, which Jackson skips, and those
     * that hand out a builder ({@code edit()}, {@code toBuilder()}, and their bridges), which Jackson never calls
     * and which, callable, would bring the builder of every type of the Pod graph into the executable. Jackson
     * still sees them listed.
     */
    static boolean boundByJackson(Method method) {
        String returned = method.getReturnType().getSimpleName();
        return !method.isSynthetic() && !returned.endsWith("Builder") && !returned.endsWith("Fluent");
    }

    /**
     * Whether Jackson may create objects with the constructor: the one without parameters, or one marked as
     * Jackson's creator; the others, which take every field, only the builders call.
     */
    static boolean constructsForJackson(Constructor<?> constructor) {
        return constructor.getParameterCount() == 0 || constructor.isAnnotationPresent(JsonCreator.class);
    }

    private static void register(Class<?> type) {
        RuntimeReflection.register(type);
        RuntimeReflection.register(type.getDeclaredConstructors());
        RuntimeReflection.registerAllDeclaredConstructors(type);
    }
}
