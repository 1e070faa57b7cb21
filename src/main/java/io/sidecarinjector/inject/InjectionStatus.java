package io.sidecarinjector.inject;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sidecarinjector.config.Mappers;

/**
 * The {@code sidecar.istio.io/status} annotation: what injection added, so that it can be recognised and
 * replaced by a later injection.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({ "initContainers", "containers", "volumes", "imagePullSecrets", "revision" })
@RegisterForReflection
public record InjectionStatus(List<String> initContainers, List<String> containers, List<String> volumes,
        List<String> imagePullSecrets, String revision) {

    public static final String ANNOTATION = io.sidecarinjector.overrides.Annotations.STATUS;

    public InjectionStatus {
        initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
        containers = containers == null ? List.of() : List.copyOf(containers);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
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
