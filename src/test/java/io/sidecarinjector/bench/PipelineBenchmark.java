package io.sidecarinjector.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.qute.Engine;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.ValueResolver;
import io.sidecarinjector.admission.AdmissionAnswers;
import io.sidecarinjector.admission.AdmissionReviewReader;
import io.sidecarinjector.admission.AdmissionReviewWriter;
import io.sidecarinjector.admission.PodAdmissionRequest;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.inject.InjectionResult;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.render.TemplateCatalog;
import io.sidecarinjector.support.Mappers;
import io.sidecarinjector.testing.GoldenFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of the in-process pipeline (decide, render, merge, diff, as the webhook computes them) for one pod,
 * without HTTP or JSON decoding: {@code native-tests/bench/pipeline.sh}. Outside the Quarkus application the built-in template is
 * compiled by a plain Qute engine, from the same text, as a configured template would be; rendering happens on a
 * fragment-cache miss only, so what is measured is the pipeline that serves requests.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {

    Pod typical;
    byte[] typicalReview;
    Pod fifty;
    ActiveConfig snapshot;

    @Setup
    public void setUp() throws Exception {
        Engine engine = Engine.builder()
                .addDefaults()
                .addValueResolver(new ReflectionValueResolver())
                .addValueResolver(ValueResolver.builder()
                        .appliesTo(c -> c.getName().equals("quoted") && c.getBase() instanceof String)
                        .resolveSync(c -> Mappers.yamlSafeJson(c.getBase()))
                        .build())
                .build();
        // the built-in sidecar template, given as a Qute template of the configuration: outside the framework the
        // build-time checked templates are not there
        String sidecar = TemplateCatalog.QUTE_MARKER + "\n" + resource("templates/BuiltinTemplates/sidecar.yaml");
        String injection = Mappers.YAML.writeValueAsString(Map.of("templates", Map.of("sidecar", sidecar)));
        IstioDocuments config = IstioDocuments.load(
                Optional.empty(), Optional.of(new TextDocument("bench", injection)), Optional.empty());
        snapshot = ActiveConfigFactory.build(
                engine, config, "", new IstioSwitches(IstioSwitches.NativeSidecars.FALSE, ""), () -> false);
        typical = GoldenFiles.input("several-containers-with-ports");
        typicalReview = Mappers.JSON.writeValueAsBytes(Map.of(
                "apiVersion",
                AdmissionReviewReader.V1,
                "kind",
                "AdmissionReview",
                "request",
                Map.of("uid", "bench", "namespace", "demo", "operation", "CREATE", "object", typical)));
        PodBuilder many = new PodBuilder()
                .withNewMetadata()
                .withName("fifty")
                .addToLabels("app", "fifty")
                .endMetadata()
                .withNewSpec()
                .endSpec();
        for (int i = 0; i < 50; i++) {
            many.editSpec()
                    .addNewContainer()
                    .withName("c" + i)
                    .withImage("example/app:1")
                    .addNewPort()
                    .withContainerPort(8000 + i)
                    .endPort()
                    .endContainer()
                    .endSpec();
        }
        fifty = many.build();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PipelineBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public Object typicalPod() {
        InjectionResult result = Injector.inject(typical, "demo", snapshot);
        return PodPatch.diff(result.submitted(), result.injected());
    }

    /** The whole answer to one request body, as the endpoint computes it: read, decide to diff, write. */
    @Benchmark
    public Object typicalReview() throws Exception {
        PodAdmissionRequest request = AdmissionReviewReader.read(typicalReview);
        return AdmissionReviewWriter.write(request.apiVersion(), AdmissionAnswers.answer(request, snapshot));
    }

    @Benchmark
    public Object fiftyContainerPod() {
        InjectionResult result = Injector.inject(fifty, "demo", snapshot);
        return PodPatch.diff(result.submitted(), result.injected());
    }
}
