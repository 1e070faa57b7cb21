package io.sidecarinjector.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.render.WorkloadRef;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the pod (template) in a workload document, hands it to a visitor as a Pod, and puts the visitor's pod back.
 * Documents that carry no pod pass through unchanged.
 */
final class PodTemplates {

    /** Kinds whose {@code spec.template} is a pod template. */
    static final Set<String> TEMPLATE_KINDS = Set.of(
            "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController", "DeploymentConfig");

    /** Receives each pod with the name it is reported under ({@code Kind/name}) and returns the pod to keep. */
    interface Visitor {
        Pod visit(String workload, Pod pod, String namespace, WorkloadRef ref) throws CliException;
    }

    private PodTemplates() {}

    /** @return the document, with its pods replaced by what the visitor returned */
    static JsonNode map(JsonNode document, Visitor visitor, Consumer<String> warnings) throws CliException {
        if (!(document instanceof ObjectNode doc)) {
            return document;
        }
        String kind = doc.path("kind").asText("");
        String name = kind + "/" + doc.path("metadata").path("name").asText("(unnamed)");
        String namespace = doc.path("metadata").path("namespace").asText("");
        if (kind.equals("List") && doc.get("items") instanceof ArrayNode items) {
            for (int i = 0; i < items.size(); i++) {
                items.set(i, map(items.get(i), visitor, warnings));
            }
            return doc;
        }
        if (kind.equals("Pod")) {
            Pod pod = toPod(doc, name);
            return Mappers.JSON.valueToTree(visitor.visit(name, pod, namespace, null));
        }
        if (kind.equals("CronJob")) {
            JsonNode jobSpec = doc.path("spec").path("jobTemplate").path("spec");
            if (jobSpec instanceof ObjectNode job && job.get("template") instanceof ObjectNode template) {
                job.set("template", visitTemplate(template, name, namespace, visitor, doc));
            }
            return doc;
        }
        JsonNode template = doc.path("spec").path("template");
        if (template instanceof ObjectNode templateObject && template.has("spec")) {
            if (TEMPLATE_KINDS.contains(kind)) {
                ((ObjectNode) doc.get("spec"))
                        .set("template", visitTemplate(templateObject, name, namespace, visitor, doc));
            } else {
                warnings.accept(
                        name + ": kind " + kind + " has a spec.template but is not a known workload; left as it is");
            }
        }
        return doc;
    }

    /**
     * A template is injected as a pod of its workload, which the proxy reports as its owner (as it will when the
     * controller creates the pod).
     */
    private static JsonNode visitTemplate(
            ObjectNode template, String name, String namespace, Visitor visitor, ObjectNode workload)
            throws CliException {
        ObjectNode podTree = Mappers.JSON.createObjectNode();
        podTree.put("apiVersion", "v1");
        podTree.put("kind", "Pod");
        ObjectNode metadata =
                template.get("metadata") instanceof ObjectNode m ? m.deepCopy() : Mappers.JSON.createObjectNode();
        String workloadName = workload.path("metadata").path("name").asText("");
        podTree.set("metadata", metadata);
        podTree.set("spec", template.get("spec"));
        WorkloadRef ref = new WorkloadRef(
                workloadName,
                namespace,
                workload.path("apiVersion").asText(""),
                workload.path("kind").asText(""));
        Pod injected = visitor.visit(name, toPod(podTree, name), namespace, ref);
        ObjectNode result = Mappers.JSON.valueToTree(injected);
        ObjectNode newTemplate = template.deepCopy();
        ObjectNode newMetadata = (ObjectNode) result.get("metadata");
        if (newMetadata != null && !newMetadata.isEmpty()) {
            newTemplate.set("metadata", newMetadata);
        }
        newTemplate.set("spec", result.get("spec"));
        return newTemplate;
    }

    private static Pod toPod(JsonNode tree, String name) throws CliException {
        try {
            return Mappers.JSON.treeToValue(tree, Pod.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CliException(
                    name + ": the pod template is not a valid pod: " + Messages.oneLine(e.getMessage()), e);
        }
    }

    static Map<String, String> labels(Pod pod) {
        return pod.getMetadata() == null || pod.getMetadata().getLabels() == null
                ? Map.of()
                : pod.getMetadata().getLabels();
    }
}
