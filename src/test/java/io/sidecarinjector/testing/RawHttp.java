package io.sidecarinjector.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Requests over a bare socket, for what the JDK's client does not do reliably or at all: a body refused before it is
 * sent (its client waits for ever on a final answer with a body to {@code Expect: 100-continue}), a body sent in
 * chunks of a chosen size.
 */
public final class RawHttp {

    /** The status line's code and the body of an answer. */
    public record Answer(int status, String headers, String body) {}

    private RawHttp() {}

    /** POST with {@code Expect: 100-continue}: the body goes out only if the server asks for it. */
    public static Answer postExpectingContinue(int port, String path, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            Answer first = read(in);
            if (first.status() != 100) {
                return first;
            }
            out.write(body);
            out.flush();
            return read(in);
        }
    }

    /**
     * POST with the body sent in chunks of {@code chunk} bytes, without a declared length; the body is written whole
     * before the answer is read.
     */
    public static Answer postChunked(int port, String path, byte[] body, int chunk) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int from = 0; from < body.length; from += chunk) {
                int length = Math.min(chunk, body.length - from);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, from, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** One answer: the head up to the blank line, then content-length bytes or up to the end of the stream. */
    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before an answer: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        if (status == 100) {
            return new Answer(status, headers, "");
        }
        int length = -1;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }
}
