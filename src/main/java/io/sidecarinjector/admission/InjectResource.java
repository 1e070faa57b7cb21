package io.sidecarinjector.admission;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.sidecarinjector.tls.TlsSettings;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /inject}: the mutating admission webhook. Body: an AdmissionReview (admission.k8s.io/v1 or
 * v1beta1) for a pod; answer: an AdmissionReview of the same version with a JSON Patch when the pod is injected.
 * A body that is not such a review gets 400 with a one-line message; a wrong content type 415; a body over
 * {@code quarkus.http.limits.max-body-size} 413; with {@code injector.tls.required}, a request over plain HTTP 403.
 */
@Path("/inject")
public class InjectResource {

    @Inject
    AdmissionHandler handler;

    @Inject
    TlsSettings tls;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response inject(byte[] body, @Context HttpServerRequest request) {
        if (tls.required() && !request.isSSL()) {
            // health and metrics share the plain port; pod specs must not travel over it
            return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("/inject is served over HTTPS only\n").build();
        }
        try {
            return Response.ok(handler.handle(body), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InvalidAdmissionReviewException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(e.getMessage().replaceAll("\\R", " ") + "\n").build();
        }
    }
}
