package io.sidecarinjector.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sidecarinjector.webhook.Revision;
import java.net.HttpURLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The caBundle of our webhooks: those that call our Service, in the MutatingWebhookConfigurations labelled
 * {@code sidecarinjector.io/revision=<our revision>} (the revision's own configuration and its tags). Nothing else
 * is read for writing or written: not istiod's configurations, not a webhook of ours that calls another Service.
 *
 * <p>Each write is an update with the resourceVersion that was read, so two replicas never lose each other's
 * change. A replica whose view of the Secret is older than another's must not undo the other's rotation step: a CA
 * in the bundle that this replica does not know and that is newer than every CA it knows comes from a newer step,
 * and is kept.
 */
final class WebhookBundles {

    private static final Logger LOG = Logger.getLogger(WebhookBundles.class);
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final Clock clock;
    private final Revision revision;
    private final String namespace;
    private final String service;

    WebhookBundles(KubernetesClient client, Clock clock, Revision revision, String namespace, String service) {
        this.client = client;
        this.clock = clock;
        this.revision = revision;
        this.namespace = namespace;
        this.service = service;
    }

    /**
     * Our configurations, as the API server has them now. Listed with a plain GET: the client's list() reflects on
     * model classes of API groups this build leaves out (autoscaling), and fails.
     */
    List<MutatingWebhookConfiguration> configurations() {
        String body = client.raw("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector="
                + URLEncoder.encode(revision.labelSelector(), StandardCharsets.UTF_8));
        if (body == null) {
            throw new IllegalStateException("the API server does not list MutatingWebhookConfigurations");
        }
        MutatingWebhookConfigurationList list =
                client.getKubernetesSerialization().unmarshal(body, MutatingWebhookConfigurationList.class);
        return list.getItems() == null ? List.of() : list.getItems();
    }

    boolean ours(MutatingWebhook webhook) {
        return webhook.getClientConfig() != null
                && webhook.getClientConfig().getService() != null
                && service.equals(webhook.getClientConfig().getService().getName())
                && namespace.equals(webhook.getClientConfig().getService().getNamespace());
    }

    /** Whether every webhook of ours in the configuration trusts every given CA. */
    boolean trusts(MutatingWebhookConfiguration config, List<X509Certificate> cas) {
        List<MutatingWebhook> webhooks = config.getWebhooks() == null
                ? List.of()
                : config.getWebhooks().stream().filter(this::ours).toList();
        return !webhooks.isEmpty()
                && webhooks.stream()
                        .allMatch(w -> Pem.fromCaBundle(w.getClientConfig().getCaBundle())
                                .containsAll(cas));
    }

    /** Whether there is a webhook of ours, and every one of them trusts the CA. */
    boolean trustedEverywhere(X509Certificate ca) {
        List<MutatingWebhookConfiguration> configs = configurations().stream()
                .filter(c -> c.getWebhooks() != null && c.getWebhooks().stream().anyMatch(this::ours))
                .toList();
        return !configs.isEmpty() && configs.stream().allMatch(c -> trusts(c, List.of(ca)));
    }

    /**
     * Makes every webhook of ours trust exactly the given CAs (plus newer ones written by a replica with a newer
     * view).
     *
     * @return true if a configuration was changed
     */
    boolean ensure(List<X509Certificate> trusted) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<MutatingWebhookConfiguration> configs = configurations();
            boolean found = false;
            boolean changed = false;
            try {
                for (MutatingWebhookConfiguration config : configs) {
                    boolean edited = false;
                    for (MutatingWebhook webhook :
                            config.getWebhooks() == null ? List.<MutatingWebhook>of() : config.getWebhooks()) {
                        if (!ours(webhook)) {
                            continue;
                        }
                        found = true;
                        String wanted = Pem.toCaBundle(wanted(
                                trusted,
                                Pem.fromCaBundle(webhook.getClientConfig().getCaBundle())));
                        if (!wanted.equals(webhook.getClientConfig().getCaBundle())) {
                            webhook.getClientConfig().setCaBundle(wanted);
                            edited = true;
                        }
                    }
                    if (edited) {
                        // carries the resourceVersion that was listed: a concurrent change makes this a 409
                        client.admissionRegistration()
                                .v1()
                                .mutatingWebhookConfigurations()
                                .resource(config)
                                .update();
                        LOG.infof(
                                "wrote the caBundle of MutatingWebhookConfiguration %s",
                                config.getMetadata().getName());
                        changed = true;
                    }
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                continue; // changed under us: list again
            }
            if (!found) {
                throw new IllegalStateException("no MutatingWebhookConfiguration labelled " + revision.labelSelector()
                        + " has a webhook calling Service " + namespace + "/" + service);
            }
            return changed;
        }
        throw new IllegalStateException("the MutatingWebhookConfigurations labelled " + revision.labelSelector()
                + " kept changing under us; giving up after " + ATTEMPTS + " attempts");
    }

    /** The CAs to trust, then those of the present bundle that come from a newer rotation step and are valid. */
    private List<X509Certificate> wanted(List<X509Certificate> trusted, List<X509Certificate> present) {
        Date newestKnown = trusted.stream()
                .map(X509Certificate::getNotBefore)
                .max(Date::compareTo)
                .orElse(new Date(0));
        Instant now = clock.instant();
        List<X509Certificate> wanted = new ArrayList<>(trusted);
        for (X509Certificate ca : present) {
            if (!wanted.contains(ca)
                    && ca.getNotBefore().after(newestKnown)
                    && ca.getNotAfter().toInstant().isAfter(now)
                    && ca.getBasicConstraints() >= 0) {
                wanted.add(ca);
            }
        }
        return wanted;
    }
}
