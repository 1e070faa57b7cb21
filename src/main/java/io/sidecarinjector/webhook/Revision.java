package io.sidecarinjector.webhook;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The revision this injector serves (setting {@code injector.revision}; empty means the default revision), and the
 * names and labels that follow from it. Namespaces and pods choose a revision with the label {@code istio.io/rev},
 * as they choose an istiod; the default revision is also chosen by {@code istio-injection=enabled} and
 * {@code sidecar.istio.io/inject=true}.
 *
 * <p>The webhook configurations of this injector are labelled {@value #REVISION_LABEL} (and tags also
 * {@value #TAG_LABEL}), never {@code istio.io/rev} or {@code istio.io/tag}: istiod patches the caBundle of every
 * configuration labelled {@code istio.io/rev} with its own revision and counts as its tags the configurations
 * labelled {@code istio.io/tag}, so with Istio's labels a running istiod would overwrite our caBundle or claim our
 * tags. docs/revisions.md says more.
 *
 * @param name the revision as configured; empty for the default revision
 */
public record Revision(String name) {

    /** The setting that names the revision. */
    public static final String SETTING = "injector.revision";
    /** Label of every MutatingWebhookConfiguration of this injector: the revision it serves. */
    public static final String REVISION_LABEL = "sidecarinjector.io/revision";
    /** Label of a tag's MutatingWebhookConfiguration: the tag's name. */
    public static final String TAG_LABEL = "sidecarinjector.io/tag";
    /** Istio's label on namespaces and pods that chooses a revision or tag. */
    public static final String ISTIO_REV_LABEL = "istio.io/rev";
    /** The name that stands for the default revision in labels and selectors, as in Istio. */
    public static final String DEFAULT = "default";

    /** A label value: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    public Revision {
        if (name == null) {
            name = "";
        }
        name = name.strip();
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(SETTING + " '" + name + "' is not a valid revision: use at most 63 "
                    + "lowercase letters, digits and '-', starting and ending with a letter or digit");
        }
    }

    /** From the optional setting; absent or blank is the default revision. */
    public static Revision of(Optional<String> setting) {
        return new Revision(setting.orElse(""));
    }

    public boolean isDefault() {
        return name.isEmpty() || name.equals(DEFAULT);
    }

    /** What {@code istio.io/rev} carries for this revision, and the value of {@value #REVISION_LABEL}. */
    public String labelValue() {
        return name.isEmpty() ? DEFAULT : name;
    }

    /** The selector {@code sidecarinjector.io/revision=<label value>} of this revision's webhook configurations. */
    public String labelSelector() {
        return REVISION_LABEL + "=" + labelValue();
    }

    /** Name of the revision's own MutatingWebhookConfiguration. */
    public String webhookConfigurationName() {
        return name.isEmpty() ? "sidecar-injector" : "sidecar-injector-" + name;
    }

    /** Name of the MutatingWebhookConfiguration of a tag that points at a revision. */
    public static String tagConfigurationName(String tag) {
        return "sidecar-injector-tag-" + tag;
    }
}
