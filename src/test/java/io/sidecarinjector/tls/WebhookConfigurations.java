package io.sidecarinjector.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.sidecarinjector.webhook.Revision;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Webhook configurations for the TLS tests: ours, and ones shaped as an istiod's. */
final class WebhookConfigurations {

    private WebhookConfigurations() {}

    /** A configuration of ours: labelled with the revision, two webhooks calling our Service. */
    static MutatingWebhookConfiguration ours(String name, Revision revision, String namespace, String service) {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(Revision.REVISION_LABEL, revision.labelValue())
                .endMetadata()
                .addNewWebhook()
                .withName("rev.namespace.sidecar-injector.istio.io")
                .withNewClientConfig()
                .withNewService()
                .withName(service)
                .withNamespace(namespace)
                .withPath("/inject")
                .endService()
                .endClientConfig()
                .endWebhook()
                .addNewWebhook()
                .withName("rev.object.sidecar-injector.istio.io")
                .withNewClientConfig()
                .withNewService()
                .withName(service)
                .withNamespace(namespace)
                .withPath("/inject")
                .endService()
                .endClientConfig()
                .endWebhook()
                .build();
    }

    /**
     * Shaped as Istio's chart renders an istiod's: labelled istio.io/rev (and istio.io/tag for a tag), webhooks
     * with the same names as ours, calling istiod with istiod's own CA in the caBundle.
     */
    static MutatingWebhookConfiguration istiods(String name, Map<String, String> labels, String istiodCa) {
        String bundle = Base64.getEncoder().encodeToString(istiodCa.getBytes(StandardCharsets.US_ASCII));
        var builder = new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(labels)
                .addToLabels("app", "sidecar-injector")
                .endMetadata();
        for (String prefix : new String[] {"rev.namespace.", "rev.object.", "namespace.", "object."}) {
            builder.addNewWebhook()
                    .withName(prefix + "sidecar-injector.istio.io")
                    .withNewClientConfig()
                    .withCaBundle(bundle)
                    .withNewService()
                    .withName("istiod")
                    .withNamespace("istio-system")
                    .withPath("/inject")
                    .withPort(443)
                    .endService()
                    .endClientConfig()
                    .endWebhook();
        }
        return builder.build();
    }
}
