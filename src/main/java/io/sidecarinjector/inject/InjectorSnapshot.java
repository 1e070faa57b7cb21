package io.sidecarinjector.inject;

import io.sidecarinjector.config.InjectorConfig;
import io.sidecarinjector.policy.InjectionPolicy;
import io.sidecarinjector.render.FragmentRenderer;
import io.sidecarinjector.render.TemplateCatalog;

/**
 * One validated configuration, ready to serve: immutable (its fragment cache only memoizes), so a request
 * served with it sees one configuration from start to end, whatever is reloaded meanwhile.
 */
public record InjectorSnapshot(InjectorConfig config, InjectionPolicy policy, TemplateCatalog templates,
        FragmentRenderer fragments) {

    public String revision() {
        return config.revision();
    }
}
