package io.sidecarinjector.render;

import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.ProxyConfig;
import java.util.Set;

/**
 * What templates are rendered from, as Istio hands it to its templates.
 *
 * @param pod the pod without what an earlier injection added
 * @param namespace the namespace the pod is created in (a pod from a controller names none itself)
 * @param workload the workload the pod belongs to
 * @param documents Istio's configuration documents
 * @param proxyConfig the pod's effective ProxyConfig (mesh default, resources, annotation)
 * @param revision the Istio revision served, empty for the default one
 * @param nativeSidecars whether native sidecars are on for this pod (before its own annotation)
 * @param compliancePolicy istiod's {@code COMPLIANCE_POLICY}, or empty
 * @param templates the names of the templates to be rendered: values only some templates read are resolved only
 *        for them
 */
public record TemplateInput(
        Pod pod,
        String namespace,
        WorkloadRef workload,
        IstioDocuments documents,
        ProxyConfig proxyConfig,
        String revision,
        boolean nativeSidecars,
        String compliancePolicy,
        Set<String> templates) {

    /** Whether a template of this name is rendered, or one the injector does not know (which may read anything). */
    boolean renders(String template) {
        return templates.contains(template) || !TemplateCatalog.BUILT_IN_NAMES.containsAll(templates);
    }
}
