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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The webhook's CA and serving certificate, as PEM text; stored in a Secret ({@code ca.crt}, {@code ca.key},
 * {@code tls.crt}, {@code tls.key}) and written to files for the HTTPS server.
 */
public record TlsMaterial(String caCertificate, String caKey, String certificate, String key) {

    public static final String CA_CRT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String TLS_CRT = "tls.crt";
    public static final String TLS_KEY = "tls.key";

    static TlsMaterial of(CertificateAuthority.Issued ca, CertificateAuthority.Issued serving) {
        return new TlsMaterial(ca.certificatePem(), ca.keyPem(), serving.certificatePem(), serving.keyPem());
    }

    /** From a Secret's base64 {@code data}; null when a key is missing. */
    static TlsMaterial fromSecretData(Map<String, String> data) {
        if (data == null || !data.keySet().containsAll(List.of(CA_CRT, CA_KEY, TLS_CRT, TLS_KEY))) {
            return null;
        }
        return new TlsMaterial(decode(data.get(CA_CRT)), decode(data.get(CA_KEY)), decode(data.get(TLS_CRT)),
                decode(data.get(TLS_KEY)));
    }

    Map<String, String> secretData() {
        return Map.of(CA_CRT, encode(caCertificate), CA_KEY, encode(caKey), TLS_CRT, encode(certificate),
                TLS_KEY, encode(key));
    }

    /**
     * Whether the serving certificate is signed by the CA, names every DNS name, and stays valid past
     * {@code renewAfter}.
     */
    boolean usable(List<String> dnsNames, Instant renewAfter) {
        try {
            X509Certificate ca = Pem.certificate(caCertificate);
            X509Certificate cert = Pem.certificate(certificate);
            cert.verify(ca.getPublicKey());
            Pem.privateKey(key);
            Pem.privateKey(caKey);
            return cert.getNotAfter().toInstant().isAfter(renewAfter) && ca.getNotAfter().toInstant().isAfter(renewAfter)
                    && dnsNamesOf(cert).containsAll(dnsNames);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
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

    String caBundle() {
        return encode(caCertificate);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }
}
