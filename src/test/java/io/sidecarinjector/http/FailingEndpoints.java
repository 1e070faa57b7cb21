package io.sidecarinjector.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Endpoints that fail as no endpoint of the service should, in the test application only: one in the REST layer, one
 * a plain route, so that the answer to a failure that no code caught can be checked.
 */
@Path("/test-only/failing-resource")
@ApplicationScoped
public class FailingEndpoints {

    static final String SECRET = "details that must stay in the log";

    @GET
    public String fail() {
        throw new IllegalStateException(SECRET);
    }

    void failingRoute(@Observes Router router) {
        router.get("/test-only/failing-route").handler(context -> context.fail(new IllegalStateException(SECRET)));
    }
}
