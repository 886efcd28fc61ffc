package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gitopssync.config.CacheSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSRF rules for cache destinations, with DNS answered by a map. */
class DestinationGuardTest {

    private final List<String> lookups = new ArrayList<>();
    private final Map<String, String> dns = Map.of(
            "cache.example.com", "93.184.216.34",
            "minio.example.com", "93.184.216.35",
            "metadata.example.com", "169.254.169.254",
            "intranet.example.com", "10.20.30.40",
            "shared.example.com", "100.64.1.2",
            "v6private.example.com", "fd12:3456::1",
            "build.example.com", "93.184.216.36");

    private final DestinationGuard guard = new DestinationGuard(host -> {
        lookups.add(host);
        String ip = dns.get(host);
        if (ip == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(ip));
    });

    private static CacheSettings nixCopy(String url) {
        return TestCaches.cache("c", CacheSettings.Type.NIX_COPY, url).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://localhost:8080",
        "http://LOCALHOST./",
        "https://printer.local/cache",
        "https://foo.localhost/",
        "http://127.0.0.1:5000",
        "http://127.1.2.3",
        "http://0.0.0.0:80",
        "http://[::1]:8080/",
        "http://[::]/",
        "http://10.1.2.3",
        "http://172.16.0.1",
        "http://172.31.255.255",
        "http://192.168.1.10",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1",
        "http://100.127.255.254",
        "http://[fd00::1]",
        "http://[fe80::1]",
        "http://[::ffff:10.0.0.1]",
        "http://[::ffff:169.254.169.254]",
        "http://[64:ff9b::a9fe:a9fe]",
        "http://[2002:0a00:0001::1]",
        "http://0x7f.1",
        "http://0x7f000001",
        "http://2130706433",
        "http://017700000001",
        "http://127.000.000.001",
        "http://metadata.example.com",
        "http://intranet.example.com:9000",
        "http://shared.example.com",
        "http://v6private.example.com",
        "ssh://deploy@10.0.0.5",
        "ssh-ng://root@192.168.0.2",
        "s3://bucket?endpoint=http://192.168.1.2:9000",
        "s3://bucket?region=x&endpoint=localhost:9000",
        "s3://bucket?endpoint=metadata.example.com",
        "http://unknown-host.example.com",
        "http://ex%61mple.com",
        "ftp://cache.example.com",
        "gopher://cache.example.com",
        "file://remote-host/tmp/cache",
        "daemon",
        "local?root=/tmp"})
    void refuses(String url) {
        assertThatThrownBy(() -> guard.check(nixCopy(url)))
                .isInstanceOf(CacheException.class)
                .hasMessageStartingWith("cache c (" + url + "): destination refused: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://cache.example.com",
        "https://cache.example.com:8443/nix?compression=zstd",
        "http://93.184.216.34/",
        "http://[2606:2800:220:1:248:1893:25c8:1946]/",
        "s3://my-bucket?region=eu-west-1",
        "s3://my-bucket?endpoint=minio.example.com&region=x",
        "ssh://nix@build.example.com",
        "ssh-ng://build.example.com",
        "file:///var/cache/nix"})
    void allows(String url) {
        assertThatCode(() -> guard.check(nixCopy(url))).doesNotThrowAnyException();
    }

    @Test
    void privateHostsPassWhenTheCacheOptsIn() {
        assertThatCode(() -> guard.check(TestCaches.cache("c", CacheSettings.Type.NIX_COPY, "http://localhost:8080")
                .allowPrivateHosts().build())).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(TestCaches.cache("c", CacheSettings.Type.NIX_COPY, "http://10.0.0.1")
                .allowPrivateHosts().build())).doesNotThrowAnyException();
    }

    @Test
    void theOptInDoesNotOpenOtherSchemes() {
        assertThatThrownBy(() -> guard.check(TestCaches.cache("c", CacheSettings.Type.NIX_COPY, "ftp://10.0.0.1")
                .allowPrivateHosts().build())).hasMessageContaining("scheme \"ftp\" is not allowed");
    }

    @Test
    void addressLiteralsNeverReachTheResolver() {
        assertThatThrownBy(() -> guard.check(nixCopy("http://10.0.0.1"))).isInstanceOf(CacheException.class);
        assertThatCode(() -> guard.check(nixCopy("http://93.184.216.34"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(nixCopy("http://[::1]"))).isInstanceOf(CacheException.class);
        assertThat(lookups).isEmpty();
    }

    @Test
    void aNameWithAnyPrivateAddressIsRefused() {
        DestinationGuard mixed = new DestinationGuard(host -> List.of(InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("192.168.7.7")));
        assertThatThrownBy(() -> mixed.check(nixCopy("https://cache.example.com")))
                .hasMessageContaining("resolves to 192.168.7.7 (private RFC 1918)");
    }

    @Test
    void atticIsCheckedAtItsEndpointAndNiks3AtItsServer() {
        CacheSettings attic = TestCaches.cache("a", CacheSettings.Type.ATTIC, "srv:cache")
                .endpoint("http://localhost:8080/").build();
        CacheSettings niks3 = TestCaches.cache("n", CacheSettings.Type.NIKS3, "http://169.254.169.254").build();
        assertThatThrownBy(() -> guard.check(attic)).hasMessageContaining("localhost is local");
        assertThatThrownBy(() -> guard.check(niks3)).hasMessageContaining("link-local, cloud metadata");
        assertThatCode(() -> guard.check(TestCaches.cache("a", CacheSettings.Type.ATTIC, "srv:cache")
                .endpoint("https://cache.example.com/").build())).doesNotThrowAnyException();
    }

    @Test
    void cachixNamesAreNotHosts() {
        assertThatCode(() -> guard.check(TestCaches.cache("x", CacheSettings.Type.CACHIX, "localhost").build()))
                .doesNotThrowAnyException();
        assertThat(lookups).isEmpty();
    }
}
