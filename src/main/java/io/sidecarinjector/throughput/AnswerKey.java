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
    private final byte[] pod;
    private final long checksum;
    private final int hash;

    private AnswerKey(String namespace, String operation, byte[] pod) {
        this.namespace = namespace;
        this.operation = operation;
        this.pod = pod;
        CRC32C crc = new CRC32C();
        crc.update(pod);
        this.checksum = crc.getValue();
        // written out rather than Objects.hash, which boxes the checksum into a new array on every request
        this.hash = 31 * (31 * namespace.hashCode() + operation.hashCode()) + Long.hashCode(checksum);
    }

    /** @param pod the pod's JSON as sent; kept, not copied */
    public static AnswerKey of(String namespace, String operation, byte[] pod) {
        return new AnswerKey(namespace, operation, pod);
    }

    /** Bytes held, for the cache's bound. */
    int size() {
        return pod.length + namespace.length() + operation.length();
    }

    /** 64 bits that equal keys share and unequal keys almost never do: the pod's checksum beside the hash. */
    long fingerprint() {
        return checksum << 32 ^ (hash & 0xffffffffL) ^ pod.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnswerKey k
                && hash == k.hash
                && namespace.equals(k.namespace)
                && operation.equals(k.operation)
                && Arrays.equals(pod, k.pod);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
