package io.sidecarinjector.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Endpoints that fail as no endpoint of the service should, in the test application only: one that fails on the
 * event loop, one that throws, so that the answer to a failure that no code caught can be checked.
 */
@ApplicationScoped
public class FailingEndpoints {

    static final String SECRET = "details that must stay in the log";

    void failingRoutes(@Observes Router router) {
        router.get("/test-only/failing-route").handler(context -> context.fail(new IllegalStateException(SECRET)));
        router.get("/test-only/throwing-route").handler(context -> {
            throw new IllegalStateException(SECRET);
        });
    }
}
