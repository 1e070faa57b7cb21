package io.sidecarinjector.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The answers that the HTTP layer gives before a request reaches its handler, each with a one-line message: a body
 * declared larger than {@code quarkus.http.limits.max-body-size} (413, answered before the body is read, as the
 * framework does, but saying so), a path that no route serves (404), and any failure of a route that no handler
 * answered, among them a body sent in chunks, without a declared length, that outgrows the limit while
 * {@code /inject} reads it (413 as well).
 */
@ApplicationScoped
public class RouteAnswers {

    private static final Logger LOG = Logger.getLogger(RouteAnswers.class);

    /** Before the framework's own check of the declared length (its order is -2). */
    static final int ORDER = -3;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBodySize;

    /** After every route: a path that none of them serves. */
    static final int LAST = Integer.MAX_VALUE;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::refuseDeclaredTooLarge).failureHandler(this::answerFailure);
        router.route().order(LAST).handler(RouteAnswers::notFound);
    }

    private static void notFound(RoutingContext context) {
        answer(
                context.response(),
                HttpResponseStatus.NOT_FOUND.code(),
                "404 Not Found: " + context.request().method() + " "
                        + context.request().path());
    }

    private void refuseDeclaredTooLarge(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            length = -1; // the HTTP decoder refuses a malformed length on its own
        }
        if (length <= maxBodySize.asLongValue()) {
            context.next();
            return;
        }
        HttpServerResponse response = context.response();
        // the body is not read: the connection cannot serve another request after this answer
        response.putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(v -> context.request().connection().close());
        answer(
                response,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code(),
                "request body of " + length + " bytes is over the limit of " + maxBodySize.asLongValue() + " bytes");
    }

    private void answerFailure(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.headWritten()) {
            // answered already (a body refused, then the connection closed under the rest of it): nothing to say
            LOG.debugf(
                    context.failure(),
                    "%s %s failed after its answer",
                    context.request().method(),
                    context.request().path());
            return;
        }
        Throwable failure = context.failure();
        int status = failure instanceof HttpException http ? http.getStatusCode() : context.statusCode();
        if (status == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(v -> context.request().connection().close());
            answer(response, status, "request body is over the limit of " + maxBodySize.asLongValue() + " bytes");
        } else if (status >= 400 && (failure == null || failure instanceof HttpException)) {
            // a status without a cause: a refusal of the framework's, which the status says
            answer(
                    response,
                    status,
                    status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + ": "
                            + context.request().method() + " "
                            + context.request().path());
        } else {
            LOG.errorf(
                    failure,
                    "%s %s failed",
                    context.request().method(),
                    context.request().path());
            answer(
                    response,
                    500,
                    "internal error of the sidecar injector while answering "
                            + context.request().method() + " "
                            + context.request().path() + "; its log has the details");
        }
    }

    private static void answer(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, PlainAnswer.TEXT)
                .end(PlainAnswer.line(message));
    }
}
