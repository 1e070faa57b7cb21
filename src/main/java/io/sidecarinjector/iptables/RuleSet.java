package io.sidecarinjector.iptables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The rules of one table, printed as {@code iptables -t <table> -S} prints them. */
final class RuleSet {

    private static final List<String> NAT_BUILTINS = List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
    private static final List<String> MANGLE_BUILTINS =
            List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");

    private final String table;
    private final Map<String, List<String>> rules = new LinkedHashMap<>();
    private final TreeSet<String> chains = new TreeSet<>();

    RuleSet(String table) {
        this.table = table;
    }

    RuleSet chain(String name) {
        chains.add(name);
        return this;
    }

    RuleSet append(String chain, String rule) {
        rules.computeIfAbsent(chain, c -> new ArrayList<>()).add("-A " + chain + " " + rule);
        return this;
    }

    List<String> lines() {
        List<String> builtins = table.equals("mangle") ? MANGLE_BUILTINS : NAT_BUILTINS;
        List<String> lines = new ArrayList<>();
        lines.add("# iptables -t " + table + " -S");
        builtins.forEach(c -> lines.add("-P " + c + " ACCEPT"));
        chains.forEach(c -> lines.add("-N " + c));
        builtins.forEach(c -> lines.addAll(rules.getOrDefault(c, List.of())));
        chains.forEach(c -> lines.addAll(rules.getOrDefault(c, List.of())));
        return lines;
    }
}
