package org.gitopssync.nix;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which Nix (or Lix) is installed, and therefore which command syntax it understands. */
public record NixVersion(String implementation, int major, int minor, int patch) {

    private static final Pattern VERSION = Pattern.compile("\\(([^)]*)\\)\\s+(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Parses {@code nix --version} output: "nix (Nix) 2.8.0", "nix (Lix, like Nix) 2.91.1". */
    public static NixVersion parse(String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            throw new NixException("cannot understand `nix --version` output: " + output.trim());
        }
        String impl = m.group(1).startsWith("Lix") ? "Lix" : "Nix";
        return new NixVersion(impl, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
    }

    public boolean isLix() {
        return implementation.equals("Lix");
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || major == maj && minor >= min;
    }

    /** {@code drv^*} installables and {@code --print-out-paths} arrived in Nix 2.13 (Lix has them). */
    public boolean supportsDerivationOutputsSyntax() {
        return isLix() || atLeast(2, 13);
    }

    /** {@code nix derivation show} replaced {@code nix show-derivation} in Nix 2.15. */
    public List<String> showDerivationSubcommand() {
        return isLix() || atLeast(2, 15) ? List.of("derivation", "show") : List.of("show-derivation");
    }

    @Override
    public String toString() {
        return implementation + " " + major + "." + minor + "." + patch;
    }
}
