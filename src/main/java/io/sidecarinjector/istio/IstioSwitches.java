package io.sidecarinjector.istio;

import io.sidecarinjector.config.InvalidConfigException;
import java.util.Locale;
import java.util.Map;

/**
 * Settings that Istio takes from istiod's environment rather than from its documents, read from this injector's
 * environment under the same names (and by {@code kube-inject} from its own, as istioctl reads them).
 *
 * @param nativeSidecars {@code ENABLE_NATIVE_SIDECARS}: true, false, or auto (native sidecars where every node's
 *        kubelet supports them; default)
 * @param compliancePolicy {@code COMPLIANCE_POLICY}: handed to the proxy (e.g. {@code fips-140-2}), or empty
 */
public record IstioSwitches(NativeSidecars nativeSidecars, String compliancePolicy) {

    /** How native sidecars are chosen. */
    public enum NativeSidecars {
        TRUE,
        FALSE,
        AUTO
    }

    public static final String NATIVE_SIDECARS_VARIABLE = "ENABLE_NATIVE_SIDECARS";
    public static final String COMPLIANCE_POLICY_VARIABLE = "COMPLIANCE_POLICY";

    /** @throws InvalidConfigException naming the variable when its value is not one Istio accepts */
    public static IstioSwitches from(Map<String, String> environment) throws InvalidConfigException {
        String native_ =
                environment.getOrDefault(NATIVE_SIDECARS_VARIABLE, "auto").trim();
        NativeSidecars mode = switch (native_.toLowerCase(Locale.ROOT)) {
            case "true" -> NativeSidecars.TRUE;
            case "false" -> NativeSidecars.FALSE;
            case "auto", "" -> NativeSidecars.AUTO;
            default ->
                throw new InvalidConfigException(
                        NATIVE_SIDECARS_VARIABLE + "=" + native_ + " is not one of true, false, auto");
        };
        return new IstioSwitches(
                mode, environment.getOrDefault(COMPLIANCE_POLICY_VARIABLE, "").trim());
    }

    /** The environment of this process. */
    public static IstioSwitches fromProcess() throws InvalidConfigException {
        return from(System.getenv());
    }
}
