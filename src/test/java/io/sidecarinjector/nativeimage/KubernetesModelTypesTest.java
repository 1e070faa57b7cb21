package io.sidecarinjector.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.sidecarinjector.support.Mappers;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KubernetesModelTypesTest {

    final KubernetesModelTypes.Walk walk = KubernetesModelTypes.walk();
    final Set<Class<?>> models = walk.models();
    final Set<Class<?>> handlers = walk.handlers();

    @Test
    void theWalkReachesThePodsPartsAndTheOtherObjectsParts() {
        for (Class<?> expected : List.of(
                HTTPGetAction.class,
                IntOrString.class,
                AnyType.class,
                Quantity.class,
                EphemeralContainer.class,
                Capabilities.class,
                ProjectedVolumeSource.class,
                ServiceAccountTokenProjection.class,
                AdmissionResponse.class,
                StatusDetails.class,
                ServiceReference.class)) {
            assertTrue(models.contains(expected), expected.getName());
        }
        assertTrue(
                handlers.containsAll(
                        List.of(Quantity.Serializer.class, Quantity.Deserializer.class, AnyType.Serializer.class)),
                handlers.toString());
    }

    @Test
    void noBuilderInterfaceOrOtherGroupIsRegistered() {
        for (Class<?> type : models) {
            String name = type.getName();
            assertTrue(!type.isInterface() && !name.endsWith("Builder") && !name.endsWith("Fluent"), name);
            assertTrue(name.startsWith("io.fabric8.kubernetes.api.model."), name);
            assertTrue(!name.contains(".apps.") && !name.contains(".batch."), name);
        }
    }

    /**
     * Jackson's own view of each registered type: every model type that one of its properties holds (directly or
     * in a list or map), and every (de)serializer its annotations name, is registered too. A gap here is a field
     * the native executable would silently drop.
     */
    @Test
    void everyModelTypeAPropertyHoldsIsRegistered() {
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : models) {
            JavaType javaType = Mappers.JSON.constructType(type);
            BeanDescription read = Mappers.JSON.getDeserializationConfig().introspect(javaType);
            BeanDescription write = Mappers.JSON.getSerializationConfig().introspect(javaType);
            for (BeanDescription description : List.of(read, write)) {
                checkHandlers(
                        description.getClassInfo().getAnnotation(JsonSerialize.class),
                        description.getClassInfo().getAnnotation(JsonDeserialize.class),
                        type.getName(),
                        missing);
                for (BeanPropertyDefinition property : description.findProperties()) {
                    Deque<JavaType> types = new ArrayDeque<>(List.of(property.getPrimaryType()));
                    while (!types.isEmpty()) {
                        JavaType t = types.pop();
                        Class<?> raw = t.getRawClass();
                        if (raw.getName().startsWith("io.fabric8.kubernetes.api.model.")
                                && !raw.isInterface()
                                && !raw.isEnum()
                                && !models.contains(raw)) {
                            missing.add(type.getSimpleName() + "." + property.getName() + ": " + raw.getName());
                        }
                        if (t.getContentType() != null) {
                            types.push(t.getContentType());
                        }
                        if (t.getKeyType() != null) {
                            types.push(t.getKeyType());
                        }
                    }
                    if (property.getPrimaryMember() != null) {
                        checkHandlers(
                                property.getPrimaryMember().getAnnotation(JsonSerialize.class),
                                property.getPrimaryMember().getAnnotation(JsonDeserialize.class),
                                type.getSimpleName() + "." + property.getName(),
                                missing);
                    }
                }
            }
        }
        assertEquals(Set.of(), missing);
    }

    /**
     * What the native executable lets Jackson call: every getter, setter and constructor Jackson binds a model type
     * with is callable, and the model's ways into its builders are not (they would bring every builder in).
     */
    @Test
    void jacksonMayCallEveryMemberItBindsWithAndNoBuilder() throws NoSuchMethodException {
        Set<String> refused = new TreeSet<>();
        for (Class<?> type : models) {
            JavaType javaType = Mappers.JSON.constructType(type);
            for (BeanDescription description : List.of(
                    Mappers.JSON.getDeserializationConfig().introspect(javaType),
                    Mappers.JSON.getSerializationConfig().introspect(javaType))) {
                List<AnnotatedMember> members = new ArrayList<>();
                for (BeanPropertyDefinition property : description.findProperties()) {
                    members.add(property.getGetter());
                    members.add(property.getSetter());
                }
                members.add(description.findAnySetterAccessor());
                members.add(description.findAnyGetter());
                for (AnnotatedMember member : members) {
                    if (member instanceof AnnotatedMethod method
                            && !KubernetesModelReflection.boundByJackson(method.getAnnotated())) {
                        refused.add(type.getSimpleName() + "." + method.getName());
                    }
                }
                if (description.findDefaultConstructor() != null
                        && !KubernetesModelReflection.constructsForJackson(
                                description.findDefaultConstructor().getAnnotated())) {
                    refused.add(type.getSimpleName() + " constructor");
                }
            }
        }
        assertEquals(Set.of(), refused);
        assertFalse(KubernetesModelReflection.boundByJackson(Pod.class.getMethod("edit")));
        assertFalse(KubernetesModelReflection.boundByJackson(Pod.class.getMethod("toBuilder")));
        Method bridge = Arrays.stream(Pod.class.getDeclaredMethods())
                .filter(m -> m.getName().equals("edit") && m.isBridge())
                .findFirst()
                .orElseThrow();
        assertFalse(KubernetesModelReflection.boundByJackson(bridge));
        assertTrue(KubernetesModelReflection.boundByJackson(Pod.class.getMethod("getSpec")));
        assertFalse(KubernetesModelReflection.constructsForJackson(Arrays.stream(Pod.class.getConstructors())
                .filter(c -> c.getParameterCount() > 0)
                .findFirst()
                .orElseThrow()));
    }

    private void checkHandlers(
            JsonSerialize serialize, JsonDeserialize deserialize, String where, Set<String> missing) {
        if (serialize != null) {
            checkHandler(serialize.using(), where, missing);
            checkHandler(serialize.contentUsing(), where, missing);
        }
        if (deserialize != null) {
            checkHandler(deserialize.using(), where, missing);
            checkHandler(deserialize.contentUsing(), where, missing);
        }
    }

    private void checkHandler(Class<?> handler, String where, Set<String> missing) {
        if (handler.getName().startsWith("io.fabric8.") && !handlers.contains(handler)) {
            missing.add(where + " names " + handler.getName());
        }
    }
}
