package org.gitopssync.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.CredentialSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How credential sources become environment values, tokens and token files. */
class CacheCredentialsTest {

    @TempDir
    Path tmp;

    private UploadJob job(CredentialSource source, PrivateScratch scratch) {
        CacheSettings cache = TestCaches.cache("c", CacheSettings.Type.NIKS3, "https://n.example.com")
                .credentials(source).build();
        return UploadJob.of(cache, List.of(), false, scratch, null);
    }

    @Test
    void tellsKeyValueFilesFromBareTokens() {
        assertThat(CacheCredentials.structured("CACHIX_AUTH_TOKEN=abc\n# comment\nCACHIX_SIGNING_KEY=def\n")).isTrue();
        assertThat(CacheCredentials.structured("export AWS_ACCESS_KEY_ID=AKIA\n")).isTrue();
        assertThat(CacheCredentials.structured("{\"token\": \"x\"}")).isTrue();
        assertThat(CacheCredentials.structured("dGhpcyBpcyBhIHRva2Vu==\n")).isFalse();
        assertThat(CacheCredentials.structured("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\n")).isFalse();
    }

    @Test
    void aBareTokenFileWithBase64PaddingIsUsedInPlace() throws Exception {
        Path file = tmp.resolve("token");
        Files.writeString(file, "dGhpcyBpcyBhIHRva2Vu==\n");
        CacheCredentials credentials = new CacheCredentials(new CredentialResolver(Map.of(), (p, f) -> null));
        try (PrivateScratch scratch = PrivateScratch.create(tmp.resolve("scratch"), "t-")) {
            UploadJob job = job(new CredentialSource.File(file), scratch);
            assertThat(credentials.configuredTokenFile(job)).contains(file);
            assertThat(job.redacted("token dGhpcyBpcyBhIHRva2Vu== leaked")).isEqualTo("token <redacted> leaked");
        }
    }

    @Test
    void variablesThatWouldChangeHowToolsRunAreRefused() throws Exception {
        Path file = tmp.resolve("creds.json");
        Files.writeString(file, "{\"PATH\": \"/tmp/evil\", \"AWS_ACCESS_KEY_ID\": \"AKIA\"}");
        CacheCredentials credentials = new CacheCredentials(new CredentialResolver(Map.of(), (p, f) -> null));
        try (PrivateScratch scratch = PrivateScratch.create(tmp.resolve("scratch"), "t-")) {
            UploadJob job = job(new CredentialSource.File(file), scratch);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> credentials.named(job, null, Set.of()))
                    .isInstanceOf(CacheException.class)
                    .hasMessage("cache c (https://n.example.com): credentials: \"PATH\" cannot be passed as an"
                            + " environment variable");
        }
    }

    @Test
    void scratchFilesAreOwnerOnlyAndGoneAfterClose() throws Exception {
        Path dir;
        try (PrivateScratch scratch = PrivateScratch.create(tmp.resolve("scratch"), "t-")) {
            dir = scratch.dir();
            Path f = scratch.writeSecret("a/b/secret", "s3cret".getBytes());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(f.getParent()))).isEqualTo("rwx------");
        }
        assertThat(dir).doesNotExist();
    }
}
