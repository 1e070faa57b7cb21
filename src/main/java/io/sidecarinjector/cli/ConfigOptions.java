package io.sidecarinjector.cli;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.Engine;
import io.sidecarinjector.config.ConfigFiles;
import io.sidecarinjector.config.InvalidConfigException;
import io.sidecarinjector.inject.ActiveConfig;
import io.sidecarinjector.istio.IstioDocuments;
import io.sidecarinjector.istio.IstioSwitches;
import io.sidecarinjector.istio.TextDocument;
import io.sidecarinjector.reload.ActiveConfigFactory;
import io.sidecarinjector.support.Messages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where a command takes Istio's documents from, with istioctl's flags: files, an installation's ConfigMaps in the
 * current kube context, or the built-in defaults. Settings istiod takes from its environment are read from this
 * process's environment, as istioctl reads them.
 */
public class ConfigOptions {

    @Option(names = "--meshConfigFile", paramLabel = "FILE", description = "Istio's MeshConfig (YAML).")
    Path meshConfigFile;

    @Option(
            names = "--injectConfigFile",
            paramLabel = "FILE",
            description = "The injector's configuration (the `config` key of istio-sidecar-injector).")
    Path injectConfigFile;

    @Option(
            names = "--valuesFile",
            paramLabel = "FILE",
            description = "Istio's values (the `values` key of istio-sidecar-injector; JSON or YAML).")
    Path valuesFile;

    @Option(
            names = {"-r", "--revision"},
            paramLabel = "REVISION",
            defaultValue = "",
            description = "The Istio revision: its ConfigMaps with --cluster, and what injected pods carry.")
    String revision;

    @Option(
            names = "--cluster",
            description = "Read the documents from the installation's ConfigMaps in the "
                    + "current kube context, for the documents not given as files.")
    boolean cluster;

    @Option(
            names = {"-i", "--istioNamespace"},
            paramLabel = "NAMESPACE",
            defaultValue = "istio-system",
            description = "With --cluster: Istio's namespace (default: ${DEFAULT-VALUE}).")
    String istioNamespace;

    @Option(
            names = "--meshConfigMapName",
            paramLabel = "NAME",
            defaultValue = "istio",
            description = "With --cluster: the MeshConfig's ConfigMap, -<revision> added (default: ${DEFAULT-VALUE}).")
    String meshConfigMapName;

    @Option(
            names = "--injectConfigMapName",
            paramLabel = "NAME",
            defaultValue = "istio-sidecar-injector",
            description = "With --cluster: the injector's ConfigMap, -<revision> added (default: ${DEFAULT-VALUE}).")
    String injectConfigMapName;

    ActiveConfig load(Engine engine, KubernetesClient client) throws CliException {
        try {
            return ActiveConfigFactory.build(
                    engine, documents(client), revision, IstioSwitches.fromProcess(), () -> false);
        } catch (InvalidConfigException e) {
            throw new CliException("invalid configuration: " + e.getMessage(), e);
        }
    }

    IstioDocuments documents(KubernetesClient client) throws CliException, InvalidConfigException {
        ConfigFiles sources = sources(client);
        return IstioDocuments.load(sources.mesh(), sources.config(), sources.values());
    }

    /** The three documents as given: files, else (with --cluster) the ConfigMaps' keys. */
    ConfigFiles sources(KubernetesClient client) throws CliException, InvalidConfigException {
        for (Path file : new Path[] {meshConfigFile, injectConfigFile, valuesFile}) {
            if (file != null && !Files.isRegularFile(file)) {
                throw new CliException(file + ": no such file");
            }
        }
        ConfigFiles files = ConfigFiles.read(
                Optional.ofNullable(meshConfigFile),
                Optional.ofNullable(injectConfigFile),
                Optional.ofNullable(valuesFile));
        if (!cluster) {
            return files;
        }
        Map<String, String> mesh = configMap(client, withRevision(meshConfigMapName));
        Map<String, String> injector = configMap(client, withRevision(injectConfigMapName));
        return new ConfigFiles(
                files.mesh().or(() -> key(mesh, withRevision(meshConfigMapName), "mesh")),
                files.config().or(() -> key(injector, withRevision(injectConfigMapName), "config")),
                files.values().or(() -> key(injector, withRevision(injectConfigMapName), "values")));
    }

    private String withRevision(String name) {
        return revision == null || revision.isEmpty() || revision.equals("default") ? name : name + "-" + revision;
    }

    private Optional<TextDocument> key(Map<String, String> data, String configMap, String key) {
        return Optional.ofNullable(data.get(key))
                .map(text -> new TextDocument("configmap " + istioNamespace + "/" + configMap + " key " + key, text));
    }

    private Map<String, String> configMap(KubernetesClient client, String name) throws CliException {
        ConfigMap map;
        try {
            map = client.configMaps().inNamespace(istioNamespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new CliException(
                    "cannot read ConfigMap " + istioNamespace + "/" + name + ": " + Messages.oneLine(e.getMessage()),
                    e);
        }
        if (map == null) {
            throw new CliException("ConfigMap " + istioNamespace + "/" + name + " not found");
        }
        return map.getData() == null ? Map.of() : map.getData();
    }
}
