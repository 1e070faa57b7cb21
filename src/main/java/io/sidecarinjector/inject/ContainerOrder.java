package io.sidecarinjector.inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.sidecarinjector.render.SidecarValuesFactory;
import java.util.ArrayList;
import java.util.List;

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

    static void apply(PodSpec spec, boolean proxyFirst) {
        String proxy = SidecarValuesFactory.PROXY_CONTAINER;
        if (spec.getContainers() != null) {
            spec.setContainers(move(spec.getContainers(), proxy, proxyFirst));
        }
        List<Container> init = spec.getInitContainers();
        if (init == null || init.isEmpty()) {
            return;
        }
        if (init.stream().anyMatch(c -> proxy.equals(c.getName()))) {
            init = move(init, CORE_DUMP, true);
            init = move(init, proxy, true);
            init = move(init, SidecarValuesFactory.VALIDATION_CONTAINER, true);
            init = move(init, SidecarValuesFactory.INIT_CONTAINER, true);
        } else {
            init = move(init, SidecarValuesFactory.VALIDATION_CONTAINER, true);
            init = move(init, SidecarValuesFactory.INIT_CONTAINER, false);
            init = move(init, CORE_DUMP, false);
        }
        spec.setInitContainers(init);
    }

    private static List<Container> move(List<Container> containers, String name, boolean first) {
        List<Container> others = new ArrayList<>();
        Container match = null;
        for (Container c : containers) {
            if (name.equals(c.getName())) {
                match = c;
            } else {
                others.add(c);
            }
        }
        if (match == null) {
            return containers;
        }
        if (first) {
            others.add(0, match);
        } else {
            others.add(match);
        }
        return others;
    }
}
