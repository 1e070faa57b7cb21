package io.sidecarinjector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.support.Mappers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** AdmissionReview requests as the API server sends them, and the patch of an answer decoded. */
public final class Reviews {

    private Reviews() {}

    public static ObjectNode request(String apiVersion, String uid, String namespace, Pod pod) {
        ObjectNode review = Mappers.JSON.createObjectNode();
        review.put("apiVersion", apiVersion);
        review.put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", uid);
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("namespace", namespace);
        request.put("operation", "CREATE");
        request.putObject("userInfo").put("username", "system:serviceaccount:kube-system:replicaset-controller");
        request.set("object", Mappers.JSON.valueToTree(pod));
        request.put("dryRun", false);
        return review;
    }

    public static ObjectNode request(String uid, String namespace, Pod pod) {
        return request("admission.k8s.io/v1", uid, namespace, pod);
    }

    /** The decoded JSON Patch of an answer, or null when it has none. */
    public static JsonNode patch(JsonNode answer) {
        JsonNode patch = answer.path("response").get("patch");
        if (patch == null) {
            return null;
        }
        try {
            return Mappers.JSON.readTree(
                    new String(Base64.getDecoder().decode(patch.asText()), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static String namespaceOf(Pod pod) {
        return pod.getMetadata().getNamespace() == null
                ? "default"
                : pod.getMetadata().getNamespace();
    }
}
