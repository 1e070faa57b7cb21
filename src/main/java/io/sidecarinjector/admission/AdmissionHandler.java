package io.sidecarinjector.admission;

import io.sidecarinjector.config.ServiceSettings;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.metrics.InjectorMetrics;
import io.sidecarinjector.policy.Outcome;
import io.sidecarinjector.reload.ActiveConfigHolder;
import io.sidecarinjector.render.RenderException;
import io.sidecarinjector.throughput.AnswerCache;
import io.sidecarinjector.throughput.AnswerKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

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
    ActiveConfigHolder holder;

    @Inject
    InjectorMetrics metrics;

    @Inject
    ServiceSettings settings;

    /** Bodies up to this size may be answered on the event loop (a typical pod is under 10 KiB). */
    static final int QUICK_BODY_LIMIT = 64 * 1024;

    private static final long OVERLOAD_WARNING_INTERVAL_NANOS = 10_000_000_000L;

    private volatile AnswerCache<PreparedAnswer> answers;
    private final AtomicLong lastOverloadWarning =
            new AtomicLong(System.nanoTime() - OVERLOAD_WARNING_INTERVAL_NANOS - 1);

    /**
     * A request as far as the event loop takes it: the review read and its answer, when that costs no injection
     * work (the same question was answered with the configuration in service). A body over
     * {@link #QUICK_BODY_LIMIT} bytes is not read here: its envelope and key are null.
     */
    record Lookup(byte[] body, ReviewEnvelope envelope, AnswerKey key, byte[] answer) {}

    /** @throws InvalidAdmissionReviewException when the body is not an AdmissionReview for a pod */
    Lookup lookUp(byte[] body) throws InvalidAdmissionReviewException {
        if (body != null && body.length > QUICK_BODY_LIMIT) {
            return new Lookup(body, null, null, null);
        }
        long start = System.nanoTime();
        ReviewEnvelope envelope = scan(body, start);
        AnswerKey key = key(envelope);
        Optional<ActiveConfig> snapshot = holder.current();
        PreparedAnswer known =
                snapshot.isEmpty() ? null : cacheFor(snapshot.get()).get(key);
        return new Lookup(body, envelope, key, known == null ? null : respond(envelope, known, start));
    }

    /**
     * The answer when there is no capacity left for a pod not seen before: refused with code 429, so that its
     * creator retries. Null when the body was too large to be read on the event loop: then the caller answers
     * HTTP 429.
     */
    byte[] overloaded(Lookup lookup, int pending) {
        long start = System.nanoTime();
        warnOverloaded(pending);
        byte[] answer = null;
        if (lookup.envelope() != null) {
            AdmissionResult refused = AdmissionAnswers.rejected(
                    lookup.envelope().uid(),
                    429,
                    "sidecar injector overloaded (" + pending + " pods in injection): retry",
                    "rejected: overloaded",
                    Outcome.OVERLOADED);
            answer = AdmissionReviewWriter.write(lookup.envelope().apiVersion(), refused);
        }
        metrics.request();
        metrics.count(Outcome.OVERLOADED);
        metrics.duration(System.nanoTime() - start);
        return answer;
    }

    /** One line per overload episode rather than per request: the log must not add to the load. */
    private void warnOverloaded(int pending) {
        long now = System.nanoTime();
        long last = lastOverloadWarning.get();
        if (now - last > OVERLOAD_WARNING_INTERVAL_NANOS && lastOverloadWarning.compareAndSet(last, now)) {
            LOG.warnf(
                    "overloaded: %d pods in injection, new pods are refused with code 429 until some finish "
                            + "(sidecar_injection_failure_total{type=\"overloaded\"} counts them)",
                    pending);
        }
    }

    /**
     * Answers a request that {@link #lookUp} could not, reusing what it read.
     *
     * @throws InvalidAdmissionReviewException when the body is not an AdmissionReview for a pod
     */
    byte[] handle(Lookup lookup) throws InvalidAdmissionReviewException {
        long start = System.nanoTime();
        ReviewEnvelope envelope = lookup.envelope() != null ? lookup.envelope() : scan(lookup.body(), start);
        AnswerKey key = lookup.key() != null ? lookup.key() : key(envelope);
        PreparedAnswer answer;
        try {
            answer = answer(envelope, key, holder.current());
        } catch (InvalidAdmissionReviewException e) {
            failedToDecode(start);
            throw e;
        }
        return respond(envelope, answer, start);
    }

    private static AnswerKey key(ReviewEnvelope envelope) {
        return AnswerKey.of(
                envelope.namespace(),
                envelope.operation(),
                envelope.body(),
                envelope.objectOffset(),
                envelope.objectLength());
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
        metrics.count(Outcome.UNDECODABLE);
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

    private PreparedAnswer answer(ReviewEnvelope envelope, AnswerKey key, Optional<ActiveConfig> snapshot)
            throws InvalidAdmissionReviewException {
        if (snapshot.isEmpty()) {
            return PreparedAnswer.of(AdmissionAnswers.rejected(
                    envelope.uid(),
                    503,
                    "sidecar injection unavailable: no valid injection configuration is loaded",
                    "rejected: no valid configuration",
                    Outcome.CONFIG_UNAVAILABLE));
        }
        AnswerCache<PreparedAnswer> cache = cacheFor(snapshot.get());
        // another replica may have been answered, or the configuration changed, since the lookup
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
            LOG.warnf(
                    e,
                    "injection failed: uid=%s namespace=%s pod=%s",
                    envelope.uid(),
                    envelope.namespace(),
                    envelope.podName());
            return PreparedAnswer.of(AdmissionAnswers.rejected(
                    envelope.uid(),
                    500,
                    "sidecar injection failed: " + AdmissionReviewReader.oneLine(e.getMessage()),
                    "rejected: injection failed",
                    e instanceof RenderException ? Outcome.RENDER_FAILED : Outcome.INTERNAL_ERROR));
        }
    }

    private AnswerCache<PreparedAnswer> cacheFor(ActiveConfig snapshot) {
        AnswerCache<PreparedAnswer> cache = answers;
        if (cache == null || !cache.answersFor(snapshot)) {
            // a reload makes every kept answer stale; a race here only builds one cache too many
            cache = new AnswerCache<>(snapshot, settings.answerCacheMaxBytes(), answer -> answer.response().length);
            answers = cache;
        }
        return cache;
    }

    private void count(PreparedAnswer answer) {
        metrics.count(answer.outcome());
    }

    private static void log(ReviewEnvelope envelope, PreparedAnswer answer) {
        if (answer.outcome() == Outcome.RENDER_FAILED || answer.outcome() == Outcome.INTERNAL_ERROR) {
            return; // logged with its cause where it was caught
        }
        if (!answer.allowed()) {
            LOG.warnf(
                    "pod rejected: uid=%s namespace=%s pod=%s reason=%s",
                    envelope.uid(), envelope.namespace(), envelope.podName(), answer.message());
        } else if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "uid=%s namespace=%s pod=%s decision=%s reason=%s",
                    envelope.uid(),
                    envelope.namespace(),
                    envelope.podName(),
                    answer.decision(),
                    answer.outcome().code());
        }
    }
}
