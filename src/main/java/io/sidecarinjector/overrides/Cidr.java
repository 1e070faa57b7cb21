package io.sidecarinjector.overrides;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** CIDR notation, IPv4 or IPv6, checked without ever resolving a name. */
final class Cidr {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private Cidr() {}

    static boolean isValid(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || slash != cidr.lastIndexOf('/')) {
            return false;
        }
        String address = cidr.substring(0, slash);
        String prefix = cidr.substring(slash + 1);
        if (!prefix.matches("[0-9]{1,3}")) {
            return false;
        }
        int bits = Integer.parseInt(prefix);
        if (IPV4.matcher(address).matches()) {
            return bits <= 32;
        }
        // only a literal with ':' reaches InetAddress, which then parses it as IPv6 and never looks it up
        if (address.contains(":") && IPV6_CHARS.matcher(address).matches()) {
            try {
                return InetAddress.getByName(address).getAddress().length == 16 && bits <= 128;
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
