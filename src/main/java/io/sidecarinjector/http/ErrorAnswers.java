package io.sidecarinjector.http;

import io.sidecarinjector.admission.InjectResource;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The answers of the REST layer's own refusals (a wrong method, a wrong content type, ...) and of a failure that no
 * code caught: each with a one-line message, where the framework's would have an empty body.
 */
public class ErrorAnswers {

    private static final Logger LOG = Logger.getLogger(ErrorAnswers.class);

    /** 405, with the methods that the path allows, in the message and in {@code Allow}. */
    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        Set<String> allowed = new TreeSet<>(e.getResponse().getAllowedMethods());
        if (allowed.isEmpty() && InjectResource.PATH.equals(request.path())) {
            allowed.add(HttpMethod.POST); // the framework does not say; the webhook's one method is known
        }
        String message = "method " + request.method() + " is not allowed on " + request.path()
                + (allowed.isEmpty() ? "" : ": use " + String.join(" or ", allowed));
        Response.ResponseBuilder answer = Response.fromResponse(PlainAnswer.of(405, message));
        return allowed.isEmpty() ? answer.build() : answer.allow(allowed).build();
    }

    /** 415: the body must be JSON. */
    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e, HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return PlainAnswer.of(
                415,
                "content type " + (type == null ? "(none)" : "'" + type + "'") + " is not accepted on " + request.path()
                        + ": send application/json");
    }

    /** Any other refusal of the REST layer keeps its status and headers, and says what it is. */
    @ServerExceptionMapper
    public Response refused(WebApplicationException e, HttpServerRequest request) {
        Response framework = e.getResponse();
        if (framework.hasEntity()) {
            return framework;
        }
        Response.StatusType status = framework.getStatusInfo();
        return Response.fromResponse(framework)
                .type(PlainAnswer.TEXT)
                .entity(PlainAnswer.line(status.getStatusCode() + " " + status.getReasonPhrase() + ": "
                        + request.method() + " " + request.path()))
                .build();
    }

    /** A failure that no code caught: logged with its cause, answered 500 without the details. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        LOG.errorf(e, "%s %s failed", request.method(), request.path());
        return PlainAnswer.of(
                500,
                "internal error of the sidecar injector while answering " + request.method() + " " + request.path()
                        + "; its log has the details");
    }
}
