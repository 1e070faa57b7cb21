package io.sidecarinjector.admission;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sidecarinjector.config.InjectorSettings;
import io.sidecarinjector.inject.InjectorSnapshot;
import io.sidecarinjector.inject.SnapshotHolder;
import io.sidecarinjector.metrics.InjectorMetrics;
import io.sidecarinjector.metrics.InjectorMetrics.FailureType;
import io.sidecarinjector.render.RenderException;

/**
 * The webhook's work for one request body: read, answer with the configuration in service, write. A failure of
 * the injector itself rejects the pod with a message rather than failing the HTTP call, so the API server and the
 * pod's author see what went wrong. Answers are reused for the same question (see {@link AnswerCache}); metrics
 * and logs count every request alike, whether its answer was computed or reused.
 */
@ApplicationScoped
public class AdmissionHandler {

    private static final Logger LOG = Logger.getLogger(AdmissionHandler.class);

    @Inject
    SnapshotHolder holder;

    @Inject
    InjectorMetrics metrics;

    @Inject
    InjectorSettings settings;

    /** Bodies up to this size may be answered on the event loop (a typical pod is under 10 KiB). */
    static final int QUICK_BODY_LIMIT = 64 * 1024;

    private static final long OVERLOAD_WARNING_INTERVAL_NANOS = 10_000_000_000L;

    private volatile AnswerCache answers;
    private final AtomicLong lastOverloadWarning = new AtomicLong(System.nanoTime() - OVERLOAD_WARNING_INTERVAL_NANOS - 1);

    /**
     * The answer, when it costs no injection work: the same question was answered with the configuration in
     * service, or the body is not a review at all. Null otherwise: then {@link #handle} does the work. Meant for
     * the event loop, so only a body of at most {@link #QUICK_BODY_LIMIT} bytes is looked at.
     *
     * @throws InvalidAdmissionReviewException when the body is not an AdmissionReview for a pod
     */
    public byte[] known(byte[] body) throws InvalidAdmissionReviewException {
        if (body != null && body.length > QUICK_BODY_LIMIT) {
            return null;
        }
        long start = System.nanoTime();
        ReviewEnvelope envelope = scan(body, start);
        Optional<InjectorSnapshot> snapshot = holder.current();
        PreparedAnswer known = snapshot.isEmpty() ? null : cacheFor(snapshot.get()).get(AnswerKey.of(envelope));
        return known == null ? null : respond(envelope, known, start);
    }

    /**
     * The answer when there is no capacity left for a pod not seen before: refused with code 429, so that its
     * creator retries. Null when the body is too large to be read here: then the caller answers HTTP 429.
     *
     * @throws InvalidAdmissionReviewException when the body is not an AdmissionReview for a pod
     */
    public byte[] overloaded(byte[] body, int pending) throws InvalidAdmissionReviewException {
        long start = System.nanoTime();
        warnOverloaded(pending);
        byte[] answer = null;
        if (body == null || body.length <= QUICK_BODY_LIMIT) {
            ReviewEnvelope envelope = scan(body, start);
            AdmissionResult refused = AdmissionAnswers.rejected(envelope.uid(), 429,
                    "sidecar injector overloaded (" + pending + " pods in injection): retry",
                    "rejected: overloaded", "overloaded");
            answer = AdmissionReviewWriter.write(envelope.apiVersion(), refused);
        }
        metrics.request();
        metrics.failed(FailureType.OVERLOADED);
        metrics.duration(System.nanoTime() - start);
        return answer;
    }

    /** One line per overload episode rather than per request: the log must not add to the load. */
    private void warnOverloaded(int pending) {
        long now = System.nanoTime();
        long last = lastOverloadWarning.get();
        if (now - last > OVERLOAD_WARNING_INTERVAL_NANOS && lastOverloadWarning.compareAndSet(last, now)) {
            LOG.warnf("overloaded: %d pods in injection, new pods are refused with code 429 until some finish "
                    + "(sidecar_injection_failure_total{type=\"overloaded\"} counts them)", pending);
        }
    }

    /** @throws InvalidAdmissionReviewException when the body is not an AdmissionReview for a pod */
    public byte[] handle(byte[] body) throws InvalidAdmissionReviewException {
        long start = System.nanoTime();
        ReviewEnvelope envelope = scan(body, start);
        PreparedAnswer answer;
        try {
            answer = answer(envelope, holder.current());
        } catch (InvalidAdmissionReviewException e) {
            failedToDecode(start);
            throw e;
        }
        return respond(envelope, answer, start);
    }

    private ReviewEnvelope scan(byte[] body, long start) throws InvalidAdmissionReviewException {
        try {
            return AdmissionReviewReader.scan(body);
        } catch (InvalidAdmissionReviewException e) {
            failedToDecode(start);
            throw e;
        }
    }

    private void failedToDecode(long start) {
        metrics.request();
        metrics.failed(FailureType.DECODE);
        metrics.duration(System.nanoTime() - start);
    }

    private byte[] respond(ReviewEnvelope envelope, PreparedAnswer answer, long start) {
        metrics.request();
        count(answer);
        log(envelope, answer);
        byte[] review = AdmissionReviewWriter.review(envelope.apiVersion(), envelope.uid(), answer.response());
        metrics.duration(System.nanoTime() - start);
        return review;
    }

    private PreparedAnswer answer(ReviewEnvelope envelope, Optional<InjectorSnapshot> snapshot)
            throws InvalidAdmissionReviewException {
        if (snapshot.isEmpty()) {
            return PreparedAnswer.failed(AdmissionAnswers.rejected(envelope.uid(), 503,
                    "sidecar injection unavailable: no valid injection configuration is loaded",
                    "rejected: no valid configuration", "config_unavailable"), FailureType.CONFIG);
        }
        AnswerCache cache = cacheFor(snapshot.get());
        AnswerKey key = AnswerKey.of(envelope);
        PreparedAnswer known = cache.get(key);
        if (known != null) {
            return known;
        }
        PodAdmissionRequest request = envelope.bind();
        try {
            PreparedAnswer answer = PreparedAnswer.of(AdmissionAnswers.answer(request, snapshot.get()));
            cache.put(key, answer);
            return answer;
        } catch (RuntimeException e) {
            // not kept: the next replica tries again
            LOG.warnf(e, "injection failed: uid=%s namespace=%s pod=%s", envelope.uid(), envelope.namespace(),
                    envelope.podName());
            return PreparedAnswer.failed(AdmissionAnswers.rejected(envelope.uid(), 500,
                    "sidecar injection failed: " + AdmissionReviewReader.oneLine(e.getMessage()),
                    "rejected: injection failed", "injection_failed"),
                    e instanceof RenderException ? FailureType.RENDER : FailureType.INTERNAL);
        }
    }

    private AnswerCache cacheFor(InjectorSnapshot snapshot) {
        AnswerCache cache = answers;
        if (cache == null || cache.snapshot() != snapshot) {
            // a reload makes every kept answer stale; a race here only builds one cache too many
            cache = new AnswerCache(snapshot, settings.answerCacheMaxBytes());
            answers = cache;
        }
        return cache;
    }

    private void count(PreparedAnswer answer) {
        AdmissionResult result = answer.result();
        if (answer.failure() != null) {
            metrics.failed(answer.failure());
        } else if (!result.allowed()) {
            metrics.failed(FailureType.REJECTED);
        } else if (result.patch() != null) {
            metrics.injected();
        } else {
            metrics.skipped(result.reason());
        }
    }

    private static void log(ReviewEnvelope envelope, PreparedAnswer answer) {
        AdmissionResult result = answer.result();
        if (answer.failure() == FailureType.RENDER || answer.failure() == FailureType.INTERNAL) {
            return; // logged with its cause where it was caught
        }
        if (!result.allowed()) {
            LOG.warnf("pod rejected: uid=%s namespace=%s pod=%s reason=%s", envelope.uid(), envelope.namespace(),
                    envelope.podName(), result.message());
        } else if (LOG.isDebugEnabled()) {
            LOG.debugf("uid=%s namespace=%s pod=%s decision=%s reason=%s", envelope.uid(), envelope.namespace(),
                    envelope.podName(), result.auditAnnotations().get(AdmissionAnswers.AUDIT_DECISION),
                    result.auditAnnotations().get(AdmissionAnswers.AUDIT_REASON));
        }
    }
}
