package io.sidecarinjector.admission;

import io.sidecarinjector.throughput.InjectionWorkers;
import io.sidecarinjector.tls.TlsSettings;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /inject}: the mutating admission webhook. Body: an AdmissionReview (admission.k8s.io/v1 or
 * v1beta1) for a pod; answer: an AdmissionReview of the same version with a JSON Patch when the pod is injected.
 * A body that is not such a review, or whose pod does not fit the Pod schema, gets 400 with a one-line message;
 * a wrong content type 415, another method than POST 405, a body over {@code quarkus.http.limits.max-body-size} 413,
 * each with a one-line message too (package {@code http}); with {@code injector.tls.required}, a request over plain
 * HTTP 403.
 * A pod not seen before, while {@code injector.max-pending-injections} others are in injection, is refused with
 * code 429 in a well-formed review (HTTP 429 when its body is too large to be read on the event loop).
 */
@Path(InjectResource.PATH)
@Singleton
public class InjectResource {

    /** Where the API server sends its AdmissionReviews. */
    public static final String PATH = "/inject";

    @Inject
    AdmissionHandler handler;

    @Inject
    TlsSettings tls;

    @Inject
    InjectionWorkers workers;

    /**
     * Runs on the event loop: an answer already known (a replica of a pod seen before) or a bad body is answered
     * there at once; injecting a pod is left to the {@link InjectionWorkers}.
     */
    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> inject(byte[] body, @Context HttpServerRequest request) {
        if (tls.required() && !request.isSSL()) {
            // health and metrics share the plain port; pod specs must not travel over it
            return Uni.createFrom()
                    .item(Response.status(Response.Status.FORBIDDEN)
                            .type(MediaType.TEXT_PLAIN_TYPE)
                            .entity("/inject is served over HTTPS only\n")
                            .build());
        }
        AdmissionHandler.Lookup lookup;
        try {
            lookup = handler.lookUp(body);
        } catch (InvalidAdmissionReviewException e) {
            return Uni.createFrom().item(badRequest(e));
        }
        if (lookup.answer() != null) {
            return Uni.createFrom().item(ok(lookup.answer()));
        }
        return workers.submit(
                () -> {
                    try {
                        return ok(handler.handle(lookup));
                    } catch (InvalidAdmissionReviewException e) {
                        return badRequest(e);
                    }
                },
                inInjection -> overloaded(lookup, inInjection));
    }

    private Response overloaded(AdmissionHandler.Lookup lookup, int inInjection) {
        byte[] refused = handler.overloaded(lookup, inInjection);
        if (refused != null) {
            return ok(refused);
        }
        return Response.status(429)
                .header("Retry-After", "1")
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity("sidecar injector overloaded: retry\n")
                .build();
    }

    private static Response ok(byte[] review) {
        return Response.ok(review, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response badRequest(InvalidAdmissionReviewException e) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.TEXT_PLAIN_TYPE)
                .entity(e.getMessage().replaceAll("\\R", " ") + "\n")
                .build();
    }
}
