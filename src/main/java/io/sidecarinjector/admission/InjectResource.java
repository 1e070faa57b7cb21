package io.sidecarinjector.admission;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.sidecarinjector.tls.TlsSettings;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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

    /**
     * Runs on the event loop: an answer already known (a replica of a pod seen before) or a bad body is answered
     * there at once; injecting a pod is left to a worker thread, so that a large pod never holds up the loop.
     */
    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> inject(byte[] body, @Context HttpServerRequest request) {
        if (tls.required() && !request.isSSL()) {
            // health and metrics share the plain port; pod specs must not travel over it
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("/inject is served over HTTPS only\n").build());
        }
        try {
            byte[] known = handler.known(body);
            if (known != null) {
                return Uni.createFrom().item(ok(known));
            }
        } catch (InvalidAdmissionReviewException e) {
            return Uni.createFrom().item(badRequest(e));
        }
        return Uni.createFrom().item(() -> {
            try {
                return ok(handler.handle(body));
            } catch (InvalidAdmissionReviewException e) {
                return badRequest(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Response ok(byte[] review) {
        return Response.ok(review, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response badRequest(InvalidAdmissionReviewException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
                .entity(e.getMessage().replaceAll("\\R", " ") + "\n").build();
    }
}
