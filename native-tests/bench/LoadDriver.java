import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A fixed-rate load driver (open model): request i is due at start + i/rate and its latency is counted from
 * then, so a stalled server shows up in the percentiles instead of slowing the load down.
 *
 * java -cp HdrHistogram.jar LoadDriver.java URL BODY_FILE RATE SECONDS [WARMUP_SECONDS [distinct]]
 *
 * With "distinct", every request carries a pod never sent before: the placeholder SEQ0000000000000 in the body is
 * replaced by a counter of the same length.
 *
 * Prints one line per second (after warm-up) and a summary: requests, errors (no answer, or not HTTP 200), refused
 * (an answer with allowed: false, e.g. under overload), p50/p99/p999/max in ms.
 */
public class LoadDriver {

    static final String PLACEHOLDER = "SEQ0000000000000";

    static HttpRequest numbered(HttpRequest template, byte[] body, int at, long n) {
        byte[] copy = body.clone();
        byte[] digits = String.format("%016d", n).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(digits, 0, copy, at, digits.length);
        return HttpRequest.newBuilder(template, (name, value) -> true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(copy)).build();
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        boolean distinct = args.length > 5 && args[5].equals("distinct");
        int placeholder = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(PLACEHOLDER);
        if (distinct && placeholder < 0) {
            throw new IllegalArgumentException("distinct: the body has no " + PLACEHOLDER);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Recorder recorder = new Recorder(3);
        Histogram total = new Histogram(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong refused = new AtomicLong(); // answered, but the pod was not allowed (e.g. overload)
        AtomicLong sent = new AtomicLong();
        ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        long end = start + (long) (warmup + seconds) * 1_000_000_000L;
        long measureFrom = start + (long) warmup * 1_000_000_000L;
        long nextReport = measureFrom + 1_000_000_000L;
        for (long i = 0;; i++) {
            long due = start + i * intervalNanos;
            if (due >= end) {
                break;
            }
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(Math.min(due - now, 200_000));
            }
            boolean measured = due >= measureFrom;
            if (measured) {
                sent.incrementAndGet();
            }
            HttpRequest next = distinct ? numbered(request, body, placeholder, i) : request;
            CompletableFuture<?> f = client.sendAsync(next, HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        long latency = System.nanoTime() - due;
                        if (measured) {
                            if (failure != null || response.statusCode() != 200) {
                                errors.incrementAndGet();
                            } else if (response.body().contains("\"allowed\":false")) {
                                refused.incrementAndGet();
                            }
                            recorder.recordValue(Math.max(1, latency / 1000));
                        }
                        return null;
                    });
            pending.add(f);
            if (now >= nextReport) {
                Histogram second = recorder.getIntervalHistogram();
                total.add(second);
                System.out.printf("t=%3ds  %6d req/s  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
                        (nextReport - measureFrom) / 1_000_000_000L, second.getTotalCount(),
                        second.getValueAtPercentile(50) / 1000.0, second.getValueAtPercentile(99) / 1000.0,
                        second.getMaxValue() / 1000.0);
                nextReport += 1_000_000_000L;
                pending.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        total.add(recorder.getIntervalHistogram());
        System.out.printf("requests %d  errors %d  refused %d  rate %d/s for %d s  p50 %.3f ms  p99 %.3f ms  p999 %.3f ms  max %.3f ms%n",
                sent.get(), errors.get(), refused.get(), rate, seconds, total.getValueAtPercentile(50) / 1000.0,
                total.getValueAtPercentile(99) / 1000.0, total.getValueAtPercentile(99.9) / 1000.0,
                total.getMaxValue() / 1000.0);
        System.exit(errors.get() == 0 ? 0 : 1);
    }
}
