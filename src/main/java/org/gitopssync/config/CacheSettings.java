package org.gitopssync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code [[caches]]}: one binary cache built outputs are pushed to, and who may push there. */
public record CacheSettings(
        String id,
        Type type,
        String destination,
        String endpoint,
        CredentialSource credentials,
        Permissions permissions,
        boolean required,
        CredentialSource signingKey,
        boolean allowPrivateHosts,
        int maxConcurrentUploads,
        int retries,
        Duration timeout) {

    /** The upload tool. */
    public enum Type {
        /** {@code nix copy --to <url>}: file, s3, ssh, ssh-ng, http(s) stores. */
        NIX_COPY,
        /** {@code cachix push <cache>}. */
        CACHIX,
        /** {@code attic push <server>:<cache>}. */
        ATTIC,
        /** {@code niks3 push} to a niks3 server. */
        NIKS3
    }

    /**
     * Which builds may push: everything ({@code allow_all}), or repositories and branches matching
     * globs; pull requests and forks only when said so.
     */
    public record Permissions(boolean allowAll, List<String> repositories, List<String> branches,
            boolean pullRequests, boolean forks) {
        public Permissions {
            repositories = List.copyOf(repositories);
            branches = List.copyOf(branches);
        }
    }

    /** Schemes {@code nix copy} may be pointed at; anything else could reach local files or services. */
    public static final Set<String> NIX_COPY_SCHEMES = Set.of("s3", "https", "http", "ssh", "ssh-ng", "file");

    static List<CacheSettings> fromAll(List<ConfigSection> sections) {
        Map<String, Integer> seen = new HashMap<>();
        List<CacheSettings> out = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            ConfigSection s = sections.get(i);
            CacheSettings c = from(s);
            Integer earlier = seen.putIfAbsent(c.id(), i);
            if (earlier != null) {
                throw s.error("id", "\"" + c.id() + "\" is already used by caches[" + earlier + "]");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    static CacheSettings from(ConfigSection s) {
        String id = s.requiredString("id");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw s.error("id", "\"" + id + "\" is not a valid id (letters, digits, '_', '.', '-')");
        }
        if (!s.has("type")) {
            throw s.error("type", "required: one of \"nix-copy\", \"cachix\", \"attic\", \"niks3\"");
        }
        Type type = s.choice("type", Type.class, Type.NIX_COPY);
        String destination = s.requiredString("destination");
        String endpoint = s.string("endpoint", null);
        validateDestination(s, type, destination, endpoint);
        CredentialSource credentials = s.credential("credentials", CredentialSource.none());
        if (type != Type.NIX_COPY && credentials instanceof CredentialSource.None) {
            throw s.error("credentials", "required for " + ConfigSection.wordOf(type)
                    + " (a push token, e.g. { env = \"" + tokenVariable(type) + "\" })");
        }
        CredentialSource signingKey = s.credential("signing_key", CredentialSource.none());
        if (signingKey instanceof CredentialSource.Env env && env.names().size() != 1) {
            throw s.error("signing_key", "expected one environment variable, got " + env.names());
        }
        return new CacheSettings(
                id,
                type,
                destination,
                endpoint,
                credentials,
                permissions(s),
                s.bool("required", false),
                signingKey,
                s.bool("allow_private_hosts", false),
                s.integer("max_concurrent_uploads", 4, 1, 64),
                s.integer("retries", 2, 0, 10),
                s.duration("timeout", Duration.ofHours(1)));
    }

    private static String tokenVariable(Type type) {
        return switch (type) {
            case CACHIX -> "CACHIX_AUTH_TOKEN";
            case ATTIC -> "ATTIC_TOKEN";
            case NIKS3 -> "NIKS3_TOKEN";
            case NIX_COPY -> "AWS_ACCESS_KEY_ID";
        };
    }

    private static void validateDestination(ConfigSection s, Type type, String destination, String endpoint) {
        if (endpoint != null && type != Type.ATTIC) {
            throw s.error("endpoint", "only attic caches take an endpoint");
        }
        switch (type) {
            case NIX_COPY -> nixCopyUrl(s, destination);
            case CACHIX -> {
                if (!destination.matches("[a-z0-9][a-z0-9-]*")) {
                    throw s.error("destination", "expected a cachix cache name (lower-case letters, digits, '-'), got \""
                            + destination + "\"");
                }
            }
            case ATTIC -> {
                if (!destination.matches("[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+")) {
                    throw s.error("destination", "expected \"<server>:<cache>\" for attic, got \"" + destination + "\"");
                }
                if (endpoint == null) {
                    throw s.error("endpoint", "required for attic: the server's URL, e.g. \"https://attic.example.com/\"");
                }
                webUrl(s, "endpoint", endpoint);
            }
            case NIKS3 -> webUrl(s, "destination", destination);
        }
    }

    private static void nixCopyUrl(ConfigSection s, String destination) {
        URI uri = parse(s, "destination", destination);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!NIX_COPY_SCHEMES.contains(scheme)) {
            throw s.error("destination", "scheme \"" + scheme + "\" is not allowed for nix-copy"
                    + " (use s3, https, http, ssh, ssh-ng or file)");
        }
        String authority = uri.getRawAuthority();
        if (scheme.equals("file")) {
            if (authority != null && !authority.isEmpty()) {
                throw s.error("destination", "a file:// destination takes no host: file:///absolute/path");
            }
            if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getPath().length() < 2) {
                throw s.error("destination", "expected file:///absolute/path");
            }
            return;
        }
        if (authority == null || authority.isEmpty()) {
            throw s.error("destination", "expected a host (or bucket) in " + scheme + "://...");
        }
        noPassword(s, "destination", authority);
        if ((scheme.equals("http") || scheme.equals("https")) && authority.contains("@")) {
            throw s.error("destination", "user names in http(s) URLs are not allowed; use credentials");
        }
    }

    private static void webUrl(ConfigSection s, String key, String url) {
        URI uri = parse(s, key, url);
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw s.error(key, "expected an http:// or https:// URL, got \"" + url + "\"");
        }
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw s.error(key, "expected a host in \"" + url + "\"");
        }
        if (uri.getRawAuthority().contains("@")) {
            throw s.error(key, "credentials in the URL are not allowed; use credentials");
        }
    }

    private static void noPassword(ConfigSection s, String key, String authority) {
        int at = authority.lastIndexOf('@');
        if (at >= 0 && authority.substring(0, at).contains(":")) {
            throw s.error(key, "passwords in the URL are not allowed (they would show in process lists and logs);"
                    + " use credentials");
        }
    }

    private static URI parse(ConfigSection s, String key, String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw s.error(key, "not a valid URL: " + e.getReason());
        }
    }

    private static Permissions permissions(ConfigSection s) {
        if (!s.has("permissions")) {
            throw s.error("permissions", "required: { allow_all = true }, or e.g. { branches = [\"main\"] }");
        }
        ConfigSection p = s.section("permissions");
        boolean allowAll = p.bool("allow_all", false);
        List<String> repositories = p.strings("repositories", null);
        List<String> branches = p.strings("branches", null);
        boolean pullRequests = p.bool("pull_requests", false);
        boolean forks = p.bool("forks", false);
        if (allowAll && (repositories != null || branches != null)) {
            throw p.error("allow_all", "allow_all = true cannot be combined with repositories or branches");
        }
        if (!allowAll && repositories == null && branches == null) {
            throw s.error("permissions", "name repositories and/or branches (globs), or set allow_all = true");
        }
        globs(p, "repositories", repositories);
        globs(p, "branches", branches);
        if (forks && !pullRequests && !allowAll) {
            throw p.error("forks", "forks = true needs pull_requests = true");
        }
        return new Permissions(allowAll,
                repositories == null ? List.of("**") : repositories,
                branches == null ? List.of("**") : branches,
                pullRequests || allowAll,
                forks);
    }

    private static void globs(ConfigSection p, String key, List<String> globs) {
        if (globs == null) {
            return;
        }
        if (globs.isEmpty()) {
            throw p.error(key, "empty list: nothing would ever be pushed; remove the cache instead");
        }
        for (String g : globs) {
            if (g.isBlank() || g.chars().anyMatch(Character::isWhitespace)) {
                throw p.error(key, "\"" + g + "\" is not a valid glob");
            }
        }
    }
}
