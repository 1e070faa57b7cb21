package io.sidecarinjector.reload;

import java.util.List;

/** What happens to configurations, announced as CDI events for whoever counts them (the metrics). */
public final class ConfigurationEvents {

    private ConfigurationEvents() {}

    /**
     * A configuration went into service.
     *
     * @param hash its hash
     * @param unsupportedTemplates the Go templates of its injection configuration that this injector cannot render
     */
    public record Applied(String hash, List<String> unsupportedTemplates) {}

    /** A configuration was rejected; the one in service, if any, stays. */
    public record Rejected(String reason) {}
}
