package io.sidecarinjector.nativeimage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.sidecarinjector.admission.AdmissionResult;
import io.sidecarinjector.admission.AdmissionReviewReader;
import io.sidecarinjector.admission.AdmissionReviewWriter;
import io.sidecarinjector.admission.InvalidAdmissionReviewException;
import io.sidecarinjector.inject.InjectionStatus;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.merge.PodMerger;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.policy.Outcome;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.render.FragmentRenderer;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.support.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes the Jackson mappers once through the steps of an injection before the first request needs them: while a
 * native image is being built, or beside a JVM's start.
 * <p>
 * The first time Jackson meets a type it introspects the type's whole graph, and the fabric8 Pod graph is large
 * enough for that to be a large part of a native executable's start if it happened at run time.
 * In the image builder it runs before the analysis ({@link ImageWarmUpFeature}), and what it leaves in the mappers'
 * caches is stored in the image heap: the finished (de)serialisers ship in the executable. On a JVM it runs on a
 * thread of its own while the application starts.
 */
public final class ImageWarmUp {

    /** The system property that GraalVM sets in a native image ({@code runtime}) and while it builds one. */
    static final String IMAGE_CODE_PROPERTY = "org.graalvm.nativeimage.imagecode";

    private static final String INJECTED_POD = "warm-up/injected-pod.yaml";

    private ImageWarmUp() {}

    /**
     * On a JVM, starts the warm-up on a thread of its own, so that it runs beside the framework's start on another
     * core instead of after it, in the self-check on the main thread, where it would delay readiness. Nothing
     * waits for it and nothing depends on it: if it fails, the self-check does that work
     * itself and reports what is really wrong.
     *
     * @return the thread started, empty in a native image (whose mappers were warmed when it was built)
     */
    public static Optional<Thread> besideJvmStart() {
        if (System.getProperty(IMAGE_CODE_PROPERTY) != null) {
            return Optional.empty();
        }
        Thread thread = new Thread(
                () -> {
                    try {
                        run();
                    } catch (RuntimeException e) {
                        // only a head start was lost
                    }
                },
                "warm-up");
        thread.setDaemon(true);
        thread.start();
        return Optional.of(thread);
    }

    /**
     * Reads a rendered pod, lays it over a pod, diffs, writes and reads the result and writes both kinds of
     * answer; reads the built-in configuration. A failure here fails the image build.
     *
     * @return the patch the sample injection gave
     */
    static ArrayNode run() {
        try {
            Pod pod = ActiveConfigFactory.samplePod();
            ObjectNode injectedTree = FragmentRenderer.parse("warm-up", Resources.text(INJECTED_POD));
            PodMerger.overlay(Mappers.JSON.valueToTree(pod), injectedTree);
            Pod injected = Mappers.JSON.treeToValue(injectedTree, Pod.class);
            ArrayNode patch = PodPatch.diff(pod, injected);
            // read as the webhook reads a pod: from a review's bytes, into the pod's tree, and the model from it
            ObjectNode review = Mappers.JSON.createObjectNode();
            review.put("apiVersion", AdmissionReviewReader.V1).put("kind", "AdmissionReview");
            review.putObject("request")
                    .put("uid", "warm-up")
                    .put("operation", "CREATE")
                    .set("object", Mappers.JSON.valueToTree(injected));
            AdmissionReviewReader.read(Mappers.JSON.writeValueAsBytes(review));
            InjectionStatus.parse(injected.getMetadata().getAnnotations().get(InjectionStatus.ANNOTATION))
                    .toJson();
            AdmissionReviewWriter.response(new AdmissionResult(
                    "warm-up",
                    true,
                    patch,
                    200,
                    null,
                    Map.of("warm-up", "injected"),
                    List.of("warm-up"),
                    Outcome.POLICY_ENABLED));
            AdmissionReviewWriter.response(
                    new AdmissionResult("warm-up", false, null, 400, "warm-up", Map.of(), List.of(), null));
            IstioDocuments.defaults();
            if (patch.isEmpty()) {
                throw new IllegalStateException("the sample injection gave an empty patch");
            }
            return patch;
        } catch (IOException e) {
            throw new UncheckedIOException("warm-up of the JSON mappers failed", e);
        } catch (InvalidAdmissionReviewException e) {
            throw new IllegalStateException("the warm-up's review could not be read: " + e.getMessage(), e);
        }
    }
}
