package io.sidecarinjector.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * TemplateValues writes its equals and hashCode out (see there), so nothing but this test notices a component
 * that is added and left out of them: two values that differ in it would share a cached fragment.
 */
class TemplateValuesTest {

    private static final RecordComponent[] COMPONENTS = TemplateValues.class.getRecordComponents();

    private static Object sample(Class<?> type, int variant) {
        if (type == String.class) {
            return "value-" + variant;
        } else if (type == int.class) {
            return 15000 + variant;
        } else if (type == long.class) {
            return 1337L + variant;
        } else if (type == boolean.class) {
            return variant % 2 == 1;
        } else if (type == List.class) {
            return List.of("item-" + variant);
        }
        throw new AssertionError("no sample for a component of type " + type + ": add one");
    }

    private static TemplateValues values(Object[] arguments) throws ReflectiveOperationException {
        Class<?>[] types = Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<TemplateValues> canonical = TemplateValues.class.getDeclaredConstructor(types);
        return canonical.newInstance(arguments);
    }

    private static Object[] base() {
        return Arrays.stream(COMPONENTS).map(c -> sample(c.getType(), 0)).toArray();
    }

    @Test
    void equalComponentsMakeEqualValuesWithEqualHashes() throws ReflectiveOperationException {
        TemplateValues a = values(base());
        TemplateValues b = values(base());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void everyComponentTakesPartInEqualsAndHashCode() throws ReflectiveOperationException {
        TemplateValues reference = values(base());
        for (int i = 0; i < COMPONENTS.length; i++) {
            Object[] changed = base();
            changed[i] = sample(COMPONENTS[i].getType(), 1);
            TemplateValues other = values(changed);
            assertNotEquals(reference, other, "equals ignores " + COMPONENTS[i].getName());
            assertNotEquals(reference.hashCode(), other.hashCode(), "hashCode ignores " + COMPONENTS[i].getName());
        }
    }
}
