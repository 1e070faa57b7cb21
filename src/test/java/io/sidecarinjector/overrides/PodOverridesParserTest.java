package io.sidecarinjector.overrides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sidecarinjector.support.Messages;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodOverridesParserTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "sidecar.istio.io/proxyImage|image with spaces",
                "sidecar.istio.io/interceptionMode|NAT",
                "sidecar.istio.io/proxyCPU|lots",
                "sidecar.istio.io/proxyMemory|12XB",
                "sidecar.istio.io/proxyCPULimit|-1",
                "sidecar.istio.io/proxyMemoryLimit|1..5Gi",
                "traffic.sidecar.istio.io/includeOutboundIPRanges|10.0.0.0",
                "traffic.sidecar.istio.io/includeOutboundIPRanges|10.0.0.0/33",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges|300.1.1.1/32",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges|example.com/32",
                "traffic.sidecar.istio.io/excludeOutboundIPRanges|*",
                "traffic.sidecar.istio.io/includeInboundPorts|0",
                "traffic.sidecar.istio.io/excludeInboundPorts|65536",
                "traffic.sidecar.istio.io/excludeOutboundPorts|http",
                "status.sidecar.istio.io/port|-1",
                "status.sidecar.istio.io/port|99999",
                "sidecar.istio.io/rewriteAppHTTPProbers|yes",
                "sidecar.istio.io/nativeSidecar|TRUE",
                "proxy.istio.io/config|concurrency: [",
                "proxy.istio.io/config|- a list",
                "proxy.istio.io/config|concurrency: many",
                "proxy.istio.io/config|holdApplicationUntilProxyStarts: perhaps",
                "proxy.istio.io/config|terminationDrainDuration: soon",
                "sidecar.istio.io/userVolume|{not json",
                "sidecar.istio.io/userVolume|[1]",
                "sidecar.istio.io/userVolumeMount|{\"m\": 5}",
                // the schema's types, not converted ones
                "sidecar.istio.io/userVolumeMount|{\"m\": {\"mountPath\": \"/m\", \"readOnly\": \"true\"}}",
                "sidecar.istio.io/userVolumeMount|{\"m\": {\"mountPath\": 5}}",
                "sidecar.istio.io/logLevel|loud",
                "sidecar.istio.io/componentLogLevel|misc=error",
            })
    void anInvalidValueRejectsThePodNamingTheAnnotationAndTheValue(String annotation, String value) {
        PodRejectedException e =
                assertThrows(PodRejectedException.class, () -> PodOverridesParser.parse(Map.of(annotation, value)));
        assertTrue(e.getMessage().startsWith("annotation " + annotation + "=\""), e.getMessage());
        assertTrue(e.getMessage().contains(Messages.shown(value)), e.getMessage());
    }

    @Test
    void validValuesAreRead() {
        PodOverrides o = PodOverridesParser.parse(Map.ofEntries(
                Map.entry(Annotations.PROXY_IMAGE, "registry.example.com:5000/mesh/proxy@sha256:abc"),
                Map.entry(Annotations.INTERCEPTION_MODE, "TPROXY"),
                Map.entry(Annotations.PROXY_CPU, "250m"),
                Map.entry(Annotations.PROXY_MEMORY_LIMIT, "1Gi"),
                Map.entry(Annotations.INCLUDE_OUTBOUND_IP_RANGES, " 10.0.0.0/8, fd00::/8 "),
                Map.entry(Annotations.EXCLUDE_INBOUND_PORTS, "8081, 8082"),
                Map.entry(Annotations.STATUS_PORT, "0"),
                Map.entry(Annotations.PROXY_CONFIG, "holdApplicationUntilProxyStarts: true\nconcurrency: 4\n"),
                Map.entry(Annotations.USER_VOLUME, "{\"certs\":{\"secret\":{\"secretName\":\"c\"}}}")));
        assertEquals(Optional.of("TPROXY"), o.interceptionMode());
        assertEquals(Optional.of("10.0.0.0/8,fd00::/8"), o.includeOutboundIPRanges());
        assertEquals(Optional.of("8081,8082"), o.excludeInboundPorts());
        assertEquals(Optional.of(0), o.statusPort());
        assertEquals("certs", o.userVolumes().get(0).getName());
        assertEquals(List.of(), o.warnings());
    }

    @Test
    void anUnknownSidecarAnnotationIsAWarning() {
        PodOverrides o = PodOverridesParser.parse(Map.of(
                "sidecar.istio.io/noSuchThing",
                "x",
                "sidecar.istio.io/bootstrapOverride",
                "custom",
                "example.com/other",
                "ignored silently"));
        assertEquals(1, o.warnings().size(), o.warnings().toString());
        assertTrue(o.warnings().get(0).contains("sidecar.istio.io/noSuchThing"));
    }

    @Test
    void aProxyConfigKeyThatIsNoFieldIsNamedWithItsLine() {
        PodRejectedException e = assertThrows(
                PodRejectedException.class,
                () -> PodOverridesParser.parse(Map.of(Annotations.PROXY_CONFIG, "concurrency: 2\nconcurency: 3\n")));
        assertTrue(
                e.getMessage()
                        .endsWith("is invalid: line 2: unknown key 'concurency': ProxyConfig has no field of"
                                + " that name"),
                e.getMessage());
        PodRejectedException scalar = assertThrows(
                PodRejectedException.class, () -> PodOverridesParser.parse(Map.of(Annotations.PROXY_CONFIG, "false")));
        assertTrue(
                scalar.getMessage()
                        .endsWith("is invalid: key '(top level)': expected a mapping (ProxyConfig), got" + " boolean"),
                scalar.getMessage());
    }

    @Test
    void everyProxyConfigFieldIsAccepted() {
        PodOverrides o = PodOverridesParser.parse(Map.of(Annotations.PROXY_CONFIG, """
                tracing: {sampling: 10}
                proxyStatsMatcher: {inclusionPrefixes: [cluster]}
                gatewayTopology: {numTrustedProxies: 1}
                proxy_metadata: {A: b}
                """));
        assertEquals(List.of(), o.warnings());
        assertEquals(
                "b",
                o.proxyConfig().orElseThrow().path("proxyMetadata").path("A").asText(),
                "proto names are read as JSON names");
    }

    @Test
    void aValueOverTheLengthLimitIsRejected() {
        assertThrows(
                PodRejectedException.class,
                () -> PodOverridesParser.parse(Map.of(Annotations.LOG_LEVEL, "d".repeat(70_000))));
    }
}
