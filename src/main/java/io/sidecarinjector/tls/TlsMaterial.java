package io.sidecarinjector.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook's CA and serving certificate, as PEM text; stored in a Secret and written to files for the HTTPS
 * server. Besides the current CA ({@code ca.crt}, {@code ca.key}) and serving certificate ({@code tls.crt},
 * {@code tls.key}) the Secret keeps the state of a CA rotation, so that every replica and every restart sees the
 * same step:
 * <ul>
 * <li>{@code ca-bundle.crt}: the CAs the webhooks' caBundle must hold (absent in a Secret written before
 * rotations existed: then the current CA alone);</li>
 * <li>{@code next-ca.crt}, {@code next-ca.key}: a new CA that is in the bundle but signs nothing yet;</li>
 * <li>{@code rotated-at}: when the current CA replaced the previous one, which the bundle still holds until
 * every replica has had time to load a certificate of the current CA.</li>
 * </ul>
 *
 * @param bundle PEM of the CAs to trust, the current CA among them
 * @param nextCaCertificate PEM of the CA being introduced, or null
 * @param nextCaKey its key, or null
 * @param rotatedAt when the current CA was promoted while the bundle still trusts its predecessor, or null
 */
public record TlsMaterial(
        String caCertificate,
        String caKey,
        String certificate,
        String key,
        String bundle,
        String nextCaCertificate,
        String nextCaKey,
        Instant rotatedAt) {

    public static final String CA_CRT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    public static final String CA_BUNDLE = "ca-bundle.crt";
    public static final String NEXT_CA_CRT = "next-ca.crt";
    public static final String NEXT_CA_KEY = "next-ca.key";
    public static final String ROTATED_AT = "rotated-at";

    /** A new CA and its first certificate: the bundle is that CA alone. */
    static TlsMaterial of(CertificateAuthority.Issued ca, CertificateAuthority.Issued serving) {
        return new TlsMaterial(
                ca.certificatePem(),
                ca.keyPem(),
                serving.certificatePem(),
                serving.keyPem(),
                ca.certificatePem(),
                null,
                null,
                null);
    }

    /** From a Secret's base64 {@code data}; null when a key of the CA or serving certificate is missing. */
    static TlsMaterial fromSecretData(Map<String, String> data) {
        if (data == null || !data.keySet().containsAll(List.of(CA_CRT, CA_KEY, TLS_CRT, TLS_KEY))) {
            return null;
        }
        String ca = decode(data.get(CA_CRT));
        Instant rotatedAt = null;
        if (data.containsKey(ROTATED_AT)) {
            try {
                rotatedAt = Instant.parse(decode(data.get(ROTATED_AT)).strip());
            } catch (DateTimeParseException e) {
                rotatedAt = Instant.EPOCH; // unreadable: the previous CA has been trusted long enough
            }
        }
        boolean next = data.containsKey(NEXT_CA_CRT) && data.containsKey(NEXT_CA_KEY);
        return new TlsMaterial(
                ca,
                decode(data.get(CA_KEY)),
                decode(data.get(TLS_CRT)),
                decode(data.get(TLS_KEY)),
                data.containsKey(CA_BUNDLE) ? decode(data.get(CA_BUNDLE)) : ca,
                next ? decode(data.get(NEXT_CA_CRT)) : null,
                next ? decode(data.get(NEXT_CA_KEY)) : null,
                rotatedAt);
    }

    Map<String, String> secretData() {
        Map<String, String> data = new HashMap<>(Map.of(
                CA_CRT,
                encode(caCertificate),
                CA_KEY,
                encode(caKey),
                TLS_CRT,
                encode(certificate),
                TLS_KEY,
                encode(key),
                CA_BUNDLE,
                encode(bundle)));
        if (nextCaCertificate != null) {
            data.put(NEXT_CA_CRT, encode(nextCaCertificate));
            data.put(NEXT_CA_KEY, encode(nextCaKey));
        }
        if (rotatedAt != null) {
            data.put(ROTATED_AT, encode(rotatedAt.toString()));
        }
        return data;
    }

    TlsMaterial withCertificate(CertificateAuthority.Issued serving) {
        return new TlsMaterial(
                caCertificate,
                caKey,
                serving.certificatePem(),
                serving.keyPem(),
                bundle,
                nextCaCertificate,
                nextCaKey,
                rotatedAt);
    }

    /** Rotation, step 1: a new CA joins the bundle; the current CA goes on signing. */
    TlsMaterial withNextCa(CertificateAuthority.Issued next) {
        return new TlsMaterial(
                caCertificate,
                caKey,
                certificate,
                key,
                Pem.join(List.of(bundle, next.certificatePem())),
                next.certificatePem(),
                next.keyPem(),
                null);
    }

    /** Rotation, step 2: the next CA signs from now on; the bundle still holds the previous one. */
    TlsMaterial promoted(CertificateAuthority.Issued ca, CertificateAuthority.Issued serving, Instant now) {
        return new TlsMaterial(
                ca.certificatePem(), ca.keyPem(), serving.certificatePem(), serving.keyPem(), bundle, null, null, now);
    }

    /** Rotation, step 3: the bundle keeps only the current CA. */
    TlsMaterial withoutPreviousCa() {
        return new TlsMaterial(caCertificate, caKey, certificate, key, caCertificate, null, null, null);
    }

    /** Whether the serving certificate is signed by the CA, names every DNS name, and stays valid past renewAfter. */
    boolean certificateUsable(List<String> dnsNames, Instant renewAfter) {
        try {
            X509Certificate ca = Pem.certificate(caCertificate);
            X509Certificate cert = Pem.certificate(certificate);
            cert.verify(ca.getPublicKey());
            Pem.privateKey(key);
            return cert.getNotAfter().toInstant().isAfter(renewAfter)
                    && dnsNamesOf(cert).containsAll(dnsNames);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The certificates of the bundle. */
    List<X509Certificate> trusted() {
        return Pem.certificates(bundle);
    }

    static List<String> dnsNamesOf(X509Certificate cert) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        if (cert.getSubjectAlternativeNames() != null) {
            for (List<?> san : cert.getSubjectAlternativeNames()) {
                if (Integer.valueOf(2).equals(san.get(0))) {
                    names.add((String) san.get(1));
                }
            }
        }
        return names;
    }

    /** Writes the serving files and the CA certificate; each file is replaced whole, never seen half-written. */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        write(directory, CA_CRT, caCertificate);
        write(directory, TLS_KEY, key);
        write(directory, TLS_CRT, certificate);
    }

    private static void write(Path directory, String name, String content) throws IOException {
        Path tmp = directory.resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        // keys stay out of logs and assertion messages
        return "TlsMaterial[ca=" + Pem.summary(caCertificate) + ", next=" + Pem.summary(nextCaCertificate)
                + ", rotatedAt=" + rotatedAt + "]";
    }
}
