package io.sidecarinjector.nativeimage;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import io.fabric8.kubernetes.api.builder.VisitableBuilder;
import io.fabric8.kubernetes.api.model.KubernetesListFluent;

/**
 * In the native executable, a KubernetesList's builder takes no items: it fails with a message where the model
 * would pick the item's builder from a switch over every core kind, or ask the item for its builder.
 * <p>
 * Why: the Kubernetes client extension registers every method of the client for reflection, and one of them builds
 * a KubernetesList; the switch then brings the builder of every core kind, and of every type their objects hold,
 * into the executable. The service neither builds a KubernetesList nor calls the client's {@code resourceList}
 * (it reads and writes Pods, Secrets, ConfigMaps and webhook configurations), so that code would only take room.
 * On a JVM this class does nothing.
 */
@TargetClass(KubernetesListFluent.class)
final class KubernetesListWithoutBuilders {

    private KubernetesListWithoutBuilders() {}

    @Substitute
    protected static <T> VisitableBuilder<T, ?> builder(Object item) {
        throw new UnsupportedOperationException("this executable builds no KubernetesList; an item of kind "
                + item.getClass().getSimpleName() + " was given");
    }
}
