package io.sidecarinjector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.sidecarinjector.merge.PodMerger;
import io.sidecarinjector.merge.PodTree;
import io.sidecarinjector.overrides.Annotations;
import io.sidecarinjector.render.SidecarValuesFactory;
import io.sidecarinjector.support.Mappers;
import java.util.List;

/**
 * A pod may declare a container under an injected name (its own {@code istio-proxy}, with other resources, say):
 * its fields are laid back over the injected container, so the pod's author wins where they said something, and
 * are recorded in {@code proxy.istio.io/overrides} so that a later injection can lay them again. An
 * {@code image: auto} says nothing.
 */
final class UserContainers {

    static final String AUTO_IMAGE = "auto";

    private UserContainers() {}

    /**
     * @param merged the pod with the templates laid over it; written into
     * @param base the pod before injection (without what an earlier injection added)
     * @param templatePod what the templates rendered
     * @param reinjected whether the pod had been injected before (its overrides are recorded already)
     */
    static void reapply(ObjectNode merged, Pod base, ObjectNode templatePod, boolean reinjected) {
        ObjectNode overrides = Mappers.JSON.createObjectNode();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode injected : templatePod.path("spec").path(list)) {
                String name = injected.path("name").asText();
                Container own = find(base, name);
                if (own == null) {
                    continue;
                }
                ObjectNode overlay = Mappers.JSON.valueToTree(own);
                if (AUTO_IMAGE.equals(overlay.path("image").asText())) {
                    overlay.remove("image");
                }
                ObjectNode target = PodTree.ownContainer(merged, name);
                if (target != null) {
                    PodMerger.overlay(target, overlay);
                }
                // a copy: the overlay's parts are now the merged pod's, which later steps change
                (overrides.get(list) instanceof ArrayNode a ? a : overrides.putArray(list)).add(overlay.deepCopy());
            }
        }
        if (!reinjected && !overrides.isEmpty()) {
            PodTree.metadataMap(merged, "annotations").put(Annotations.PROXY_OVERRIDES, overrides.toString());
        }
    }

    private static Container find(Pod pod, String name) {
        if (pod.getSpec() == null) {
            return null;
        }
        for (List<Container> list : java.util.Arrays.asList(
                pod.getSpec().getContainers(), pod.getSpec().getInitContainers())) {
            if (list != null) {
                for (Container c : list) {
                    if (name.equals(c.getName())) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    /**
     * A uid or gid the pod gives its own proxy must reach the capture rules, or the proxy's own traffic would be
     * captured: {@code istio-init}'s {@code -u}, and the validation container's user. With TPROXY the proxy runs as
     * root whatever the pod says.
     */
    static void adjustInitUser(ObjectNode pod, Pod base, String interceptionMode) {
        Container own = find(base, SidecarValuesFactory.PROXY_CONTAINER);
        if (own == null
                || own.getSecurityContext() == null
                || (own.getSecurityContext().getRunAsUser() == null
                        && own.getSecurityContext().getRunAsGroup() == null)) {
            return;
        }
        ObjectNode initNode = null;
        for (String name : List.of(SidecarValuesFactory.INIT_CONTAINER, SidecarValuesFactory.VALIDATION_CONTAINER)) {
            if (initNode == null) {
                initNode = PodTree.named(pod, "initContainers", name);
            }
        }
        if (initNode == null) {
            return;
        }
        Container init = PodTree.read(initNode, Container.class);
        String annotated = PodTree.strings(pod, "annotations").get(Annotations.INTERCEPTION_MODE);
        boolean tproxy = "TPROXY".equals(interceptionMode) || "TPROXY".equals(annotated);
        Long uid = own.getSecurityContext().getRunAsUser();
        if (tproxy && uid != null) {
            ObjectNode proxyNode = PodTree.container(pod, SidecarValuesFactory.PROXY_CONTAINER);
            Container proxy = proxyNode == null ? null : PodTree.read(proxyNode, Container.class);
            if (proxy != null && proxy.getSecurityContext() != null) {
                proxy.getSecurityContext().setRunAsUser(0L);
                PodTree.replaceContainer(pod, proxy.getName(), Mappers.JSON.valueToTree(proxy));
            }
        }
        if (!tproxy && SidecarValuesFactory.VALIDATION_CONTAINER.equals(init.getName())) {
            SecurityContext context =
                    init.getSecurityContext() == null ? new SecurityContext() : init.getSecurityContext();
            if (uid != null) {
                context.setRunAsUser(uid);
            }
            if (own.getSecurityContext().getRunAsGroup() != null) {
                context.setRunAsGroup(own.getSecurityContext().getRunAsGroup());
            }
            init.setSecurityContext(context);
        }
        if (uid != null && uid != 0 && init.getArgs() != null) {
            List<String> args = new java.util.ArrayList<>(init.getArgs());
            int flag = args.indexOf("-u");
            if (flag >= 0 && flag + 1 < args.size()) {
                args.set(flag + 1, String.valueOf(uid));
                init.setArgs(args);
            }
        }
        PodTree.replaceContainer(pod, init.getName(), Mappers.JSON.valueToTree(init));
    }
}
