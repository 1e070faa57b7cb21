package io.sidecarinjector.webhook;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The setting {@code injector.revision}: the revision this injector serves (absent or empty: the default revision).
 * Its own mapping, so that the TLS bootstrap and monitor read it without depending on the injection settings.
 */
@ConfigMapping(prefix = "injector")
public interface RevisionSetting {

    /** The revision served; see {@link Revision}. */
    @WithName("revision")
    Optional<String> revision();

    /** The revision, checked: a name that is no valid revision is a clear error. */
    default Revision served() {
        return Revision.of(revision());
    }
}
