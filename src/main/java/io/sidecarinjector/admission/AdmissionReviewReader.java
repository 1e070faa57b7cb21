package io.sidecarinjector.admission;

import java.io.IOException;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.config.Mappers;
import io.sidecarinjector.config.Messages;

/** Reads an AdmissionReview (v1 or v1beta1) for a pod, and says precisely what is wrong with one that is not. */
public final class AdmissionReviewReader {

    public static final String V1 = "admission.k8s.io/v1";
    public static final String V1BETA1 = "admission.k8s.io/v1beta1";
    private static final Set<String> VERSIONS = Set.of(V1, V1BETA1);
    /** Anything after the review (a second document, garbage) is an error, not silently ignored. */
    private static final ObjectReader READER = Mappers.JSON.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AdmissionReviewReader() {
    }

    public static PodAdmissionRequest read(byte[] body) throws InvalidAdmissionReviewException {
        try {
            return parseReview(body);
        } catch (RuntimeException e) {
            // a body that trips over a case this reader did not foresee is still the caller's bad input
            throw new InvalidAdmissionReviewException("request could not be read: " + oneLine(e.toString()), e);
        }
    }

    private static PodAdmissionRequest parseReview(byte[] body) throws InvalidAdmissionReviewException {
        if (body == null || body.length == 0) {
            throw new InvalidAdmissionReviewException("empty body: expected an AdmissionReview");
        }
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw new InvalidAdmissionReviewException("body is a JSON " + root.getNodeType().name().toLowerCase()
                    + ", expected an AdmissionReview object");
        }
        String apiVersion = text(root, "apiVersion");
        if (apiVersion == null || !VERSIONS.contains(apiVersion)) {
            throw new InvalidAdmissionReviewException("apiVersion " + describe(root.get("apiVersion"))
                    + " is not supported: use admission.k8s.io/v1 or admission.k8s.io/v1beta1");
        }
        String kind = text(root, "kind");
        if (!"AdmissionReview".equals(kind)) {
            throw new InvalidAdmissionReviewException("kind " + describe(root.get("kind"))
                    + " is not AdmissionReview");
        }
        JsonNode request = root.get("request");
        if (request == null || !request.isObject()) {
            throw new InvalidAdmissionReviewException("AdmissionReview has no request object");
        }
        String uid = text(request, "uid");
        if (uid == null || uid.isEmpty()) {
            throw new InvalidAdmissionReviewException("request.uid is missing or not a string");
        }
        JsonNode object = request.get("object");
        if (object == null || !object.isObject()) {
            throw new InvalidAdmissionReviewException("request.object is missing or not an object");
        }
        String objectKind = text(object, "kind");
        String requestKind = request.path("kind").isObject() ? text(request.get("kind"), "kind") : null;
        String effectiveKind = objectKind != null ? objectKind : requestKind;
        if (!"Pod".equals(effectiveKind)) {
            throw new InvalidAdmissionReviewException("request.object is a " + describe(effectiveKind == null ? null
                    : Mappers.JSON.getNodeFactory().textNode(effectiveKind)) + ", not a Pod");
        }
        String namespace = text(request, "namespace");
        String operation = text(request, "operation");
        Pod pod = toPod(object);
        if (namespace == null && pod.getMetadata() != null) {
            namespace = pod.getMetadata().getNamespace();
        }
        return new PodAdmissionRequest(apiVersion, uid, namespace == null ? "" : namespace,
                operation == null ? "CREATE" : operation, pod);
    }

    private static JsonNode parse(byte[] body) throws InvalidAdmissionReviewException {
        try {
            JsonNode root = READER.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new InvalidAdmissionReviewException("body holds no JSON value: expected an AdmissionReview");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new InvalidAdmissionReviewException("body is not acceptable JSON: " + oneLine(e.getMessage()), e);
        } catch (JsonParseException e) {
            throw new InvalidAdmissionReviewException("body is not valid JSON" + at(e) + ": "
                    + oneLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new InvalidAdmissionReviewException("body is not valid JSON: " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidAdmissionReviewException("body could not be read: " + oneLine(e.getMessage()), e);
        }
    }

    private static Pod toPod(JsonNode object) throws InvalidAdmissionReviewException {
        try {
            return Mappers.JSON.treeToValue(object, Pod.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new InvalidAdmissionReviewException("request.object is not a valid Pod: " + oneLine(message), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "(none)";
        }
        return value.isTextual() ? "'" + Messages.shown(value.asText()) + "'" : Messages.shown(value.toString());
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column "
                + e.getLocation().getColumnNr();
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = Messages.oneLine(message)
                .replace("Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
