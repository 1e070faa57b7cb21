package io.sidecarinjector.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules {@code istio-iptables} installs for given capture settings, generated the way it generates them: the
 * nat table for REDIRECT; with TPROXY, inbound capture moves to the mangle table.
 */
public final class IptablesRules {

    /** Inbound tunnel port of the mesh, never captured. */
    static final String TUNNEL_PORT = "15008";
    /** The source address the proxy uses for inbound passthrough on loopback. */
    static final String INBOUND_PASSTHROUGH_SOURCE = "127.0.0.6/32";

    static final String LOCALHOST = "127.0.0.1/32";

    private IptablesRules() {}

    public static List<String> render(CaptureSettings s) {
        boolean tproxy = "TPROXY".equals(s.mode());
        List<String> lines = new ArrayList<>(nat(s, tproxy).lines());
        if (tproxy) {
            lines.addAll(mangle(s).lines());
        }
        return lines;
    }

    private static RuleSet nat(CaptureSettings s, boolean tproxy) {
        RuleSet nat =
                new RuleSet("nat").chain("ISTIO_OUTPUT").chain("ISTIO_REDIRECT").chain("ISTIO_IN_REDIRECT");
        nat.append("ISTIO_REDIRECT", "-p tcp -j REDIRECT --to-ports " + s.outboundPort());
        nat.append("ISTIO_IN_REDIRECT", "-p tcp -j REDIRECT --to-ports " + s.inboundPort());
        if (!tproxy && !s.includeInboundPorts().isEmpty()) {
            nat.chain("ISTIO_INBOUND");
            nat.append("PREROUTING", "-p tcp -j ISTIO_INBOUND");
            inboundCapture(nat, s, List.of(), "-j ISTIO_IN_REDIRECT");
        }
        nat.append("OUTPUT", "-p tcp -j ISTIO_OUTPUT");
        for (String port : s.excludeOutboundPorts()) {
            nat.append("ISTIO_OUTPUT", "-p tcp -m tcp --dport " + port + " -j RETURN");
        }
        nat.append("ISTIO_OUTPUT", "-s " + INBOUND_PASSTHROUGH_SOURCE + " -o lo -j RETURN");
        // the proxy talking to a local address that is not localhost is inbound traffic to itself
        for (String owner : List.of("--uid-owner " + s.proxyUid(), "--gid-owner " + s.proxyGid())) {
            nat.append(
                    "ISTIO_OUTPUT",
                    "! -d " + LOCALHOST + " -o lo -p tcp -m tcp ! --dport " + TUNNEL_PORT + " -m owner " + owner
                            + " -j ISTIO_IN_REDIRECT");
            nat.append("ISTIO_OUTPUT", "-o lo -m owner ! " + owner + " -j RETURN");
            nat.append("ISTIO_OUTPUT", "-m owner " + owner + " -j RETURN");
        }
        nat.append("ISTIO_OUTPUT", "-d " + LOCALHOST + " -j RETURN");
        for (String cidr : s.excludeOutboundCidrs()) {
            nat.append("ISTIO_OUTPUT", "-d " + cidr + " -j RETURN");
        }
        if (s.includeOutboundCidrs().contains("*")) {
            nat.append("ISTIO_OUTPUT", "-j ISTIO_REDIRECT");
        } else {
            for (String cidr : s.includeOutboundCidrs()) {
                nat.append("ISTIO_OUTPUT", "-d " + cidr + " -j ISTIO_REDIRECT");
            }
            nat.append("ISTIO_OUTPUT", "-j RETURN");
        }
        return nat;
    }

    private static RuleSet mangle(CaptureSettings s) {
        RuleSet mangle = new RuleSet("mangle").chain("ISTIO_DIVERT").chain("ISTIO_TPROXY");
        String mark = "0x" + Integer.toHexString(Integer.parseInt(s.proxyUid())) + "/0xffffffff";
        mangle.append("ISTIO_DIVERT", "-j MARK --set-xmark " + mark);
        mangle.append("ISTIO_DIVERT", "-j ACCEPT");
        mangle.append(
                "ISTIO_TPROXY",
                "! -d " + LOCALHOST + " -p tcp -j TPROXY --on-port " + s.inboundPort()
                        + " --on-ip 0.0.0.0 --tproxy-mark " + mark);
        if (!s.includeInboundPorts().isEmpty()) {
            mangle.chain("ISTIO_INBOUND");
            mangle.append("PREROUTING", "-p tcp -j ISTIO_INBOUND");
            // packets of connections already diverted are marked and delivered without going through TPROXY again
            inboundCapture(
                    mangle,
                    s,
                    List.of("-p tcp -m conntrack --ctstate RELATED,ESTABLISHED -j ISTIO_DIVERT"),
                    "-j ISTIO_TPROXY");
        }
        return mangle;
    }

    /** All ports but the excluded ones, or only the listed ones. */
    private static void inboundCapture(RuleSet table, CaptureSettings s, List<String> beforeCatchAll, String target) {
        if (s.includeInboundPorts().contains("*")) {
            table.append("ISTIO_INBOUND", "-p tcp -m tcp --dport " + TUNNEL_PORT + " -j RETURN");
            for (String port : s.excludeInboundPorts()) {
                if (!port.equals(TUNNEL_PORT)) {
                    table.append("ISTIO_INBOUND", "-p tcp -m tcp --dport " + port + " -j RETURN");
                }
            }
            beforeCatchAll.forEach(rule -> table.append("ISTIO_INBOUND", rule));
            table.append("ISTIO_INBOUND", "-p tcp " + target);
        } else {
            beforeCatchAll.forEach(rule -> table.append("ISTIO_INBOUND", rule));
            for (String port : s.includeInboundPorts()) {
                table.append("ISTIO_INBOUND", "-p tcp -m tcp --dport " + port + " " + target);
            }
        }
    }
}
