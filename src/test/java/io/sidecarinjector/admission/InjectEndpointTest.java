package io.sidecarinjector.admission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.GoldenFiles;
import io.sidecarinjector.testing.RawHttp;
import io.sidecarinjector.testing.Reviews;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /inject} over HTTP. {@link InjectEndpointIT} runs the same against the packaged artifact. */
@QuarkusTest
public class InjectEndpointTest {

    static List<String> goldenCases() {
        return GoldenFiles.cases();
    }

    public static JsonNode post(Object body) {
        String answer = given().contentType("application/json")
                .body(body.toString())
                .when()
                .post("/inject")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();
        return readJson(answer);
    }

    static JsonNode readJson(String text) {
        try {
            return Mappers.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Pod pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .endContainer()
                .endSpec()
                .build();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("goldenCasesByVersion")
    void patchAppliedToTheRequestYieldsTheGoldenPod(String name, String apiVersion) {
        Pod input = GoldenFiles.input(name);
        ObjectNode review = Reviews.request(apiVersion, "uid-" + name, Reviews.namespaceOf(input), input);
        JsonNode answer = post(review);

        assertEquals(apiVersion, answer.get("apiVersion").asText());
        assertEquals("AdmissionReview", answer.get("kind").asText());
        JsonNode response = answer.get("response");
        assertEquals("uid-" + name, response.get("uid").asText());
        assertTrue(response.get("allowed").asBoolean());
        assertEquals("JSONPatch", response.get("patchType").asText());
        assertEquals(
                "injected", response.path("auditAnnotations").path("decision").asText());
        JsonNode patched =
                PodPatch.apply(Reviews.patch(answer), review.path("request").path("object"));
        GoldenFiles.assertMatches(GoldenFiles.injected(name), patched);
    }

    static Stream<Arguments> goldenCasesByVersion() {
        return goldenCases().stream()
                .flatMap(name -> Stream.of(
                        Arguments.of(name, "admission.k8s.io/v1"), Arguments.of(name, "admission.k8s.io/v1beta1")));
    }

    @Test
    void aPodThatRefusesIsAllowedWithoutPatchAndTheAuditSaysWhy() {
        Pod refused = new PodBuilder(pod("refuses"))
                .editMetadata()
                .addToAnnotations("sidecar.istio.io/inject", "false")
                .endMetadata()
                .build();
        JsonNode response = post(Reviews.request("u-1", "demo", refused)).get("response");
        assertEquals("u-1", response.get("uid").asText());
        assertTrue(response.get("allowed").asBoolean());
        assertNull(response.get("patch"));
        assertNull(response.get("patchType"));
        assertEquals(
                "skipped: pod annotation sidecar.istio.io/inject=false",
                response.path("auditAnnotations").path("decision").asText());
        assertEquals(
                "explicitly_disabled",
                response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void hostNetworkAndIgnoredNamespacesAreSkipped() {
        Pod onHost = new PodBuilder(pod("host"))
                .editSpec()
                .withHostNetwork(true)
                .endSpec()
                .build();
        assertEquals(
                "skipped: hostNetwork",
                post(Reviews.request("u-2", "demo", onHost))
                        .path("response")
                        .path("auditAnnotations")
                        .path("decision")
                        .asText());
        assertEquals(
                "ignored_namespace",
                post(Reviews.request("u-3", "kube-system", pod("sys")))
                        .path("response")
                        .path("auditAnnotations")
                        .path("reason")
                        .asText());
    }

    @Test
    void anInvalidOverrideValueIsWarnedAbout() {
        Pod odd = new PodBuilder(pod("odd"))
                .editMetadata()
                .addToAnnotations("sidecar.istio.io/inject", "yes")
                .endMetadata()
                .build();
        JsonNode response = post(Reviews.request("u-4", "demo", odd)).get("response");
        assertTrue(response.get("allowed").asBoolean());
        assertNotNull(response.get("patch"), "policy enabled: still injected");
        String warning = response.path("warnings").path(0).asText();
        assertTrue(warning.contains("'yes'") && warning.contains("only \"true\" and \"false\""), warning);
    }

    @Test
    void theNamespaceComesFromTheRequestNotTheObject() {
        Pod fromController = new PodBuilder()
                .withNewMetadata()
                .withGenerateName("web-")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("web")
                .endContainer()
                .endSpec()
                .build();
        JsonNode response =
                post(Reviews.request("u-5", "kube-public", fromController)).get("response");
        assertEquals(
                "ignored_namespace",
                response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void replicasOfOnePodGetTheSameAnswerEachWithItsOwnUidAndAreEachCounted() {
        Pod replica = new PodBuilder()
                .withNewMetadata()
                .withGenerateName("replica-")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("web")
                .endContainer()
                .endSpec()
                .build();
        double requests = metric("sidecar_injection_requests_total");
        double injected = metric("sidecar_injection_success_total");
        String oddUid = "u-\"replica\" \u00e9 \\ 2";
        JsonNode first = post(Reviews.request("u-replica-1", "demo", replica)).get("response");
        JsonNode second = post(Reviews.request(oddUid, "demo", replica)).get("response");
        JsonNode beta = post(Reviews.request("admission.k8s.io/v1beta1", "u-replica-3", "demo", replica));
        assertEquals("u-replica-1", first.path("uid").asText());
        assertEquals(oddUid, second.path("uid").asText());
        assertEquals("admission.k8s.io/v1beta1", beta.path("apiVersion").asText());
        assertEquals("u-replica-3", beta.path("response").path("uid").asText());
        assertNotNull(first.get("patch"));
        assertEquals(withoutUid(first), withoutUid(second));
        assertEquals(withoutUid(first), withoutUid(beta.get("response")));
        assertEquals(3, metric("sidecar_injection_requests_total") - requests);
        assertEquals(3, metric("sidecar_injection_success_total") - injected);
        // the same pod in another namespace is another question
        JsonNode elsewhere =
                post(Reviews.request("u-replica-4", "kube-system", replica)).get("response");
        assertEquals(
                "ignored_namespace",
                elsewhere.path("auditAnnotations").path("reason").asText());
    }

    static JsonNode withoutUid(JsonNode response) {
        ObjectNode copy = response.deepCopy();
        copy.remove("uid");
        return copy;
    }

    static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aDryRunIsAnsweredLikeARealRequest() {
        ObjectNode real = Reviews.request("u-6", "demo", pod("dry"));
        ObjectNode dry = real.deepCopy();
        ((ObjectNode) dry.get("request")).put("dryRun", true);
        assertEquals(post(real).get("response"), post(dry).get("response"));
    }

    @Test
    void anUpdateIsAllowedWithoutPatch() {
        ObjectNode update = Reviews.request("u-7", "demo", pod("upd"));
        ((ObjectNode) update.get("request")).put("operation", "UPDATE");
        JsonNode response = post(update).get("response");
        assertTrue(response.get("allowed").asBoolean());
        assertNull(response.get("patch"));
        assertEquals(
                "operation_not_create",
                response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void anUnknownTemplateRejectsThePodWithA400Status() {
        Pod odd = new PodBuilder(pod("tpl"))
                .editMetadata()
                .addToAnnotations("inject.istio.io/templates", "nope")
                .endMetadata()
                .build();
        JsonNode response = post(Reviews.request("u-8", "demo", odd)).get("response");
        assertFalse(response.get("allowed").asBoolean());
        assertEquals(400, response.path("status").path("code").asInt());
        assertTrue(response.path("status").path("message").asText().contains("\"nope\""));
    }

    @Test
    void anInvalidAnnotationValueRejectsThePodWithA400StatusNamingIt() {
        Pod odd = new PodBuilder(pod("cidr"))
                .editMetadata()
                .addToAnnotations("traffic.sidecar.istio.io/excludeOutboundIPRanges", "10.0.0.0/99")
                .endMetadata()
                .build();
        JsonNode response = post(Reviews.request("u-9", "demo", odd)).get("response");
        assertFalse(response.get("allowed").asBoolean());
        assertEquals(400, response.path("status").path("code").asInt());
        assertTrue(response.path("status")
                .path("message")
                .asText()
                .contains("traffic.sidecar.istio.io/excludeOutboundIPRanges=\"10.0.0.0/99\""));
        assertEquals(
                "invalid_pod", response.path("auditAnnotations").path("reason").asText());
    }

    @Test
    void anUnknownSidecarAnnotationIsAWarningNotAFailure() {
        Pod odd = new PodBuilder(pod("unknown"))
                .editMetadata()
                .addToAnnotations("sidecar.istio.io/somethingNew", "1")
                .endMetadata()
                .build();
        JsonNode response = post(Reviews.request("u-10", "demo", odd)).get("response");
        assertTrue(response.get("allowed").asBoolean());
        assertNotNull(response.get("patch"));
        assertTrue(response.path("warnings").path(0).asText().contains("sidecar.istio.io/somethingNew"));
    }

    static Stream<Arguments> badBodies() {
        ObjectNode good = Reviews.request("u-bad", "demo", pod("bad"));
        ObjectNode noRequest = good.deepCopy();
        noRequest.remove("request");
        ObjectNode noObject = good.deepCopy();
        ((ObjectNode) noObject.get("request")).remove("object");
        ObjectNode notAPod = good.deepCopy();
        ((ObjectNode) notAPod.get("request").get("object")).put("kind", "Service");
        ObjectNode unknownVersion = good.deepCopy();
        unknownVersion.put("apiVersion", "admission.k8s.io/v2");
        ObjectNode noUid = good.deepCopy();
        ((ObjectNode) noUid.get("request")).remove("uid");
        ObjectNode containersNotAList = good.deepCopy();
        ((ObjectNode) containersNotAList.get("request").get("object").get("spec")).put("containers", "nope");
        String text = good.toString();
        return Stream.of(
                Arguments.of("empty body", "", "empty body"),
                Arguments.of("not JSON", "hello", "not valid JSON"),
                Arguments.of("truncated JSON", text.substring(0, text.length() / 2), "not valid JSON"),
                Arguments.of("a JSON array", "[1,2]", "JSON array"),
                Arguments.of("a JSON string", "\"AdmissionReview\"", "JSON string"),
                Arguments.of("no request", noRequest.toString(), "no request"),
                Arguments.of("no object", noObject.toString(), "request.object is missing"),
                Arguments.of("not a pod", notAPod.toString(), "'Service', not a Pod"),
                Arguments.of("unknown apiVersion", unknownVersion.toString(), "admission.k8s.io/v2"),
                Arguments.of("no uid", noUid.toString(), "request.uid"),
                Arguments.of("duplicate key", "{\"apiVersion\":\"a\",\"apiVersion\":\"b\"}", "Duplicate field"),
                Arguments.of(
                        "containers not a list",
                        containersNotAList.toString(),
                        "request.object.spec.containers: expected a list, got a string (\"nope\")"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badInputIsA400WithOneLineAndTheNextRequestIsServed(String name, String body, String expected) {
        String message = given().contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/inject")
                .then()
                .statusCode(400)
                .contentType(containsString("text/plain"))
                .body(containsString(expected))
                .body(not(containsString("Exception")))
                .extract()
                .asString();
        assertEquals(1, message.strip().lines().count(), "one line: " + message);
        assertGoodRequestServed();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded"})
    void aWrongContentTypeIs415WithOneLine(String contentType) {
        String message = given().contentType(contentType)
                .body(Reviews.request("u-ct", "demo", pod("ct")).toString())
                .when()
                .post("/inject")
                .then()
                .statusCode(415)
                .contentType(containsString("text/plain"))
                .extract()
                .asString();
        assertOneLine(message, "content type '" + contentType);
        assertTrue(message.contains("send application/json"), message);
        assertGoodRequestServed();
    }

    /** A plain answer: one line, that says what it is about, without a stack trace. */
    public static void assertOneLine(String message, String expected) {
        assertEquals(1, message.strip().lines().count(), "one line: " + message);
        assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void aBodyOverTheLimitIs413WithOneLine() throws Exception {
        // Expect: 100-continue lets the server refuse before the body is sent, as a careful client does
        RawHttp.Answer answer = RawHttp.postExpectingContinue(RestAssured.port, "/inject", new byte[5 * 1024 * 1024]);
        assertEquals(413, answer.status(), answer.headers());
        assertOneLine(answer.body(), "request body of 5242880 bytes is over the limit of 4194304 bytes");
        assertGoodRequestServed();
    }

    @Test
    void aBodySentInChunksOverTheLimitIs413WithOneLine() throws Exception {
        // no declared length: the limit is found while the body is read
        RawHttp.Answer answer = RawHttp.postChunked(RestAssured.port, "/inject", new byte[4 * 1024 * 1024 + 1], 65536);
        assertEquals(413, answer.status(), answer.headers());
        assertOneLine(answer.body(), "request body is over the limit of 4194304 bytes");
        assertGoodRequestServed();
    }

    @Test
    void aBodySentInChunksIsRead() throws Exception {
        byte[] review =
                Reviews.request("u-chunked", "demo", pod("chunked")).toString().getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = RawHttp.postChunked(RestAssured.port, "/inject", review, 100);
        assertEquals(200, answer.status(), answer.headers());
        JsonNode response = readJson(answer.body()).get("response");
        assertEquals("u-chunked", response.get("uid").asText());
        assertNotNull(response.get("patch"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON"})
    void aJsonContentTypeIsReadWithOrWithoutParameters(String contentType) {
        JsonNode response = readJson(given().contentType(contentType)
                        .body(Reviews.request("u-json", "demo", pod("json")).toString())
                        .when()
                        .post("/inject")
                        .then()
                        .statusCode(200)
                        .contentType("application/json")
                        .extract()
                        .asString())
                .get("response");
        assertEquals("u-json", response.get("uid").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void anotherMethodThanPostIs405WithOneLine(String method) {
        var answer = given().when()
                .request(method, "/inject")
                .then()
                .statusCode(405)
                .header("Allow", "POST")
                .extract();
        assertOneLine(answer.asString(), "method " + method + " is not allowed on /inject: use POST");
    }

    @Test
    void anUnknownPathIs404WithOneLine() {
        assertOneLine(
                given().when()
                        .get("/no-such-path")
                        .then()
                        .statusCode(404)
                        .extract()
                        .asString(),
                "GET /no-such-path");
    }

    public static void assertGoodRequestServed() {
        JsonNode response = post(Reviews.request("u-next", "demo", pod("next"))).get("response");
        assertEquals("u-next", response.get("uid").asText());
        assertNotNull(response.get("patch"));
    }

    @Test
    void healthAndMetricsAreServedOnTheSamePort() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
