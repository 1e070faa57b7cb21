package io.sidecarinjector.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.sidecarinjector.support.Mappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;

/**
 * Writes an AdmissionReview answer in the version the request came in. The v1beta1 response has the same fields
 * as v1, so it is written from the v1 model with only its apiVersion changed.
 * <p>
 * An answer is written in two steps: {@link #response} serialises everything but the uid, once per distinct
 * answer; {@link #review} wraps that in a review with the request's uid, per request. The second step only joins
 * bytes that Jackson wrote with the uid as Jackson quotes it, so the replicas of one workload, which get the same
 * answer, cost one serialisation between them.
 */
public final class AdmissionReviewWriter {

    private static final String PATCH_TYPE = "JSONPatch";
    private static final byte[] PATCH_FIELD = ",\"patch\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] V1_HEAD = head(AdmissionReviewReader.V1);
    private static final byte[] V1BETA1_HEAD = head(AdmissionReviewReader.V1BETA1);

    private AdmissionReviewWriter() {}

    /** The whole review, in one step. */
    public static byte[] write(String apiVersion, AdmissionResult result) {
        return review(apiVersion, result.uid(), response(result));
    }

    /**
     * The AdmissionResponse object of the answer, without its uid, with the fields of the v1 model. The fields
     * but the patch are written by Jackson; the patch, as the Base64 of its JSON, is put last, straight into the
     * answer's bytes: it is most of them, and Base64 has nothing JSON escapes.
     */
    public static byte[] response(AdmissionResult result) {
        byte[] fields = fields(result);
        if (result.patch() == null) {
            return fields;
        }
        byte[] patch;
        try {
            patch = Base64.getEncoder().encode(Mappers.JSON.writeValueAsBytes(result.patch()));
        } catch (IOException e) {
            throw new IllegalStateException("the JSON Patch could not be written", e);
        }
        // the fields' closing brace gives way to the patch, which closes the object
        byte[] response = new byte[fields.length - 1 + PATCH_FIELD.length + patch.length + 2];
        int at = put(response, 0, fields, 0, fields.length - 1);
        at = put(response, at, PATCH_FIELD, 0, PATCH_FIELD.length);
        at = put(response, at, patch, 0, patch.length);
        response[at++] = '"';
        response[at] = '}';
        return response;
    }

    private static byte[] fields(AdmissionResult result) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator json = Mappers.JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeBooleanField("allowed", result.allowed());
            json.writeObjectFieldStart("auditAnnotations");
            for (var annotation : result.auditAnnotations().entrySet()) {
                json.writeStringField(annotation.getKey(), annotation.getValue());
            }
            json.writeEndObject();
            if (result.patch() != null) {
                json.writeStringField("patchType", PATCH_TYPE);
            }
            if (!result.allowed()) {
                json.writeFieldName("status");
                json.writeObject(new StatusBuilder()
                        .withCode(result.statusCode())
                        .withMessage(result.message())
                        .withStatus("Failure")
                        .build());
            }
            if (!result.warnings().isEmpty()) {
                json.writeArrayFieldStart("warnings");
                for (String warning : result.warnings()) {
                    json.writeString(warning);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("the AdmissionReview answer could not be written", e);
        }
        return out.toByteArray();
    }

    /**
     * The review: {@code {"apiVersion":..,"kind":"AdmissionReview","response":{"uid":..,<response's fields>}}}.
     *
     * @param response what {@link #response} wrote
     */
    public static byte[] review(String apiVersion, String uid, byte[] response) {
        byte[] head = AdmissionReviewReader.V1BETA1.equals(apiVersion) ? V1BETA1_HEAD : V1_HEAD;
        byte[] quotedUid = JsonStringEncoder.getInstance().quoteAsUTF8(uid);
        boolean fields = response.length > 2;
        // written straight into an array of the exact size: a replica's answer is mostly this copy of the
        // response (the patch is ~10 KiB), and a growing buffer would allocate it twice per request
        byte[] review = new byte[head.length + quotedUid.length + 2 + (fields ? 1 : 0) + response.length];
        int at = put(review, 0, head, 0, head.length);
        review[at++] = '"';
        at = put(review, at, quotedUid, 0, quotedUid.length);
        review[at++] = '"';
        if (fields) {
            review[at++] = ',';
        }
        // the response's fields: its bytes without the opening brace; its closing brace closes "response"
        at = put(review, at, response, 1, response.length - 1);
        review[at] = '}';
        return review;
    }

    private static int put(byte[] into, int at, byte[] from, int offset, int length) {
        System.arraycopy(from, offset, into, at, length);
        return at + length;
    }

    /**
     * The review up to the uid's value. The generator writes the colon after a field name only with the value,
     * so it is added here.
     */
    private static byte[] head(String apiVersion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Mappers.JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("apiVersion", apiVersion);
            json.writeStringField("kind", "AdmissionReview");
            json.writeFieldName("response");
            json.writeStartObject();
            json.writeFieldName("uid");
            json.flush();
            out.write(':');
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
