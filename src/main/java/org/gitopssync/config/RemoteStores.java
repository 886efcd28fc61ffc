package org.gitopssync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The {@code [ci]} keys that send builds elsewhere: {@code builders} in Nix's machines format, and
 * {@code store} / {@code eval_store} as Nix store URIs. Checked here so a typo is a config error
 * naming the key, not a nix failure in the middle of a cycle.
 */
final class RemoteStores {

    /** Variables store_env may not set: they change which programs and configuration nix runs with. */
    static final Set<String> RESERVED_ENVIRONMENT = Set.of("PATH", "HOME", "LD_PRELOAD", "LD_LIBRARY_PATH",
            "NIX_PATH", "NIX_REMOTE", "NIX_STORE_DIR", "NIX_STATE_DIR", "NIX_USER_CONF_FILES", "NIX_SSHOPTS");

    private static final Set<String> STORE_WORDS = Set.of("auto", "daemon", "local");
    private static final Set<String> BUILDER_SCHEMES = Set.of("ssh", "ssh-ng");

    private RemoteStores() {
    }

    /** {@code builders}: machines separated by ";", each "uri [systems [key [jobs [speed [features [mandatory [hostkey]]]]]]]", or "@/file". */
    static String builders(ConfigSection s) {
        String value = s.string("builders", "").strip();
        if (value.isEmpty()) {
            return "";
        }
        if (value.startsWith("@")) {
            if (!value.substring(1).startsWith("/")) {
                throw s.error("builders", "\"@\" must be followed by an absolute path to a machines file");
            }
            return value;
        }
        int index = 0;
        for (String machine : value.split(";")) {
            index++;
            String m = machine.strip();
            if (m.isEmpty()) {
                continue;
            }
            String problem = machineProblem(m.split("\\s+"));
            if (problem != null) {
                throw s.error("builders", "machine " + index + " (\"" + m.split("\\s+")[0] + "\"): " + problem);
            }
        }
        return value;
    }

    private static String machineProblem(String[] f) {
        if (f.length > 8) {
            return "has " + f.length + " fields; a machine has at most 8 (uri, systems, ssh key, max jobs, speed "
                    + "factor, features, mandatory features, host key)";
        }
        String uri = f[0];
        int scheme = uri.indexOf("://");
        if (scheme >= 0 && !BUILDER_SCHEMES.contains(uri.substring(0, scheme))) {
            return "a remote builder is reached with ssh:// or ssh-ng://, not " + uri.substring(0, scheme) + "://";
        }
        String host = scheme >= 0 ? uri.substring(scheme + 3) : uri;
        if (host.isEmpty() || !host.matches("([A-Za-z0-9._-]+@)?[A-Za-z0-9._:\\[\\]-]+(\\?.*)?")) {
            return "\"" + uri + "\" is not [ssh-ng://]user@host";
        }
        if (f.length > 1 && !f[1].equals("-") && !f[1].matches("[a-z0-9_]+-[a-z0-9_]+(,[a-z0-9_]+-[a-z0-9_]+)*")) {
            return "systems \"" + f[1] + "\" is not a comma-separated list like x86_64-linux,aarch64-linux (or -)";
        }
        if (f.length > 2 && !f[2].equals("-") && !f[2].startsWith("/")) {
            return "ssh key \"" + f[2] + "\" is not an absolute path (or -)";
        }
        if (f.length > 3 && !f[3].equals("-") && !f[3].matches("[0-9]{1,6}")) {
            return "max jobs \"" + f[3] + "\" is not a whole number (or -)";
        }
        if (f.length > 4 && !f[4].equals("-") && !f[4].matches("[1-9][0-9]{0,5}")) {
            return "speed factor \"" + f[4] + "\" is not a positive whole number (or -)";
        }
        return null;
    }

    /** {@code store}: where builds run and their outputs first land; empty for this machine's store. */
    static String store(ConfigSection s) {
        return storeUri(s, "store");
    }

    /** {@code eval_store}: where evaluation writes derivations; "auto" (this machine) whenever {@code store} is set. */
    static String evalStore(ConfigSection s) {
        String eval = storeUri(s, "eval_store");
        boolean remote = !s.string("store", "").isBlank();
        if (!remote) {
            if (!eval.isEmpty()) {
                throw s.error("eval_store", "only means something with ci.store set (builds on a remote store, "
                        + "evaluation here)");
            }
            return "";
        }
        return eval.isEmpty() ? "auto" : eval;
    }

    private static String storeUri(ConfigSection s, String key) {
        String value = s.string(key, "").strip();
        if (value.isEmpty() || STORE_WORDS.contains(value)) {
            return value;
        }
        if (value.startsWith("/")) {
            return value;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw s.error(key, "\"" + value + "\" is not a Nix store URI (e.g. ssh-ng://builder@host, daemon, auto)");
        }
        if (uri.getScheme() == null || !value.contains("://")) {
            throw s.error(key, "\"" + value + "\" is not a Nix store URI (e.g. ssh-ng://builder@host, daemon, auto)");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw s.error(key, "credentials in the URI are not allowed; put them in ci.store_env");
        }
        return value;
    }
}
