package io.sidecarinjector.render;

import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * Everything a template may use, resolved from Istio's three documents, the pod and its annotations the way
 * Istio's stock templates resolve them (an annotation set on the pod wins over the values). Strings that come from
 * the pod are printed with {@code .quoted}; the {@code *Json} values are JSON written by the injector itself, which
 * a template may print as they are (JSON is YAML).
 *
 * @param pod what the templates read of the pod and its workload
 * @param capture traffic capture: the init container and what the CNI plugin reads
 * @param proxy the proxy container
 * @param volumes the proxy's volumes and the pod's image pull secrets
 */
@TemplateData
public record SidecarValues(Workload pod, Capture capture, Proxy proxy, Volumes volumes) {

    /**
     * @param revision the Istio revision served ({@code default} for the default revision)
     * @param tlsMode the value of the label {@code security.istio.io/tlsMode}
     * @param tunnel the value of the label {@code networking.istio.io/tunnel}, or empty when HBONE is off
     * @param canonicalName the value of the label {@code service.istio.io/canonical-name}
     * @param canonicalRevision the value of the label {@code service.istio.io/canonical-revision}
     * @param annotationsJson the annotations the template adds (revision, kubectl's default container, and with
     *        the CNI plugin the capture settings it reads), as a JSON object
     * @param gatewayAnnotationsJson the annotations the gateway template adds
     * @param grpcAgentAnnotationsJson the annotations the grpc-agent template adds
     * @param appContainers the pod's containers other than the proxy
     * @param allContainers all the pod's containers
     * @param workloadName the workload's name
     * @param owner the workload's reference, {@code kubernetes://apis/...}, or empty
     * @param istioNamespace the namespace of the control plane
     * @param gatewaySecurityContextJson the pod security context of a gateway, as JSON
     */
    @TemplateData
    public record Workload(
            String revision,
            String tlsMode,
            String tunnel,
            String canonicalName,
            String canonicalRevision,
            String annotationsJson,
            String gatewayAnnotationsJson,
            String grpcAgentAnnotationsJson,
            List<String> appContainers,
            List<String> allContainers,
            String workloadName,
            String owner,
            String istioNamespace,
            String gatewaySecurityContextJson) {}

    /**
     * @param cni whether Istio's CNI plugin sets up the capture (the init container only validates it)
     * @param interceptionMode REDIRECT, TPROXY or NONE
     * @param emptyInitContainers no capture at all ({@code interceptionMode: NONE} without native sidecars)
     * @param initContainer whether a capture init container is injected
     * @param initName {@code istio-init}, or {@code istio-validation} with the CNI plugin
     * @param initImage the init container's image
     * @param initArgsJson the init container's arguments, as a JSON list
     */
    @TemplateData
    public record Capture(
            boolean cni,
            String interceptionMode,
            boolean emptyInitContainers,
            boolean initContainer,
            String initName,
            String initImage,
            String initArgsJson) {}

    /**
     * @param image the proxy's image
     * @param nativeSidecar whether the proxy is a native sidecar (an init container that keeps running)
     * @param imagePullPolicy the pull policy of the injected containers, or empty
     * @param argsJson the arguments of a sidecar proxy, as a JSON list
     * @param gatewayArgsJson the arguments of a gateway proxy, as a JSON list
     * @param lifecycleJson the proxy's lifecycle, as JSON, or empty for none
     * @param envJson a sidecar proxy's environment, as a JSON list
     * @param gatewayEnvJson a gateway proxy's environment, as a JSON list
     * @param grpcAgentEnvJson a proxyless gRPC agent's environment, as a JSON list
     * @param initEnvJson the capture init container's environment (proxyMetadata), as a JSON list
     * @param proxyConfigJson the ProxyConfig the proxy boots with, as JSON
     * @param statusPort whether the proxy's status port is on (probes are then defined)
     * @param startupProbe whether the proxy has a startup probe
     * @param startupFailureThreshold its failure threshold
     * @param readinessInitialDelaySeconds the readiness probe's initial delay
     * @param readinessPeriodSeconds the readiness probe's period
     * @param readinessFailureThreshold the readiness probe's failure threshold
     * @param resourcesJson the proxy's resources, as JSON
     * @param securityContextJson the proxy's security context, as JSON
     * @param initSecurityContextJson the capture init container's security context, as JSON
     * @param userVolumeMountsJson mounts from {@code sidecar.istio.io/userVolumeMount}, each as JSON
     * @param gateway what differs for a gateway proxy
     */
    @TemplateData
    public record Proxy(
            String image,
            boolean nativeSidecar,
            String imagePullPolicy,
            String argsJson,
            String gatewayArgsJson,
            String lifecycleJson,
            String envJson,
            String gatewayEnvJson,
            String grpcAgentEnvJson,
            String initEnvJson,
            String proxyConfigJson,
            boolean statusPort,
            boolean startupProbe,
            String startupFailureThreshold,
            String readinessInitialDelaySeconds,
            String readinessPeriodSeconds,
            String readinessFailureThreshold,
            String resourcesJson,
            String securityContextJson,
            String initSecurityContextJson,
            List<String> userVolumeMountsJson,
            GatewayProxy gateway) {}

    /**
     * A gateway's proxy takes its lifecycle and readiness probe from the values alone.
     *
     * @param lifecycleJson {@code global.proxy.lifecycle} as JSON, or empty
     * @param readinessInitialDelaySeconds {@code global.proxy.readinessInitialDelaySeconds}
     * @param readinessPeriodSeconds {@code global.proxy.readinessPeriodSeconds}
     * @param readinessFailureThreshold {@code global.proxy.readinessFailureThreshold}
     */
    @TemplateData
    public record GatewayProxy(
            String lifecycleJson,
            String readinessInitialDelaySeconds,
            String readinessPeriodSeconds,
            String readinessFailureThreshold) {}

    /**
     * @param gkeWorkloadCertificate workload certificates from GKE's CSI driver instead of an emptyDir
     * @param istiodCa whether the proxy trusts istiod's CA from a ConfigMap (pilotCertProvider istiod)
     * @param clusterTrustBundle istiod's CA from a ClusterTrustBundle instead of a ConfigMap
     * @param caConfigMapName the ConfigMap of istiod's CA
     * @param clusterTrustBundleName the ClusterTrustBundle of istiod's CA
     * @param crlConfigMapName the ConfigMap of the certificate revocation list
     * @param bootstrapOverride the ConfigMap of a custom bootstrap, or empty
     * @param mtlsCertsSecret the Secret mounted at /etc/certs, or empty
     * @param lightstepCaDirectory where Lightstep's CA is mounted, or empty
     * @param tokenAudience the audience of the projected service account token
     * @param userVolumesJson volumes from {@code sidecar.istio.io/userVolume}, each as JSON
     * @param imagePullSecrets the image pull secrets added to the pod
     */
    @TemplateData
    public record Volumes(
            boolean gkeWorkloadCertificate,
            boolean istiodCa,
            boolean clusterTrustBundle,
            String caConfigMapName,
            String clusterTrustBundleName,
            String crlConfigMapName,
            String bootstrapOverride,
            String mtlsCertsSecret,
            String lightstepCaDirectory,
            String tokenAudience,
            List<String> userVolumesJson,
            List<String> imagePullSecrets) {}
}
