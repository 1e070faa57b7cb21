package io.sidecarinjector.nativeimage;

import org.graalvm.nativeimage.hosted.Feature;

/**
 * Runs {@link ImageWarmUp} in the image builder, before the analysis (named in
 * META-INF/native-image/.../native-image.properties, so every native build applies it). A failure fails the build.
 * It is a class of its own because the image builder's API is not on a JVM's class path.
 */
public final class ImageWarmUpFeature implements Feature {

    @Override
    public String getDescription() {
        return "Takes the injector's JSON mappers through one injection, so that the image ships them ready";
    }

    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        ImageWarmUp.run();
    }
}
