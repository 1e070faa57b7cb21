package io.sidecarinjector.render;

import java.util.ArrayList;
import java.util.List;

/** Port lists as the capture rules take them. */
final class Ports {

    private Ports() {}

    /**
     * The inbound ports never captured, with the proxy's status port added unless it is off ({@code 0}) or
     * already listed.
     */
    static String excludeInboundPort(String statusPort, String excluded) {
        String port = statusPort == null ? "" : statusPort.trim();
        if (port.isEmpty() || port.equals("0")) {
            return excluded;
        }
        List<String> ports = new ArrayList<>();
        for (String p : excluded.split(",")) {
            if (p.equals(port)) {
                return excluded;
            }
            if (!p.trim().isEmpty()) {
                ports.add(p.trim());
            }
        }
        ports.add(port);
        return String.join(",", ports);
    }
}
