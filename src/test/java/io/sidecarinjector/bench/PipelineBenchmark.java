package io.sidecarinjector.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.qute.Engine;
import io.sidecarinjector.admission.AdmissionAnswers;
import io.sidecarinjector.admission.AdmissionReviewReader;
import io.sidecarinjector.admission.AdmissionReviewWriter;
import io.sidecarinjector.admission.PodAdmissionRequest;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.ValueResolver;
import io.sidecarinjector.config.ConfigDocuments;
import io.sidecarinjector.config.InjectorConfig;
import io.sidecarinjector.config.Mappers;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.inject.InjectorSnapshot;
import io.sidecarinjector.inject.SnapshotFactory;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.testing.GoldenFiles;

/**
 * JMH benchmark of the in-process pipeline (decide, render, merge, diff) for one pod, without HTTP or JSON
 * decoding: {@code native-tests/bench/pipeline.sh}. Outside the Quarkus application the built-in template is
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
    InjectorSnapshot snapshot;

    @Setup
    public void setUp() throws Exception {
        Engine engine = Engine.builder().addDefaults().addValueResolver(new ReflectionValueResolver())
                .addValueResolver(ValueResolver.builder()
                        .appliesTo(c -> c.getName().equals("quoted") && c.getBase() instanceof String)
                        .resolveSync(c -> Mappers.yamlSafeJson(c.getBase())).build())
                .addValueResolver(ValueResolver.builder()
                        .appliesTo(c -> c.getName().equals("joinedQuoted") && c.getBase() instanceof List)
                        .resolveSync(c -> Mappers.yamlSafeJson(String.join(",", (List<String>) c.getBase()))).build())
                .build();
        String text = resource("templates/BuiltinTemplates/sidecar.yaml");
        String sidecar = text.replace("{#if initContainer || v.nativeSidecar}", "{#if true}")
                .replace("{#if initContainer}", "{#if true}");
        String cni = text.replace("{#if initContainer || v.nativeSidecar}", "{#if v.nativeSidecar}")
                .replace("{#if initContainer}", "{#if false}");
        InjectorConfig defaults = ConfigDocuments.defaults();
        String injection = Mappers.YAML.writeValueAsString(
                Map.of("templates", Map.of("sidecar", sidecar, "sidecar-cni", cni)));
        InjectorConfig config = ConfigDocuments.load(Optional.of(new ConfigDocuments.Document("bench", injection)),
                Optional.empty());
        snapshot = SnapshotFactory.build(engine, config);
        typical = GoldenFiles.input("several-containers-with-ports");
        typicalReview = Mappers.JSON.writeValueAsBytes(Map.of("apiVersion", AdmissionReviewReader.V1,
                "kind", "AdmissionReview", "request", Map.of("uid", "bench", "namespace", "demo",
                        "operation", "CREATE", "object", typical)));
        PodBuilder many = new PodBuilder().withNewMetadata().withName("fifty").addToLabels("app", "fifty").endMetadata()
                .withNewSpec().endSpec();
        for (int i = 0; i < 50; i++) {
            many.editSpec().addNewContainer().withName("c" + i).withImage("example/app:1").addNewPort()
                    .withContainerPort(8000 + i).endPort().endContainer().endSpec();
        }
        fifty = many.build();
        if (defaults.revision().equals(config.revision())) {
            throw new IllegalStateException("the benchmark configuration did not load");
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PipelineBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public Object typicalPod() {
        return PodPatch.diff(typical, Injector.inject(typical, "demo", snapshot).pod());
    }

    /** The whole answer to one request body, as the endpoint computes it: read, decide to diff, write. */
    @Benchmark
    public Object typicalReview() throws Exception {
        PodAdmissionRequest request = AdmissionReviewReader.read(typicalReview);
        return AdmissionReviewWriter.write(request.apiVersion(), AdmissionAnswers.answer(request, snapshot));
    }

    @Benchmark
    public Object fiftyContainerPod() {
        return PodPatch.diff(fifty, Injector.inject(fifty, "demo", snapshot).pod());
    }
}
