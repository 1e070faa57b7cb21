package io.sidecarinjector.render;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload a pod belongs to, as Istio names it for the proxy ({@code ISTIO_META_WORKLOAD_NAME},
 * {@code ISTIO_META_OWNER}) and for the canonical-name label.
 *
 * @param name the workload's name (a Deployment's rather than its ReplicaSet's)
 * @param namespace its namespace, possibly empty
 * @param apiVersion the controller's API version ({@code v1} for a bare pod)
 * @param kind the controller's kind ({@code Pod} for a bare pod)
 */
public record WorkloadRef(String name, String namespace, String apiVersion, String kind) {

    private static final Pattern CRON_JOB_NAME = Pattern.compile("(.+)-\\d{8,10}");

    /**
     * The workload of a pod as the API server sends it: guessed from its controller, as Istio guesses it.
     *
     * @param requestNamespace the namespace of the request, for a pod that names none
     */
    public static WorkloadRef of(Pod pod, String requestNamespace) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        String podName = meta.getName() == null ? "" : meta.getName();
        String namespace = meta.getNamespace() != null && !meta.getNamespace().isEmpty()
                ? meta.getNamespace()
                : requestNamespace == null ? "" : requestNamespace;
        String name = podName;
        String apiVersion = "v1";
        String kind = "Pod";
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        if (meta.getGenerateName() != null && !meta.getGenerateName().isEmpty() && meta.getOwnerReferences() != null) {
            OwnerReference controller = meta.getOwnerReferences().stream()
                    .filter(o -> Boolean.TRUE.equals(o.getController()))
                    .findFirst()
                    .orElse(null);
            if (controller != null) {
                apiVersion = controller.getApiVersion() == null ? "" : controller.getApiVersion();
                kind = controller.getKind() == null ? "" : controller.getKind();
                name = controller.getName() == null ? "" : controller.getName();
                String hash = labels.getOrDefault("pod-template-hash", "");
                String rolloutHash = labels.getOrDefault("rollouts-pod-template-hash", "");
                if ("ReplicaSet".equals(kind) && !hash.isEmpty() && name.endsWith(hash)) {
                    name = trimSuffix(name, "-" + hash);
                    kind = "Deployment";
                } else if ("ReplicaSet".equals(kind) && !rolloutHash.isEmpty() && name.endsWith(rolloutHash)) {
                    name = trimSuffix(name, "-" + rolloutHash);
                    kind = "Rollout";
                    apiVersion = "v1alpha1";
                } else if ("ReplicationController".equals(kind)
                        && !labels.getOrDefault("deploymentconfig", "").isEmpty()) {
                    name = labels.get("deploymentconfig");
                    kind = "DeploymentConfig";
                } else if ("Job".equals(kind)) {
                    Matcher cron = CRON_JOB_NAME.matcher(name);
                    if (cron.matches()) {
                        name = cron.group(1);
                        kind = "CronJob";
                        apiVersion = "batch/v1";
                    }
                }
            }
        }
        if (name == null || name.isEmpty()) {
            name = podName;
        }
        return new WorkloadRef(name, namespace, apiVersion == null ? "" : apiVersion, kind == null ? "" : kind);
    }

    private static String trimSuffix(String value, String suffix) {
        return value.endsWith(suffix) ? value.substring(0, value.length() - suffix.length()) : value;
    }

    /** {@code kubernetes://apis/<apiVersion>/namespaces/<ns>/<kind>s/<name>}, or empty when not known. */
    public String owner() {
        if (apiVersion.isEmpty() || name.isEmpty()) {
            return "";
        }
        return "kubernetes://apis/" + apiVersion + "/namespaces/" + (namespace.isEmpty() ? "default" : namespace) + "/"
                + kind.toLowerCase(java.util.Locale.ROOT) + "s/" + name;
    }
}
