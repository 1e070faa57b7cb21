package io.sidecarinjector.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding of certificates and keys, through BouncyCastle's PEM support. */
final class Pem {

    private Pem() {}

    /** A certificate, or a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), which every TLS stack reads. */
    static String encode(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (certificateOrKey instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(certificateOrKey);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM text (a CA bundle); empty for blank text. */
    static List<X509Certificate> certificates(String pem) {
        if (pem == null || pem.isBlank()) {
            return List.of();
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) c);
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not PEM certificates: " + e.getMessage(), e);
        }
    }

    /** Certificates (PEM text each) as one PEM text, one after the other. */
    static String join(List<String> pems) {
        return pems.stream().map(p -> p.endsWith("\n") ? p : p + "\n").collect(Collectors.joining());
    }

    /** The certificates of a caBundle field (base64 of PEM text); empty when the field is empty or unreadable. */
    static List<X509Certificate> fromCaBundle(String caBundle) {
        if (caBundle == null || caBundle.isBlank()) {
            return List.of();
        }
        try {
            return certificates(new String(Base64.getDecoder().decode(caBundle), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Certificates as a caBundle field: base64 of their PEM text. */
    static String toCaBundle(List<X509Certificate> certificates) {
        String pem = certificates.stream().map(Pem::encode).collect(Collectors.joining());
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** A certificate's subject and expiry, for messages; "none" for null. */
    static String summary(String pem) {
        if (pem == null) {
            return "none";
        }
        try {
            X509Certificate c = certificate(pem);
            return c.getSubjectX500Principal().getName() + " until "
                    + c.getNotAfter().toInstant();
        } catch (IllegalArgumentException e) {
            return "unreadable";
        }
    }

    static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("not a PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM private key: " + e.getMessage(), e);
        }
    }
}
