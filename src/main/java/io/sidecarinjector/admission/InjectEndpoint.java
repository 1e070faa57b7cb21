package io.sidecarinjector.admission;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.sidecarinjector.http.PlainAnswer;
import io.sidecarinjector.throughput.InjectionWorkers;
import io.sidecarinjector.tls.TlsSettings;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /inject}: the mutating admission webhook, a route of the HTTP server itself. Body: an AdmissionReview
 * (admission.k8s.io/v1 or v1beta1) for a pod; answer: an AdmissionReview of the same version with a JSON Patch when
 * the pod is injected.
 * <p>
 * A body that is not such a review, or whose pod does not fit the Pod schema, gets 400 with a one-line message; a
 * content type other than JSON 415 (a request without one is read as JSON), another method than POST 405 with
 * {@code Allow: POST}, a body over {@code quarkus.http.limits.max-body-size} 413 (declared or sent in chunks, see
 * {@code http.RouteAnswers}), each with a one-line message too; with {@code injector.tls.required}, a request over
 * plain HTTP 403. A pod not seen before, while {@code injector.max-pending-injections} others are in injection, is
 * refused with code 429 in a well-formed review (HTTP 429 when its body is too large to be read on the event loop).
 * <p>
 * An answer already known (a replica of a pod seen before) or a bad body is answered on the event loop at once;
 * injecting a pod is left to the {@link InjectionWorkers}, whose thread writes the answer.
 */
@ApplicationScoped
public class InjectEndpoint {

    /** Where the API server sends its AdmissionReviews. */
    public static final String PATH = "/inject";

    private static final String JSON = "application/json";

    @Inject
    AdmissionHandler handler;

    @Inject
    TlsSettings tls;

    @Inject
    InjectionWorkers workers;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBodySize;

    void install(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false)
                .setBodyLimit(maxBodySize.asLongValue())
                .setPreallocateBodyBuffer(true)
                .setMergeFormAttributes(false);
        // two routes: the body handler must be the first of its route, and a wrong request is refused unread
        router.route(PATH).handler(this::refuseWrongRequest);
        router.route(PATH).handler(body).handler(this::inject);
    }

    /** The method, the content type and the transport, checked before the body is read. */
    private void refuseWrongRequest(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method() != HttpMethod.POST) {
            context.response().putHeader(HttpHeaders.ALLOW, "POST");
            plain(context, 405, "method " + request.method() + " is not allowed on " + PATH + ": use POST");
        } else if (!isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            plain(
                    context,
                    415,
                    "content type '" + request.getHeader(HttpHeaders.CONTENT_TYPE) + "' is not accepted on " + PATH
                            + ": send " + JSON);
        } else if (tls.required() && !request.isSSL()) {
            // health and metrics share the plain port; pod specs must not travel over it
            plain(context, 403, PATH + " is served over HTTPS only");
        } else {
            context.next();
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.toLowerCase(Locale.ROOT).equals(JSON);
    }

    private void inject(RoutingContext context) {
        byte[] body = context.body().buffer() == null
                ? new byte[0]
                : context.body().buffer().getBytes();
        AdmissionHandler.Lookup lookup;
        try {
            lookup = handler.lookUp(body);
        } catch (InvalidAdmissionReviewException e) {
            plain(context, 400, e.getMessage());
            return;
        }
        if (lookup.answer() != null) {
            review(context, lookup.answer());
            return;
        }
        Context loop = Vertx.currentContext();
        workers.submit(
                () -> {
                    try {
                        review(context, handler.handle(lookup));
                    } catch (InvalidAdmissionReviewException e) {
                        plain(context, 400, e.getMessage());
                    } catch (RuntimeException | Error e) {
                        // answered by the route's failure handler, on the request's own thread
                        loop.runOnContext(v -> context.fail(e));
                    }
                },
                inInjection -> overloaded(context, lookup, inInjection));
    }

    private void overloaded(RoutingContext context, AdmissionHandler.Lookup lookup, int inInjection) {
        byte[] refused = handler.overloaded(lookup, inInjection);
        if (refused != null) {
            review(context, refused);
            return;
        }
        context.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        plain(context, HttpResponseStatus.TOO_MANY_REQUESTS.code(), "sidecar injector overloaded: retry");
    }

    /** An AdmissionReview answer, written from the bytes as they are. */
    private static void review(RoutingContext context, byte[] review) {
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(Unpooled.wrappedBuffer(review)));
    }

    private static void plain(RoutingContext context, int status, String message) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, PlainAnswer.TEXT)
                .end(PlainAnswer.line(message));
    }
}
