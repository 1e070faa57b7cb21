package io.sidecarinjector.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.sidecarinjector.support.Mappers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;

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
    private static final byte[] V1_HEAD = head(AdmissionReviewReader.V1);
    private static final byte[] V1BETA1_HEAD = head(AdmissionReviewReader.V1BETA1);

    private AdmissionReviewWriter() {}

    /** The whole review, in one step. */
    public static byte[] write(String apiVersion, AdmissionResult result) {
        return review(apiVersion, result.uid(), response(result));
    }

    /** The AdmissionResponse object of the answer, without its uid. */
    public static byte[] response(AdmissionResult result) {
        AdmissionResponse response = new AdmissionResponse();
        response.setAllowed(result.allowed());
        response.setAuditAnnotations(new LinkedHashMap<>(result.auditAnnotations()));
        if (!result.warnings().isEmpty()) {
            response.setWarnings(result.warnings());
        }
        try {
            if (result.patch() != null) {
                response.setPatchType(PATCH_TYPE);
                response.setPatch(Base64.getEncoder().encodeToString(Mappers.JSON.writeValueAsBytes(result.patch())));
            }
            if (!result.allowed()) {
                response.setStatus(new StatusBuilder()
                        .withCode(result.statusCode())
                        .withMessage(result.message())
                        .withStatus("Failure")
                        .build());
            }
            byte[] json = Mappers.JSON.writeValueAsBytes(response);
            if (json.length < 2 || json[0] != '{' || json[json.length - 1] != '}') {
                throw new IllegalStateException("the AdmissionResponse was not written as a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the AdmissionReview answer could not be written", e);
        }
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
