package io.sidecarinjector.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The values key the fragment cache, so their equals and hashCode are written out (see the class's javadoc): every
 * component of every record must take part, or two pods would share a fragment they should not.
 */
class SidecarValuesTest {

    static Stream<Class<?>> records() {
        return Stream.of(
                SidecarValues.class,
                SidecarValues.Workload.class,
                SidecarValues.Capture.class,
                SidecarValues.Proxy.class,
                SidecarValues.GatewayProxy.class,
                SidecarValues.Volumes.class);
    }

    @ParameterizedTest
    @MethodSource("records")
    void everyComponentTakesPartInEqualsAndHashCode(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object base = instance(type, -1);
        assertEquals(base, instance(type, -1));
        assertEquals(base.hashCode(), instance(type, -1).hashCode());
        for (int i = 0; i < components.length; i++) {
            Object changed = instance(type, i);
            assertNotEquals(base, changed, type.getSimpleName() + "." + components[i].getName() + " in equals");
            assertNotEquals(
                    base.hashCode(),
                    changed.hashCode(),
                    type.getSimpleName() + "." + components[i].getName() + " in hashCode");
        }
    }

    /** An instance with every component at a fixed value, and the one at {@code changed} at another. */
    static Object instance(Class<?> type, int changed) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = value(types[i], i == changed);
        }
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        return constructor.newInstance(args);
    }

    static Object value(Class<?> type, boolean other) throws Exception {
        if (type == String.class) {
            return other ? "b" : "a";
        }
        if (type == boolean.class) {
            return other;
        }
        if (type == List.class) {
            List<String> list = new ArrayList<>(List.of("a"));
            if (other) {
                list.add("b");
            }
            return list;
        }
        if (type.isRecord()) {
            return instance(type, other ? 0 : -1);
        }
        throw new IllegalStateException("no test value for " + type);
    }
}
