package io.sidecarinjector.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.Engine;
import io.sidecarinjector.config.ConfigDocuments;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.config.Messages;
import io.sidecarinjector.inject.InjectorSnapshot;
import io.sidecarinjector.inject.SnapshotFactory;
import picocli.CommandLine.Option;

/** Where a command takes its configuration from: files, the cluster, or the built-in defaults. */
public class ConfigOptions {

    @Option(names = "--injectConfigFile", paramLabel = "FILE", description = "The injection document (YAML).")
    Path injectConfigFile;

    @Option(names = "--meshConfigFile", paramLabel = "FILE", description = "The mesh document (YAML).")
    Path meshConfigFile;

    @Option(names = "--cluster", description = "Read both documents from the injector's ConfigMap in the current "
            + "kube context instead of files.")
    boolean cluster;

    @Option(names = "--injector-namespace", paramLabel = "NAMESPACE", defaultValue = "istio-system",
            description = "With --cluster: the injector's namespace (default: ${DEFAULT-VALUE}).")
    String injectorNamespace;

    @Option(names = "--configmap", paramLabel = "NAME", defaultValue = "sidecar-injector",
            description = "With --cluster: the ConfigMap's name (default: ${DEFAULT-VALUE}).")
    String configMap;

    InjectorSnapshot load(Engine engine, KubernetesClient client) throws CliException {
        try {
            if (cluster) {
                return SnapshotFactory.build(engine, fromCluster(client));
            }
            for (Path file : new Path[] { injectConfigFile, meshConfigFile }) {
                if (file != null && !Files.isRegularFile(file)) {
                    throw new CliException(file + ": no such file");
                }
            }
            return SnapshotFactory.build(engine,
                    ConfigFiles.read(Optional.ofNullable(injectConfigFile), Optional.ofNullable(meshConfigFile)).load());
        } catch (InvalidConfigException e) {
            throw new CliException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private io.sidecarinjector.config.InjectorConfig fromCluster(KubernetesClient client)
            throws CliException, InvalidConfigException {
        ConfigMap map;
        try {
            map = client.configMaps().inNamespace(injectorNamespace).withName(configMap).get();
        } catch (KubernetesClientException e) {
            throw new CliException("cannot read ConfigMap " + injectorNamespace + "/" + configMap + ": "
                    + Messages.oneLine(e.getMessage()), e);
        }
        if (map == null) {
            throw new CliException("ConfigMap " + injectorNamespace + "/" + configMap + " not found");
        }
        Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
        String origin = "configmap " + injectorNamespace + "/" + configMap;
        return ConfigDocuments.load(
                Optional.ofNullable(data.get("config")).map(t -> new ConfigDocuments.Document(origin + " key config", t)),
                Optional.ofNullable(data.get("mesh")).map(t -> new ConfigDocuments.Document(origin + " key mesh", t)));
    }
}
