package io.sidecarinjector.render;

/** A named template that renders the part of a pod that injection adds, as YAML. */
public interface InjectionTemplate {

    String name();

    /** @throws RenderException when the template cannot be rendered with these values */
    String render(SidecarValues values);
}
