package io.sidecarinjector.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmark of the in-process pipeline (decide, render, merge, diff) for one pod, without HTTP or JSON
 * decoding. {@link RunPipelineBenchmark} runs it inside the Quarkus application, which hands the pipelines over as
 * JDK {@link Supplier}s (so that they cross class loaders); run both with {@code native-tests/bench/pipeline.sh}.
 */
public class PipelineBenchmark {

    static final String TYPICAL = "sidecar-injector.bench.typical";
    static final String FIFTY = "sidecar-injector.bench.fifty";

    @State(Scope.Benchmark)
    public static class Pipelines {
        @SuppressWarnings("unchecked")
        Supplier<Object> typical = (Supplier<Object>) System.getProperties().get(TYPICAL);
        @SuppressWarnings("unchecked")
        Supplier<Object> fifty = (Supplier<Object>) System.getProperties().get(FIFTY);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object typicalPod(Pipelines p) {
        return p.typical.get();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object fiftyContainerPod(Pipelines p) {
        return p.fifty.get();
    }
}
