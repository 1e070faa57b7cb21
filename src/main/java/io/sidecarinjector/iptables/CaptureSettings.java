package io.sidecarinjector.iptables;

import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code istio-iptables} is told to do, read back from the arguments of the injected {@code istio-init}
 * container: the rules shown to a user are derived from exactly what the pod will run.
 *
 * @param outboundPort {@code -p}
 * @param inboundPort {@code -z}
 * @param proxyUid {@code -u}
 * @param proxyGid {@code -g}, the uid when absent
 * @param mode {@code -m}: REDIRECT or TPROXY
 * @param includeOutboundCidrs {@code -i}: {@code *}, CIDRs, or empty for none
 * @param excludeOutboundCidrs {@code -x}
 * @param includeInboundPorts {@code -b}: {@code *}, ports, or empty for none
 * @param excludeInboundPorts {@code -d}
 * @param excludeOutboundPorts {@code -o}
 */
public record CaptureSettings(
        int outboundPort,
        int inboundPort,
        String proxyUid,
        String proxyGid,
        String mode,
        List<String> includeOutboundCidrs,
        List<String> excludeOutboundCidrs,
        List<String> includeInboundPorts,
        List<String> excludeInboundPorts,
        List<String> excludeOutboundPorts) {

    /** @throws IllegalArgumentException when the container is not an istio-iptables invocation */
    public static CaptureSettings fromInitContainer(Container init) {
        List<String> args = new ArrayList<>();
        if (init.getCommand() != null) {
            args.addAll(init.getCommand());
        }
        if (init.getArgs() != null) {
            args.addAll(init.getArgs());
        }
        if (args.isEmpty() || !args.get(0).equals("istio-iptables")) {
            throw new IllegalArgumentException("container " + init.getName() + " does not run istio-iptables");
        }
        String p = "15001", z = "15006", u = "1337", g = null, m = "REDIRECT", i = "*", x = "", b = "*", d = "", o = "";
        for (int k = 1; k < args.size(); k++) {
            String flag = args.get(k);
            if (!flag.startsWith("-") || flag.startsWith("--") || k + 1 >= args.size()) {
                continue;
            }
            String value = args.get(++k);
            switch (flag) {
                case "-p" -> p = value;
                case "-z" -> z = value;
                case "-u" -> u = value;
                case "-g" -> g = value;
                case "-m" -> m = value;
                case "-i" -> i = value;
                case "-x" -> x = value;
                case "-b" -> b = value;
                case "-d" -> d = value;
                case "-o" -> o = value;
                default -> {
                    // flags that do not change the nat rules
                }
            }
        }
        return new CaptureSettings(
                Integer.parseInt(p),
                Integer.parseInt(z),
                u,
                g == null ? u : g,
                m,
                list(i),
                list(x),
                list(b),
                list(d),
                list(o));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
