package io.sidecarinjector.inject;

import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.policy.InjectionPolicy;
import io.sidecarinjector.render.FragmentRenderer;
import io.sidecarinjector.render.TemplateCatalog;
import java.util.function.BooleanSupplier;

/**
 * The validated configuration in service: immutable (its fragment cache only memoizes), so a request served with
 * it sees one configuration from start to end, whatever is reloaded meanwhile.
 *
 * @param documents Istio's three documents
 * @param revision the Istio revision this injector serves, empty for the default one
 * @param switches settings from istiod's environment
 * @param nodesSupportNativeSidecars with {@code ENABLE_NATIVE_SIDECARS=auto}: whether every node's kubelet runs
 *        native sidecars (asked at each injection, since nodes come and go)
 * @param proxyConfigs the ProxyConfig resources of the cluster (asked at each injection)
 */
public record ActiveConfig(
        IstioDocuments documents,
        String revision,
        IstioSwitches switches,
        BooleanSupplier nodesSupportNativeSidecars,
        ProxyConfigSource proxyConfigs,
        InjectionPolicy policy,
        TemplateCatalog templates,
        FragmentRenderer fragments) {

    /** The hash of the documents, which changes whenever what is injected may change. */
    public String hash() {
        return documents.hash();
    }

    /** Whether a pod that does not choose for itself gets the proxy as a native sidecar. */
    public boolean nativeSidecars() {
        return switch (switches.nativeSidecars()) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> nodesSupportNativeSidecars.getAsBoolean();
        };
    }
}
