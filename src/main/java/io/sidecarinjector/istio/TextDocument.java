package io.sidecarinjector.istio;

/**
 * A configuration document as text, with the name its errors are reported under (usually a file path, or a
 * ConfigMap and key).
 */
public record TextDocument(String name, String text) {}
