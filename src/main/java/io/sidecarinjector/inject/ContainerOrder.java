package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidecarinjector.merge.PodTree;
import io.sidecarinjector.render.SidecarValuesFactory;

/**
 * Puts the injected containers where Istio puts them. The proxy goes last among the containers, so that kubectl
 * defaults to the application, or first when the application must wait for it. As a native sidecar it starts
 * right after the capture init container, so that the pod's own init containers are in the mesh; otherwise the
 * capture init container runs last among the init containers, so that it blocks none of the pod's own, and the
 * CNI plugin's validation first.
 */
final class ContainerOrder {

    static final String CORE_DUMP = "enable-core-dump";

    private ContainerOrder() {}

    static void apply(ObjectNode pod, boolean proxyFirst) {
        String proxy = SidecarValuesFactory.PROXY_CONTAINER;
        ArrayNode containers = PodTree.ownList(pod, "containers");
        if (containers != null) {
            PodTree.move(containers, proxy, proxyFirst);
        }
        ArrayNode init = PodTree.ownList(pod, "initContainers");
        if (init == null || init.isEmpty()) {
            return;
        }
        if (PodTree.names(init).contains(proxy)) {
            PodTree.move(init, CORE_DUMP, true);
            PodTree.move(init, proxy, true);
            PodTree.move(init, SidecarValuesFactory.VALIDATION_CONTAINER, true);
            PodTree.move(init, SidecarValuesFactory.INIT_CONTAINER, true);
        } else {
            PodTree.move(init, SidecarValuesFactory.VALIDATION_CONTAINER, true);
            PodTree.move(init, SidecarValuesFactory.INIT_CONTAINER, false);
            PodTree.move(init, CORE_DUMP, false);
        }
    }
}
