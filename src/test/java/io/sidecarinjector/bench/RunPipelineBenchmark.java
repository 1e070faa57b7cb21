package io.sidecarinjector.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.sidecarinjector.inject.Injector;
import io.sidecarinjector.inject.InjectorSnapshot;
import io.sidecarinjector.inject.SnapshotHolder;
import io.sidecarinjector.patch.PodPatch;
import io.sidecarinjector.testing.GoldenFiles;

/**
 * Runs {@link PipelineBenchmark} with JMH in this JVM (no fork: the pipeline needs the running application's
 * templates). Not part of the test suite: its name matches no Surefire pattern; {@code native-tests/bench/pipeline.sh}
 * runs it and prints the figures.
 */
@QuarkusTest
class RunPipelineBenchmark {

    @Inject
    SnapshotHolder holder;

    static Supplier<Object> pipeline(Pod pod, InjectorSnapshot snapshot) {
        return () -> PodPatch.diff(pod, Injector.inject(pod, "demo", snapshot).pod());
    }

    @Test
    void run() throws Exception {
        InjectorSnapshot snapshot = holder.current().orElseThrow();
        PodBuilder fifty = new PodBuilder().withNewMetadata().withName("fifty").addToLabels("app", "fifty").endMetadata()
                .withNewSpec().endSpec();
        for (int i = 0; i < 50; i++) {
            fifty.editSpec().addNewContainer().withName("c" + i).withImage("example/app:1").addNewPort()
                    .withContainerPort(8000 + i).endPort().endContainer().endSpec();
        }
        System.getProperties().put(PipelineBenchmark.TYPICAL,
                pipeline(GoldenFiles.input("several-containers-with-ports"), snapshot));
        System.getProperties().put(PipelineBenchmark.FIFTY, pipeline(fifty.build(), snapshot));
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(PipelineBenchmark.class.getName() + ".*")
                .forks(0).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2)).build()).run();
        List<String> lines = new ArrayList<>();
        for (RunResult result : results) {
            lines.add(String.format("pipeline %s: %.1f +- %.1f us/pod", result.getParams().getBenchmark()
                    .replaceAll(".*\\.", ""), result.getPrimaryResult().getScore(),
                    result.getPrimaryResult().getScoreError()));
        }
        lines.forEach(System.out::println);
        assertFalse(lines.isEmpty(), "JMH produced results");
    }
}
