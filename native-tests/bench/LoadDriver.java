import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A fixed-rate load driver: request i is due at start + i/rate and its latency is counted from then, so a stalled
 * server shows up in the percentiles instead of slowing the load down (no coordinated omission).
 *
 * java -cp HdrHistogram.jar LoadDriver.java URL BODY_FILE RATE SECONDS [WARMUP_SECONDS [distinct]]
 *
 * Requests go over CONNECTIONS keep-alive HTTP/1.1 connections, each written and read by one thread with plain
 * sockets: a general-purpose client (java.net.http) cost more CPU per request than the server on these shared
 * cores, and opened a connection for every request in flight. Up to CONNECTIONS requests are in flight; a request
 * due while all are busy waits, and the wait counts in its latency.
 *
 * With "distinct", every request carries a pod never sent before: the placeholder SEQ0000000000000 in the body is
 * replaced by a counter of the same length that starts at the run's start in microseconds, so that a second run
 * against the same server does not send the first run's pods again (they would be replicas to the webhook).
 * With "-" as BODY_FILE the requests are GETs: pointed at /q/health/live, the same schedule measures the floor of
 * the setup itself (server, driver and shared cores).
 *
 * Prints one line per second (after warm-up) and a summary: requests, errors (no answer, or not HTTP 200), refused
 * (an answer with allowed: false, e.g. under overload), p50/p99/p999/max in ms.
 */
public class LoadDriver {

    static final String PLACEHOLDER = "SEQ0000000000000";
    static final int CONNECTIONS = 64;
    static final int TIMEOUT_MILLIS = 5000;
    static final byte[] REFUSED = "\"allowed\":false".getBytes(StandardCharsets.ISO_8859_1);

    record Response(int status, byte[] body, boolean close) {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        boolean get = args[1].equals("-");
        byte[] body = get ? new byte[0] : Files.readAllBytes(Path.of(args[1]));
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        boolean distinct = args.length > 5 && args[5].equals("distinct");
        long firstNumber = System.currentTimeMillis() * 1000;
        int placeholder = new String(body, StandardCharsets.ISO_8859_1).indexOf(PLACEHOLDER);
        if (distinct && placeholder < 0) {
            throw new IllegalArgumentException("distinct: the body has no " + PLACEHOLDER);
        }
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] head = ((get ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\n" + (get ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long intervalNanos = 1_000_000_000L / rate;
        long total = (long) (warmup + seconds) * rate;
        long firstMeasured = (long) warmup * rate;
        long start = System.nanoTime() + 200_000_000L;
        long measureFrom = start + (long) warmup * 1_000_000_000L;

        Thread[] workers = new Thread[CONNECTIONS];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Thread(() -> {
                Socket socket = null;
                InputStream in = null;
                for (long i; (i = next.getAndIncrement()) < total;) {
                    long due = start + i * intervalNanos;
                    waitUntil(due);
                    boolean measured = i >= firstMeasured;
                    byte[] payload = distinct ? numbered(body, placeholder, firstNumber + i) : body;
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            socket.setSoTimeout(TIMEOUT_MILLIS);
                            socket.connect(address, TIMEOUT_MILLIS);
                            in = new BufferedInputStream(socket.getInputStream(), 65536);
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(head);
                        out.write(payload);
                        out.flush();
                        Response response = read(in);
                        if (measured) {
                            if (response.status() != 200) {
                                errors.incrementAndGet();
                            } else if (contains(response.body(), REFUSED)) {
                                refused.incrementAndGet();
                            }
                        }
                        if (response.close()) {
                            socket.close();
                            socket = null;
                        }
                    } catch (IOException e) {
                        if (measured) {
                            errors.incrementAndGet();
                        }
                        closeQuietly(socket);
                        socket = null;
                    }
                    if (measured) {
                        recorder.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
                    }
                }
                closeQuietly(socket);
            }, "load-" + w);
            workers[w].start();
        }

        Histogram all = new Histogram(3);
        long end = start + (warmup + seconds) * 1_000_000_000L;
        for (long report = measureFrom + 1_000_000_000L; report <= end; report += 1_000_000_000L) {
            waitUntil(report);
            Histogram second = recorder.getIntervalHistogram();
            all.add(second);
            System.out.printf(Locale.ROOT, "t=%3ds  %6d req/s  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
                    (report - measureFrom) / 1_000_000_000L, second.getTotalCount(),
                    second.getValueAtPercentile(50) / 1000.0, second.getValueAtPercentile(99) / 1000.0,
                    second.getMaxValue() / 1000.0);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        all.add(recorder.getIntervalHistogram());
        System.out.printf(Locale.ROOT, "requests %d  errors %d  refused %d  rate %d/s for %d s  p50 %.3f ms  p99 %.3f ms  p999 %.3f ms  max %.3f ms%n",
                all.getTotalCount(), errors.get(), refused.get(), rate, seconds, all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(99) / 1000.0, all.getValueAtPercentile(99.9) / 1000.0,
                all.getMaxValue() / 1000.0);
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    /**
     * Sleeps until a request is due, in one park. Waking each thread every 200 us to look at the clock (as this
     * driver did first) made the driver use 0.8-1.0 of the two cores at 1,000 requests/s, taken from the server
     * under test; with one park it uses about 0.3. A late wake-up counts in the request's latency, as any other
     * delay does.
     */
    static void waitUntil(long due) {
        for (long now; (now = System.nanoTime()) < due;) {
            LockSupport.parkNanos(due - now);
        }
    }

    static byte[] numbered(byte[] body, int at, long n) {
        byte[] copy = body.clone();
        byte[] digits = String.format(Locale.ROOT, "%016d", n).getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(digits, 0, copy, at, digits.length);
        return copy;
    }

    /** One HTTP/1.1 response: a Content-Length or chunked body. */
    static Response read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response: " + status);
        }
        int code = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header; !(header = line(in)).isEmpty();) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> close = value.contains("close");
                default -> {
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long size; (size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16)) > 0;) {
                copy(in, body, size);
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            copy(in, body, length);
        } else {
            throw new IOException("a response without Content-Length or chunked encoding");
        }
        return new Response(code, body.toByteArray(), close);
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    static void copy(InputStream in, ByteArrayOutputStream out, long length) throws IOException {
        byte[] bytes = in.readNBytes(Math.toIntExact(length));
        if (bytes.length < length) {
            throw new EOFException("connection closed in a body");
        }
        out.writeBytes(bytes);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connection is given up either way
            }
        }
    }
}
