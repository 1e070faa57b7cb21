package io.sidecarinjector.admission;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Messages;
import java.io.IOException;
import java.util.Set;

/**
 * Reads an AdmissionReview (v1 or v1beta1) for a pod, and says precisely what is wrong with one that is not.
 * The body is read once as a stream of tokens: every byte of it is checked (syntax, duplicate keys, nesting
 * depth, nothing after the review) while only the few fields that the answer depends on are kept, and the pod
 * is located rather than built.
 */
public final class AdmissionReviewReader {

    public static final String V1 = "admission.k8s.io/v1";
    public static final String V1BETA1 = "admission.k8s.io/v1beta1";
    private static final Set<String> VERSIONS = Set.of(V1, V1BETA1);

    private AdmissionReviewReader() {}

    /** Reads the review and the pod in it. */
    public static PodAdmissionRequest read(byte[] body) throws InvalidAdmissionReviewException {
        return scan(body).bind();
    }

    /** Checks the review and locates the pod in it, without reading the pod into the model. */
    public static ReviewEnvelope scan(byte[] body) throws InvalidAdmissionReviewException {
        if (body == null || body.length == 0) {
            throw new InvalidAdmissionReviewException("empty body: expected an AdmissionReview");
        }
        Fields fields;
        try {
            fields = tokens(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidAdmissionReviewException("body is not acceptable JSON: " + oneLine(e.getMessage()), e);
        } catch (JsonParseException e) {
            throw new InvalidAdmissionReviewException(
                    "body is not valid JSON" + at(e) + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new InvalidAdmissionReviewException("body is not valid JSON: " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException | RuntimeException e) {
            // a body that trips over a case this reader did not foresee is still the caller's bad input
            throw new InvalidAdmissionReviewException("body could not be read: " + oneLine(e.toString()), e);
        }
        return envelope(body, fields);
    }

    /** What the token pass keeps. Field values are kept as small trees, so that a wrong one can be shown. */
    private static final class Fields {
        JsonToken root;
        JsonNode apiVersion;
        JsonNode kind;
        JsonToken request;
        JsonNode uid;
        JsonNode namespace;
        JsonNode operation;
        JsonNode requestKind;
        JsonToken object;
        int objectStart;
        int objectEnd;
        JsonNode objectKind;
        JsonNode podName;
        JsonNode podGenerateName;
        JsonNode podNamespace;
    }

    private static Fields tokens(byte[] body) throws IOException {
        Fields f = new Fields();
        try (JsonParser p = Mappers.JSON.createParser(body)) {
            f.root = p.nextToken();
            if (f.root != null) {
                eachField(p, (name, value) -> {
                    switch (name) {
                        case "apiVersion" -> f.apiVersion = value(p);
                        case "kind" -> f.kind = value(p);
                        case "request" -> {
                            f.request = value;
                            request(p, f);
                        }
                        default -> p.skipChildren();
                    }
                });
                if (p.nextToken() != null) {
                    throw new JsonParseException(p, "unexpected content after the AdmissionReview (a second value?)");
                }
            }
        }
        return f;
    }

    /**
     * A field's value as a small tree: a string as it is (the usual case, without the deserialization context Jackson
     * makes for every tree it reads), anything else as Jackson reads it.
     */
    private static JsonNode value(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_STRING ? TextNode.valueOf(p.getText()) : p.readValueAsTree();
    }

    /** Reads one field; the parser is at the value's first token and must be left at its last. */
    @FunctionalInterface
    private interface FieldReader {
        void read(String name, JsonToken value) throws IOException;
    }

    /**
     * The fields of the object the parser is at, in order. A value that is not an object is skipped whole: what a
     * wrong type means is for the checks after the token pass to say.
     */
    private static void eachField(JsonParser p, FieldReader reader) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            reader.read(name, p.nextToken());
        }
    }

    private static void request(JsonParser p, Fields f) throws IOException {
        eachField(p, (name, value) -> {
            switch (name) {
                case "uid" -> f.uid = value(p);
                case "namespace" -> f.namespace = value(p);
                case "operation" -> f.operation = value(p);
                case "kind" ->
                    eachField(p, (field, v) -> {
                        if (field.equals("kind")) {
                            f.requestKind = value(p);
                        } else {
                            p.skipChildren();
                        }
                    });
                case "object" -> {
                    f.object = value;
                    f.objectStart = (int) p.currentTokenLocation().getByteOffset();
                    object(p, f);
                    f.objectEnd = (int) p.currentTokenLocation().getByteOffset() + 1;
                }
                default -> p.skipChildren();
            }
        });
    }

    private static void object(JsonParser p, Fields f) throws IOException {
        eachField(p, (name, value) -> {
            switch (name) {
                case "kind" -> f.objectKind = value(p);
                case "metadata" ->
                    eachField(p, (field, v) -> {
                        switch (field) {
                            case "name" -> f.podName = value(p);
                            case "generateName" -> f.podGenerateName = value(p);
                            case "namespace" -> f.podNamespace = value(p);
                            default -> p.skipChildren();
                        }
                    });
                default -> p.skipChildren();
            }
        });
    }

    private static ReviewEnvelope envelope(byte[] body, Fields f) throws InvalidAdmissionReviewException {
        if (f.root == null) {
            throw new InvalidAdmissionReviewException("body holds no JSON value: expected an AdmissionReview");
        }
        if (f.root != JsonToken.START_OBJECT) {
            throw new InvalidAdmissionReviewException(
                    "body is a JSON " + typeName(f.root) + ", expected an AdmissionReview object");
        }
        String apiVersion = text(f.apiVersion);
        if (apiVersion == null || !VERSIONS.contains(apiVersion)) {
            throw new InvalidAdmissionReviewException("apiVersion " + describe(f.apiVersion)
                    + " is not supported: use admission.k8s.io/v1 or admission.k8s.io/v1beta1");
        }
        if (!"AdmissionReview".equals(text(f.kind))) {
            throw new InvalidAdmissionReviewException("kind " + describe(f.kind) + " is not AdmissionReview");
        }
        if (f.request != JsonToken.START_OBJECT) {
            throw new InvalidAdmissionReviewException("AdmissionReview has no request object");
        }
        String uid = text(f.uid);
        if (uid == null || uid.isEmpty()) {
            throw new InvalidAdmissionReviewException("request.uid is missing or not a string");
        }
        if (f.object != JsonToken.START_OBJECT) {
            throw new InvalidAdmissionReviewException("request.object is missing or not an object");
        }
        String objectKind = text(f.objectKind);
        String effectiveKind = objectKind != null ? objectKind : text(f.requestKind);
        if (!"Pod".equals(effectiveKind)) {
            throw new InvalidAdmissionReviewException("request.object is a "
                    + describe(
                            effectiveKind == null
                                    ? null
                                    : Mappers.JSON.getNodeFactory().textNode(effectiveKind)) + ", not a Pod");
        }
        String namespace = optionalString(f.namespace, "request.namespace");
        String podNamespace = optionalString(f.podNamespace, "request.object.metadata.namespace");
        if (namespace == null) {
            namespace = podNamespace;
        }
        String operation = optionalString(f.operation, "request.operation");
        String podName = optionalString(f.podName, "request.object.metadata.name");
        String generateName = optionalString(f.podGenerateName, "request.object.metadata.generateName");
        if (podName == null) {
            podName = generateName;
        }
        return new ReviewEnvelope(
                apiVersion,
                uid,
                namespace == null ? "" : namespace,
                operation == null ? "CREATE" : operation,
                podName == null ? "" : podName,
                body,
                f.objectStart,
                f.objectEnd - f.objectStart);
    }

    private static String typeName(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase();
        };
    }

    private static String text(JsonNode value) {
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /**
     * A field that the answer depends on and that may be absent or null: any other value than a string is refused
     * with its path, as the Kubernetes schema refuses it (rather than read as absent, or a number as its digits).
     */
    private static String optionalString(JsonNode value, String path) throws InvalidAdmissionReviewException {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidAdmissionReviewException(path + ": expected a string, got " + article(value)
                    + (value.isValueNode() ? " (" + Messages.shown(value.toString()) + ")" : ""));
        }
        return value.asText();
    }

    private static String article(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "a " + value.getNodeType().name().toLowerCase();
        };
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "(none)";
        }
        return value.isTextual() ? "'" + Messages.shown(value.asText()) + "'" : Messages.shown(value.toString());
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + " column "
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
