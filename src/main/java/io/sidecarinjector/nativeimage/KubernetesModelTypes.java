package io.sidecarinjector.nativeimage;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationList;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes model types that Jackson reads and writes in this service: the roots below and every model type
 * they reach through fields, getters and superclasses, plus the (de)serializers their annotations name.
 * <p>
 * Why a list of our own: left to itself, the Kubernetes client extension registers every model class of the index
 * for reflection with its methods and fields, most of which the injector never touches, which makes the native
 * executable markedly larger; the model jars are therefore out of the index
 * (application.properties) and {@link KubernetesModelReflection} registers these types instead. A type missing
 * here would not fail loudly: Jackson would see a model class without properties and drop its fields;
 * {@code KubernetesModelTypesTest} checks the walk against Jackson's own view of the types.
 */
public final class KubernetesModelTypes {

    /**
     * The objects the service handles: the pod of an admission review (with every part a template, an annotation or
     * the kube-inject command supplies), the review and its response, the ConfigMap that
     * {@code kube-inject --cluster} reads, and the Secret, MutatingWebhookConfiguration, watch events and API-server
     * errors of self-managed TLS.
     */
    public static final List<Class<?>> ROOTS = List.of(
            Pod.class,
            AdmissionReview.class,
            ConfigMap.class,
            Secret.class,
            MutatingWebhookConfiguration.class,
            MutatingWebhookConfigurationList.class,
            WatchEvent.class,
            Status.class);

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private KubernetesModelTypes() {}

    /**
     * @param models the model types, to register with their constructors, methods and fields
     * @param handlers the Jackson (de)serializers that the model types' annotations name, to register with their
     *        constructors
     */
    public record Walk(Set<Class<?>> models, Set<Class<?>> handlers) {}

    /** Walks the model from {@link #ROOTS}. */
    public static Walk walk() {
        Set<Class<?>> models = new LinkedHashSet<>();
        Set<Class<?>> handlers = new LinkedHashSet<>();
        Deque<Type> pending = new ArrayDeque<>(ROOTS);
        while (!pending.isEmpty()) {
            Type type = pending.pop();
            if (type instanceof ParameterizedType parameterized) {
                pending.push(parameterized.getRawType());
                pending.addAll(List.of(parameterized.getActualTypeArguments()));
            } else if (type instanceof GenericArrayType array) {
                pending.push(array.getGenericComponentType());
            } else if (type instanceof WildcardType wildcard) {
                pending.addAll(List.of(wildcard.getUpperBounds()));
            } else if (type instanceof Class<?> c) {
                if (c.isArray()) {
                    pending.push(c.getComponentType());
                } else if (isModel(c) && models.add(c)) {
                    visit(c, pending, handlers);
                }
            }
        }
        return new Walk(Set.copyOf(models), Set.copyOf(handlers));
    }

    /**
     * A concrete class of the model. Interfaces (KubernetesResource, HasMetadata) are left out: a field of such a
     * type is filled by the client's KubernetesDeserializer, which looks the class up by kind.
     */
    private static boolean isModel(Class<?> c) {
        return c.getName().startsWith(MODEL_PACKAGE)
                && !c.isInterface()
                && !c.isEnum()
                && !c.getSimpleName().endsWith("Builder")
                && !c.getSimpleName().endsWith("Fluent");
    }

    private static void visit(Class<?> c, Deque<Type> pending, Set<Class<?>> handlers) {
        if (c.getGenericSuperclass() != null) {
            pending.add(c.getGenericSuperclass());
        }
        collectHandlers(c, handlers);
        for (Field field : c.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                pending.add(field.getGenericType());
                collectHandlers(field, handlers);
            }
        }
        for (Method method : c.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers())
                    && !Modifier.isStatic(method.getModifiers())
                    && !method.isSynthetic()) {
                if (method.getParameterCount() == 0 && method.getReturnType() != void.class) {
                    pending.add(method.getGenericReturnType());
                } else if (method.getParameterCount() == 1) {
                    pending.add(method.getGenericParameterTypes()[0]);
                }
                collectHandlers(method, handlers);
            }
        }
    }

    private static void collectHandlers(AnnotatedElement element, Set<Class<?>> handlers) {
        for (Annotation annotation : element.getAnnotations()) {
            if (annotation instanceof JsonSerialize s) {
                addHandlers(handlers, s.using(), s.contentUsing(), s.keyUsing(), s.nullsUsing());
            } else if (annotation instanceof JsonDeserialize d) {
                addHandlers(handlers, d.using(), d.contentUsing(), d.keyUsing());
            }
        }
    }

    private static void addHandlers(Set<Class<?>> handlers, Class<?>... classes) {
        for (Class<?> handler : classes) {
            // Jackson's own None markers mean "no handler"
            if (handler.getName().startsWith("io.fabric8.")) {
                handlers.add(handler);
            }
        }
    }
}
