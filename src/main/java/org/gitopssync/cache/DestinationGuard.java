package org.gitopssync.cache;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.gitopssync.GitopsException;
import org.gitopssync.config.CacheSettings;

/**
 * Refuses cache destinations and hook URLs that would make the agent talk to its own machine or network:
 * disallowed schemes, and hosts that are or resolve to loopback, private, link-local (cloud
 * metadata), carrier-grade NAT or unique-local addresses, unless {@code allow_private_hosts}.
 * A name is checked when the push starts; nix and curl resolve it again, so a DNS answer that
 * changes in between is not caught.
 */
public final class DestinationGuard {

    private static final Set<String> WEB_SCHEMES = Set.of("http", "https");

    private final HostResolver resolver;

    public DestinationGuard(HostResolver resolver) {
        this.resolver = resolver;
    }

    /** Throws {@link CacheException} when the cache's destination may not be contacted. */
    void check(CacheSettings settings) {
        Target cache = new Target(settings.destination(), settings.allowPrivateHosts(), "cache",
                why -> new CacheException(settings.id(), settings.destination(), why));
        switch (settings.type()) {
            case NIX_COPY -> checkNixCopy(cache);
            // cachix.org is fixed and public; the destination is only a cache name.
            case CACHIX -> { }
            case ATTIC -> checkUrl(cache, settings.endpoint(), WEB_SCHEMES);
            case NIKS3 -> checkUrl(cache, settings.destination(), WEB_SCHEMES);
        }
    }

    /**
     * Throws {@link DestinationRefusedException}, naming {@code what}, when an http(s) URL that a
     * {@code noun} (e.g. "hook") would contact may not be contacted; same rules as for caches.
     */
    public void checkWebUrl(String what, String noun, String url, boolean allowPrivateHosts) {
        checkUrl(new Target(url, allowPrivateHosts, noun,
                why -> new DestinationRefusedException(what + ": " + why)), url, WEB_SCHEMES);
    }

    /** What is checked, and how a refusal is reported for it. */
    private record Target(String destination, boolean allowPrivateHosts, String noun,
            Function<String, GitopsException> refusal) {
    }

    private void checkNixCopy(Target cache) {
        URI uri = checkUrl(cache, cache.destination(), CacheSettings.NIX_COPY_SCHEMES);
        if ("s3".equals(uri.getScheme())) {
            // The authority is a bucket name; the network host is AWS unless an endpoint says otherwise.
            String endpoint = queryParameter(uri, "endpoint");
            if (endpoint != null) {
                String url = endpoint.contains("://") ? endpoint : "https://" + endpoint;
                checkUrl(cache, url, WEB_SCHEMES);
            }
        }
    }

    private URI checkUrl(Target cache, String url, Set<String> schemes) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refuse(cache, "not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw refuse(cache, "scheme \"" + scheme + "\" is not allowed");
        }
        if (scheme.equals("file")) {
            if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
                throw refuse(cache, "a file:// destination takes no host");
            }
            return uri;
        }
        if (scheme.equals("s3")) {
            return uri;
        }
        String host = hostOf(cache, uri);
        if (!cache.allowPrivateHosts()) {
            checkHost(cache, host);
        }
        return uri;
    }

    private void checkHost(Target cache, String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.startsWith("[")) {
            checkAddresses(cache, host, List.of(literal(cache, name.substring(1, name.length() - 1))));
            return;
        }
        if (!name.matches("[a-z0-9.-]+") || name.isEmpty()) {
            throw refuse(cache, "host \"" + host + "\" is not a plain host name");
        }
        if (name.equals("localhost") || name.endsWith(".localhost") || name.endsWith(".local")) {
            throw refusePrivate(cache, "host " + host + " is local");
        }
        if (looksNumeric(name)) {
            // curl reads 0x7f.1, 017700000001 and 2130706433 as 127.0.0.1: only plain dotted quads pass.
            if (!name.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")) {
                throw refuse(cache, "host \"" + host + "\" is an unusual numeric address form");
            }
            checkAddresses(cache, host, List.of(literal(cache, name)));
            return;
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw refuse(cache, "cannot resolve host " + host);
        }
        if (addresses.isEmpty()) {
            throw refuse(cache, "cannot resolve host " + host);
        }
        checkAddresses(cache, host, addresses);
    }

    private static void checkAddresses(Target cache, String host, List<InetAddress> addresses) {
        for (InetAddress a : addresses) {
            String why = privateRange(a);
            if (why != null) {
                throw refusePrivate(cache, "host " + host + " resolves to " + a.getHostAddress() + " (" + why + ")");
            }
        }
    }

    /** Why an address is not a public one, or null when it is. */
    static String privateRange(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                return privateRange(embedded);
            }
            if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
                return "loopback";
            }
            if (a.isLinkLocalAddress()) {
                return "link-local fe80::/10";
            }
            if (a.isSiteLocalAddress()) {
                return "site-local fec0::/10";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique local fc00::/7";
            }
            if (a.isMulticastAddress()) {
                return "multicast";
            }
            return null;
        }
        byte[] b = a.getAddress();
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 127) {
            return "loopback";
        }
        if (first == 0) {
            return "unspecified 0.0.0.0/8";
        }
        if (first == 10 || first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168) {
            return "private RFC 1918";
        }
        if (first == 169 && second == 254) {
            return "link-local, cloud metadata";
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return "carrier-grade NAT 100.64.0.0/10";
        }
        if (first >= 224) {
            return "multicast or reserved";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address. */
    private static InetAddress embeddedIpv4(byte[] b) {
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0 && !(allZero(b, 12, 15) && (b[15] == 0 || b[15] == 1));
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        try {
            if (mapped || compatible || nat64) {
                return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                return Inet4Address.getByAddress(new byte[] {b[2], b[3], b[4], b[5]});
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean looksNumeric(String name) {
        for (String label : name.split("\\.", -1)) {
            if (!label.matches("[0-9]+|0x[0-9a-f]*")) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress literal(Target cache, String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw refuse(cache, "host \"" + text + "\" is not a plain address");
        }
        try {
            // Only literals reach here (digits, dots, colons), so this never asks DNS.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw refuse(cache, "host \"" + text + "\" is not a valid address");
        }
    }

    private static String hostOf(Target cache, URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw refuse(cache, "no host in the URL");
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw refuse(cache, "unterminated IPv6 address");
            }
            return hostPort.substring(0, close + 1);
        }
        int colon = hostPort.indexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getQuery();
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static GitopsException refuse(Target cache, String why) {
        return cache.refusal().apply("destination refused: " + why);
    }

    private static GitopsException refusePrivate(Target cache, String why) {
        return cache.refusal().apply("destination refused: " + why + "; set allow_private_hosts = true if this "
                + cache.noun() + " is meant to be on a private network");
    }
}
