package io.sidecarinjector.throughput;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * What an answer depends on besides the configuration: the namespace, the operation and the pod exactly as sent.
 * The pod's bytes are compared in full; the checksum only spreads keys over the table.
 */
public final class AnswerKey {

    private final String namespace;
    private final String operation;
    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final long checksum;
    private final int hash;

    private AnswerKey(String namespace, String operation, byte[] bytes, int offset, int length) {
        this.namespace = namespace;
        this.operation = operation;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        this.checksum = crc.getValue();
        // written out rather than Objects.hash, which boxes the checksum into a new array on every request
        this.hash = 31 * (31 * namespace.hashCode() + operation.hashCode()) + Long.hashCode(checksum);
    }

    /**
     * The pod's JSON as the part of a request body that holds it: the body is kept, not copied, so that a
     * request whose answer is known allocates no copy of its pod.
     */
    public static AnswerKey of(String namespace, String operation, byte[] body, int offset, int length) {
        return new AnswerKey(namespace, operation, body, offset, length);
    }

    /** Bytes held, for the cache's bound. */
    int size() {
        return bytes.length + namespace.length() + operation.length();
    }

    /** 64 bits that equal keys share and unequal keys almost never do: the pod's checksum beside the hash. */
    long fingerprint() {
        return checksum << 32 ^ (hash & 0xffffffffL) ^ length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnswerKey k
                && hash == k.hash
                && namespace.equals(k.namespace)
                && operation.equals(k.operation)
                && Arrays.equals(bytes, offset, offset + length, k.bytes, k.offset, k.offset + k.length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
