package io.sidecarinjector.admission;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sidecarinjector.inject.InjectorSnapshot;
import io.sidecarinjector.inject.SnapshotHolder;
import io.sidecarinjector.metrics.InjectorMetrics;
import io.sidecarinjector.metrics.InjectorMetrics.FailureType;

/**
 * The webhook's work for one request body: read, answer with the configuration in service, write. A failure of
 * the injector itself rejects the pod with a message rather than failing the HTTP call, so the API server and the
 * pod's author see what went wrong.
 */
@ApplicationScoped
public class AdmissionHandler {

    private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);

    @Inject
    SnapshotHolder holder;

    @Inject
    InjectorMetrics metrics;

    /** @throws InvalidAdmissionReviewException when the body is not an AdmissionReview for a pod */
    public byte[] handle(byte[] body) throws InvalidAdmissionReviewException {
        long start = System.nanoTime();
        metrics.request();
        try {
            PodAdmissionRequest request;
            try {
                request = AdmissionReviewReader.read(body);
            } catch (InvalidAdmissionReviewException e) {
                metrics.failed(FailureType.DECODE);
                throw e;
            }
            return AdmissionReviewWriter.write(request.apiVersion(), answer(request, holder.current()));
        } finally {
            metrics.duration(System.nanoTime() - start);
        }
    }

    AdmissionResult answer(PodAdmissionRequest request, Optional<InjectorSnapshot> snapshot) {
        if (snapshot.isEmpty()) {
            metrics.failed(FailureType.CONFIG);
            return AdmissionAnswers.rejected(request.uid(), 503,
                    "sidecar injection unavailable: no valid injection configuration is loaded",
                    "rejected: no valid configuration", "config_unavailable");
        }
        try {
            AdmissionResult result = AdmissionAnswers.answer(request, snapshot.get());
            count(result);
            if (!result.allowed()) {
                LOG.warnf("pod rejected: uid=%s namespace=%s pod=%s reason=%s", request.uid(), request.namespace(),
                        podName(request), result.message());
            } else {
                LOG.debugf("uid=%s namespace=%s pod=%s decision=%s reason=%s", request.uid(), request.namespace(),
                        podName(request), result.auditAnnotations().get(AdmissionAnswers.AUDIT_DECISION),
                        result.auditAnnotations().get(AdmissionAnswers.AUDIT_REASON));
            }
            return result;
        } catch (RuntimeException e) {
            metrics.failed(e instanceof io.sidecarinjector.render.RenderException ? FailureType.RENDER
                    : FailureType.INTERNAL);
            LOG.warnf(e, "injection failed: uid=%s namespace=%s pod=%s", request.uid(), request.namespace(),
                    podName(request));
            return AdmissionAnswers.rejected(request.uid(), 500,
                    "sidecar injection failed: " + AdmissionReviewReader.oneLine(e.getMessage()),
                    "rejected: injection failed", "injection_failed");
        }
    }

    private void count(AdmissionResult result) {
        if (!result.allowed()) {
            metrics.failed(FailureType.REJECTED);
        } else if (result.patch() != null) {
            metrics.injected();
        } else {
            metrics.skipped(result.reason());
        }
    }

    static String podName(PodAdmissionRequest request) {
        var meta = request.pod().getMetadata();
        if (meta == null) {
            return "";
        }
        return meta.getName() != null ? meta.getName() : meta.getGenerateName() == null ? "" : meta.getGenerateName();
    }
}
