package io.sidecarinjector.inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.support.Mappers;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sidecar.istio.io/status} annotation: every init container, container, volume and image pull secret
 * the templates add, as Istio writes it (an empty list as null), and the revision, so that a later injection can
 * recognise and replace them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"initContainers", "containers", "volumes", "imagePullSecrets", "revision"})
@JsonInclude(JsonInclude.Include.ALWAYS)
@RegisterForReflection
public record InjectionStatus(
        List<String> initContainers,
        List<String> containers,
        List<String> volumes,
        List<String> imagePullSecrets,
        String revision) {

    public static final String ANNOTATION = Annotations.STATUS;

    /** The status of what a set of rendered templates adds, laid over each other. */
    static InjectionStatus of(JsonNode templatePod, String revision) {
        JsonNode spec = templatePod.path("spec");
        return new InjectionStatus(
                names(spec.path("initContainers")),
                names(spec.path("containers")),
                names(spec.path("volumes")),
                names(spec.path("imagePullSecrets")),
                revision == null || revision.isEmpty() ? "default" : revision);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names.isEmpty() ? null : names;
    }

    public String toJson() {
        try {
            return Mappers.JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status annotation could not be written", e);
        }
    }

    /** @return the status, or null when the text is not a status annotation this injector can read */
    public static InjectionStatus parse(String json) {
        try {
            return Mappers.JSON.readValue(json, InjectionStatus.class);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
