package io.sidecarinjector.tls;

import io.sidecarinjector.webhook.Revision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** TLS of the webhook endpoint. Locally everything is off; the cluster manifests switch it on. */
@ConfigMapping(prefix = "injector.tls")
public interface TlsSettings {

    /** Serve {@code /inject} over HTTPS only (plain HTTP gets 403), and be ready only with a valid certificate. */
    @WithDefault("false")
    boolean required();

    /** The serving certificate (PEM) that the HTTPS server uses; its expiry is checked and exported. */
    @WithName("certificate-file")
    Optional<Path> certificateFile();

    /**
     * Who provides the serving certificate: {@code none} (nobody: plain HTTP, or a file given by other means),
     * {@code self-managed} (this injector: a CA and certificate in a Secret, the CA in the caBundle; the manifests'
     * default), {@code external} (cert-manager or another issuer writes the mounted files and the caBundle).
     */
    @WithDefault("none")
    TlsMode mode();

    /** Who provides the serving certificate. */
    enum TlsMode {
        NONE,
        SELF_MANAGED,
        EXTERNAL
    }

    /** How often the certificate, the caBundle and the renewal date are checked. */
    @WithName("check-interval")
    @WithDefault("1m")
    Duration checkInterval();

    /**
     * Self-managed TLS ({@code mode=self-managed}): where the CA and the certificate are kept. The caBundle goes into
     * the webhook configurations labelled with the revision served ({@code injector.revision}).
     */
    @WithName("self-managed")
    SelfManaged selfManaged();

    interface SelfManaged {

        /** The injector's namespace, where its Secret and Service are. */
        @WithDefault("istio-system")
        String namespace();

        /** The Service that the API server calls; the certificate names it. */
        @WithDefault("sidecar-injector")
        String service();

        /** The Secret that holds the CA and the serving certificate. */
        @WithDefault("sidecar-injector-tls")
        String secret();

        /** Where the serving certificate files are written for the HTTPS server. */
        @WithDefault("/var/run/sidecar-injector/tls")
        Path directory();

        /** Validity of a new CA. */
        @WithName("ca-validity")
        @WithDefault("3650d")
        Duration caValidity();

        /** Validity of a new serving certificate. */
        @WithName("certificate-validity")
        @WithDefault("365d")
        Duration certificateValidity();

        /** A certificate this close to its expiry is renewed; a CA this close to its expiry is replaced. */
        @WithName("renew-before")
        @WithDefault("30d")
        Duration renewBefore();

        /**
         * After a new CA took over, how long the previous one stays in the caBundle: longer than a replica takes to
         * load the new certificate (a check every {@code check-interval}, then the TLS registry's reload period).
         */
        @WithName("rotation-grace")
        @WithDefault("10m")
        Duration rotationGrace();
    }

    default boolean selfManagedMode() {
        return mode() == TlsMode.SELF_MANAGED;
    }

    /**
     * The bootstrap's options for the revision served: the webhook configurations labelled
     * {@code sidecarinjector.io/revision=<revision>} get the caBundle.
     */
    public static TlsBootstrap.Options options(SelfManaged s, Revision revision) {
        return new TlsBootstrap.Options(
                s.namespace(),
                s.service(),
                s.secret(),
                revision,
                s.caValidity(),
                s.certificateValidity(),
                s.renewBefore(),
                s.rotationGrace());
    }
}
