package io.sidecarinjector.render;

import io.quarkus.qute.TemplateData;
import java.util.List;
import java.util.Objects;

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
 *     <p>Every record here writes its {@code equals} and {@code hashCode} out: they key the fragment cache on every
 *     injection, and a native image runs a record's generated ones as interpreted method handles, slowly.
 */
@TemplateData
public record SidecarValues(Workload pod, Capture capture, Proxy proxy, Volumes volumes) {

    @Override
    public boolean equals(Object other) {
        return other instanceof SidecarValues o
                && Objects.equals(pod, o.pod)
                && Objects.equals(capture, o.capture)
                && Objects.equals(proxy, o.proxy)
                && Objects.equals(volumes, o.volumes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pod, capture, proxy, volumes);
    }

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
            String gatewaySecurityContextJson) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Workload o
                    && Objects.equals(revision, o.revision)
                    && Objects.equals(tlsMode, o.tlsMode)
                    && Objects.equals(tunnel, o.tunnel)
                    && Objects.equals(canonicalName, o.canonicalName)
                    && Objects.equals(canonicalRevision, o.canonicalRevision)
                    && Objects.equals(annotationsJson, o.annotationsJson)
                    && Objects.equals(gatewayAnnotationsJson, o.gatewayAnnotationsJson)
                    && Objects.equals(grpcAgentAnnotationsJson, o.grpcAgentAnnotationsJson)
                    && Objects.equals(appContainers, o.appContainers)
                    && Objects.equals(allContainers, o.allContainers)
                    && Objects.equals(workloadName, o.workloadName)
                    && Objects.equals(owner, o.owner)
                    && Objects.equals(istioNamespace, o.istioNamespace)
                    && Objects.equals(gatewaySecurityContextJson, o.gatewaySecurityContextJson);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    revision,
                    tlsMode,
                    tunnel,
                    canonicalName,
                    canonicalRevision,
                    annotationsJson,
                    gatewayAnnotationsJson,
                    grpcAgentAnnotationsJson,
                    appContainers,
                    allContainers,
                    workloadName,
                    owner,
                    istioNamespace,
                    gatewaySecurityContextJson);
        }
    }

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
            String initArgsJson) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Capture o
                    && cni == o.cni
                    && Objects.equals(interceptionMode, o.interceptionMode)
                    && emptyInitContainers == o.emptyInitContainers
                    && initContainer == o.initContainer
                    && Objects.equals(initName, o.initName)
                    && Objects.equals(initImage, o.initImage)
                    && Objects.equals(initArgsJson, o.initArgsJson);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    cni, interceptionMode, emptyInitContainers, initContainer, initName, initImage, initArgsJson);
        }
    }

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
            GatewayProxy gateway) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Proxy o
                    && Objects.equals(image, o.image)
                    && nativeSidecar == o.nativeSidecar
                    && Objects.equals(imagePullPolicy, o.imagePullPolicy)
                    && Objects.equals(argsJson, o.argsJson)
                    && Objects.equals(gatewayArgsJson, o.gatewayArgsJson)
                    && Objects.equals(lifecycleJson, o.lifecycleJson)
                    && Objects.equals(envJson, o.envJson)
                    && Objects.equals(gatewayEnvJson, o.gatewayEnvJson)
                    && Objects.equals(grpcAgentEnvJson, o.grpcAgentEnvJson)
                    && Objects.equals(initEnvJson, o.initEnvJson)
                    && Objects.equals(proxyConfigJson, o.proxyConfigJson)
                    && statusPort == o.statusPort
                    && startupProbe == o.startupProbe
                    && Objects.equals(startupFailureThreshold, o.startupFailureThreshold)
                    && Objects.equals(readinessInitialDelaySeconds, o.readinessInitialDelaySeconds)
                    && Objects.equals(readinessPeriodSeconds, o.readinessPeriodSeconds)
                    && Objects.equals(readinessFailureThreshold, o.readinessFailureThreshold)
                    && Objects.equals(resourcesJson, o.resourcesJson)
                    && Objects.equals(securityContextJson, o.securityContextJson)
                    && Objects.equals(initSecurityContextJson, o.initSecurityContextJson)
                    && Objects.equals(userVolumeMountsJson, o.userVolumeMountsJson)
                    && Objects.equals(gateway, o.gateway);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    image,
                    nativeSidecar,
                    imagePullPolicy,
                    argsJson,
                    gatewayArgsJson,
                    lifecycleJson,
                    envJson,
                    gatewayEnvJson,
                    grpcAgentEnvJson,
                    initEnvJson,
                    proxyConfigJson,
                    statusPort,
                    startupProbe,
                    startupFailureThreshold,
                    readinessInitialDelaySeconds,
                    readinessPeriodSeconds,
                    readinessFailureThreshold,
                    resourcesJson,
                    securityContextJson,
                    initSecurityContextJson,
                    userVolumeMountsJson,
                    gateway);
        }
    }

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
            String readinessFailureThreshold) {
        @Override
        public boolean equals(Object other) {
            return other instanceof GatewayProxy o
                    && Objects.equals(lifecycleJson, o.lifecycleJson)
                    && Objects.equals(readinessInitialDelaySeconds, o.readinessInitialDelaySeconds)
                    && Objects.equals(readinessPeriodSeconds, o.readinessPeriodSeconds)
                    && Objects.equals(readinessFailureThreshold, o.readinessFailureThreshold);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    lifecycleJson, readinessInitialDelaySeconds, readinessPeriodSeconds, readinessFailureThreshold);
        }
    }

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
            List<String> imagePullSecrets) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Volumes o
                    && gkeWorkloadCertificate == o.gkeWorkloadCertificate
                    && istiodCa == o.istiodCa
                    && clusterTrustBundle == o.clusterTrustBundle
                    && Objects.equals(caConfigMapName, o.caConfigMapName)
                    && Objects.equals(clusterTrustBundleName, o.clusterTrustBundleName)
                    && Objects.equals(crlConfigMapName, o.crlConfigMapName)
                    && Objects.equals(bootstrapOverride, o.bootstrapOverride)
                    && Objects.equals(mtlsCertsSecret, o.mtlsCertsSecret)
                    && Objects.equals(lightstepCaDirectory, o.lightstepCaDirectory)
                    && Objects.equals(tokenAudience, o.tokenAudience)
                    && Objects.equals(userVolumesJson, o.userVolumesJson)
                    && Objects.equals(imagePullSecrets, o.imagePullSecrets);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    gkeWorkloadCertificate,
                    istiodCa,
                    clusterTrustBundle,
                    caConfigMapName,
                    clusterTrustBundleName,
                    crlConfigMapName,
                    bootstrapOverride,
                    mtlsCertsSecret,
                    lightstepCaDirectory,
                    tokenAudience,
                    userVolumesJson,
                    imagePullSecrets);
        }
    }
}
