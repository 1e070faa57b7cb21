package io.sidecarinjector.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.sidecarinjector.admission.AdmissionReviewReader;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.support.Mappers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The run that trains the jar's class-data archive ({@code app-cds.jsa}). A JVM that starts with an archive maps
 * the classes it holds instead of reading, parsing and verifying them; the archive that the framework makes by
 * itself stops before the application starts, so it holds neither the server's classes nor those of a request.
 * The jar build (pom.xml) therefore starts the packaged jar with {@code -XX:ArchiveClassesAtExit=app-cds.jsa},
 * {@value #PROPERTY}{@code =true}, the loopback interface and a free port: once the service listens, this sends it
 * over HTTP what an ordinary day brings (new pods, their replicas, a pod that opts out, a review that is not one,
 * the probes and the metrics) and checks each answer, then the process exits and the JVM writes the archive. A
 * wrong answer fails the build: the run is also a smoke test of the packaged jar.
 */
@ApplicationScoped
public class ClassDataTraining {

    /** The system property that asks for a training run instead of serving. */
    public static final String PROPERTY = "sidecar-injector.class-data-training";

    /** Enough rounds for the request path's lazily built parts (caches, pools, metrics) to have been built. */
    static final int ROUNDS = 20;

    private static final Logger LOG = Logger.getLogger(ClassDataTraining.class);
    private static final int TIMEOUT_MILLIS = 10_000;

    @Inject
    ValueRegistry values;

    public static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** @return the exit code: 0 when every answer was the one expected, 1 otherwise */
    public int run() {
        URI base = URI.create("http://127.0.0.1:" + values.get(HttpServer.HTTP_PORT));
        List<Exchange> exchanges = exchanges();
        List<String> failures = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            try {
                String failure = exchange.send(base);
                if (failure != null) {
                    failures.add(exchange.name() + ": " + failure);
                }
            } catch (IOException e) {
                // no answer at all: the next requests would only wait out their timeouts too
                failures.add(exchange.name() + ": " + e);
                break;
            }
        }
        if (failures.isEmpty()) {
            LOG.infof("class-data training: %d requests answered as expected", exchanges.size());
            return 0;
        }
        failures.forEach(failure -> LOG.errorf("class-data training: %s", failure));
        return 1;
    }

    static List<Exchange> exchanges() {
        List<Exchange> exchanges = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] newPod = review("training-" + round, pod("app-" + round, "true"));
            // the second time is a replica of the first: the same pod, another request
            exchanges.add(Exchange.inject("new pod " + round, newPod, true));
            exchanges.add(Exchange.inject("replica " + round, newPod, true));
        }
        exchanges.add(Exchange.inject("opted-out pod", review("training-out", pod("app-out", "false")), false));
        exchanges.add(Exchange.rejected(
                "not a review", "{\"kind\": \"AdmissionReview\", \"request\":".getBytes(StandardCharsets.UTF_8)));
        exchanges.add(Exchange.get("/q/health/ready"));
        exchanges.add(Exchange.get("/q/health/live"));
        exchanges.add(Exchange.get("/q/metrics"));
        return exchanges;
    }

    /** A pod with what the injection rewrites: ports and HTTP probes. */
    static Pod pod(String app, String inject) {
        Pod pod = ActiveConfigFactory.samplePod(app, "training", inject);
        Container container = pod.getSpec().getContainers().get(0);
        container.setReadinessProbe(httpGet("/ready", new IntOrString(8080)));
        container.setLivenessProbe(httpGet("/live", new IntOrString("http")));
        return pod;
    }

    private static Probe httpGet(String path, IntOrString port) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(port)
                .endHttpGet()
                .build();
    }

    static byte[] review(String uid, Pod pod) {
        ObjectNode review = Mappers.JSON
                .createObjectNode()
                .put("apiVersion", AdmissionReviewReader.V1)
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request")
                .put("uid", uid)
                .put("namespace", "training")
                .put("operation", "CREATE");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", Mappers.JSON.valueToTree(pod));
        try {
            return Mappers.JSON.writeValueAsBytes(review);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a training review could not be written", e);
        }
    }

    /** One request and what its answer must be. */
    record Exchange(String name, String path, byte[] body, int status, Boolean patched) {

        static Exchange inject(String name, byte[] body, boolean patched) {
            return new Exchange(name, "/inject", body, 200, patched);
        }

        static Exchange rejected(String name, byte[] body) {
            return new Exchange(name, "/inject", body, 400, null);
        }

        static Exchange get(String path) {
            return new Exchange(path, path, null, 200, null);
        }

        /**
         * Sends the request over the JDK's own HTTP connection (in java.base, which a native image of this code
         * holds too), keep-alive like the API server's.
         *
         * @return what was wrong with the answer, or null
         */
        String send(URI base) throws IOException {
            HttpURLConnection connection =
                    (HttpURLConnection) base.resolve(path).toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            if (body != null) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int code = connection.getResponseCode();
            byte[] answerBytes;
            try (InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                answerBytes = in == null ? new byte[0] : in.readAllBytes();
            }
            if (code != status) {
                return "status " + code + ", expected " + status;
            }
            if (patched == null) {
                return null;
            }
            JsonNode answer = Mappers.JSON.readTree(answerBytes).path("response");
            if (!answer.path("allowed").asBoolean(false)) {
                return "not allowed: " + answer.path("status").path("message").asText();
            }
            return answer.has("patch") == patched ? null : (patched ? "no patch" : "an unexpected patch");
        }
    }
}
