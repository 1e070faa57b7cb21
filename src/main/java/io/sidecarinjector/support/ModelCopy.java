package io.sidecarinjector.support;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Deep copies of Kubernetes model objects, made through their JSON with the mappers' (de)serializers, which every
 * injection uses anyway.
 * <p>
 * Not through the model's builders ({@code new PodBuilder(pod).build()}): copying a pod that way reaches the
 * builder of every type of the Pod graph, code that nothing else in the service runs and that a native executable
 * would otherwise carry. An empty list reads back as empty and a list that was null reads back as empty too, as
 * the model's own defaults make it; no step of the injection tells the two apart.
 */
public final class ModelCopy {

    private ModelCopy() {}

    /** A copy of {@code value} that shares nothing with it. */
    @SuppressWarnings("unchecked")
    public static <T> T of(T value) {
        try {
            return (T) Mappers.JSON.treeToValue(Mappers.JSON.valueToTree(value), value.getClass());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "a " + value.getClass().getSimpleName() + " could not be copied: " + e.getOriginalMessage(), e);
        }
    }
}
