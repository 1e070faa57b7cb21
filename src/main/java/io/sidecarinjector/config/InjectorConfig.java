package io.sidecarinjector.config;

/**
 * Both configuration documents, merged over the built-in defaults.
 *
 * @param injection the injection document
 * @param mesh the mesh document
 * @param revision a short hash of both effective documents; it changes whenever what is injected may change
 */
public record InjectorConfig(InjectionConfig injection, MeshConfig mesh, String revision) {
}
