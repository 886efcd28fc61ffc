package org.gitopssync.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code [ci]}: what the embedded CI evaluates and builds, and how hard it tries. */
public record CiSettings(
        String checksAttribute,
        String system,
        Hosts hosts,
        int maxParallelBuilds,
        Duration noOutputTimeout,
        Duration maxBuildDuration,
        int evalWorkers,
        int evalMaxMemory,
        boolean cacheFailures,
        boolean cancelSuperseded,
        boolean skipSubstitutable,
        boolean checksBlockDeploy,
        String builders,
        String store,
        String evalStore,
        Map<String, CredentialSource> storeEnv) {

    public CiSettings {
        storeEnv = Map.copyOf(storeEnv);
    }

    /** Whose {@code nixosConfigurations.<host>} systems a run builds: this host's, every host's, or a list. */
    public record Hosts(Mode mode, List<String> names) {

        /** How the hosts are chosen. */
        public enum Mode { SELF, ALL, LIST }

        public Hosts {
            names = List.copyOf(names);
        }

        public static Hosts self() {
            return new Hosts(Mode.SELF, List.of());
        }

        public static Hosts all() {
            return new Hosts(Mode.ALL, List.of());
        }

        public static Hosts of(List<String> names) {
            return new Hosts(Mode.LIST, names);
        }

        public static Hosts none() {
            return new Hosts(Mode.LIST, List.of());
        }

        @Override
        public String toString() {
            return mode == Mode.LIST ? names.toString() : ConfigSection.wordOf(mode);
        }
    }

    static CiSettings from(ConfigSection s) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> hosts = s.wordOrStrings("hosts", Set.of("self", "all"), List.of("self"));
        Hosts selection;
        if (hosts.equals(List.of("self"))) {
            selection = Hosts.self();
        } else if (hosts.equals(List.of("all"))) {
            selection = Hosts.all();
        } else {
            for (String h : hosts) {
                if (!h.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                    throw s.error("hosts", "\"" + h + "\" is not a host name (use \"self\", \"all\" or a list of names)");
                }
            }
            selection = Hosts.of(hosts);
        }
        String attr = s.string("checks_attribute", "checks");
        if (!attr.matches("[A-Za-z_][A-Za-z0-9_'-]*")) {
            throw s.error("checks_attribute", "\"" + attr + "\" is not a flake output name");
        }
        Duration silence = s.duration("no_output_timeout", Duration.ofMinutes(20));
        Duration total = s.duration("max_build_duration", Duration.ofHours(4));
        if (silence.isZero() || total.isZero()) {
            throw s.error(silence.isZero() ? "no_output_timeout" : "max_build_duration", "must be more than 0s");
        }
        return new CiSettings(
                attr,
                s.string("system", NixSystem.current()),
                selection,
                s.integer("max_parallel_builds", cores, 1, 1024),
                silence,
                total,
                s.integer("eval_workers", Math.min(cores, 4), 1, 256),
                s.integer("eval_max_memory", 4096, 256, 1 << 20),
                s.bool("cache_failures", true),
                s.bool("cancel_superseded", true),
                s.bool("skip_substitutable", false),
                s.bool("checks_block_deploy", true),
                RemoteStores.builders(s),
                RemoteStores.store(s),
                RemoteStores.evalStore(s),
                storeEnv(s));
    }

    /** {@code store_env}: variable name to credential source, for the nix processes that build. */
    private static Map<String, CredentialSource> storeEnv(ConfigSection s) {
        ConfigSection table = s.section("store_env");
        Map<String, CredentialSource> out = new LinkedHashMap<>();
        for (String name : table.presentKeys()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw table.error(name, "is not an environment variable name");
            }
            if (RemoteStores.RESERVED_ENVIRONMENT.contains(name) || name.startsWith("NIX_CONF")) {
                throw table.error(name, "changes how nix itself runs; store_env is for the remote store's credentials");
            }
            CredentialSource source = table.credential(name, CredentialSource.none());
            if (source instanceof CredentialSource.Env env && env.names().size() != 1) {
                throw table.error(name, "expected one environment variable, got " + env.names());
            }
            out.put(name, source);
        }
        return out;
    }
}
