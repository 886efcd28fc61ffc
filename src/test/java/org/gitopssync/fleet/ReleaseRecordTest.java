package org.gitopssync.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.gitopssync.config.Credential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release records signed with keys from the real {@code nix key} commands, and what a host refuses. */
class ReleaseRecordTest {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String SYSTEM = "/nix/store/0c4ls3y0bn9i4xzw1a3qwrz1ahq2nhgp-nixos-system-web-1";

    @TempDir
    Path tmp;

    static ReleaseRecord record(String host) {
        return new ReleaseRecord(host, COMMIT, SYSTEM, "sha256-Ax7bbnDKrIIqSwzvXgdkonl0JuzigsWrTlYc4DSShlI=", 123456,
                Instant.parse("2026-12-07T02:43:42.517Z"), "builder-1", null);
    }

    static ReleaseSigner signer(NixKeys.KeyPair key) throws IOException {
        return ReleaseSigner.of(Credential.of(Files.readString(key.secretFile()), "file " + key.secretFile()),
                "fleet.signing_key");
    }

    @Test
    void theCanonicalFormIsTheFieldsJoinedBySemicolonsWithTheTimeInWholeSeconds() {
        assertThat(new String(record("web-1").canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "gitops-sync-release-1;web-1;" + COMMIT + ";" + SYSTEM
                        + ";sha256-Ax7bbnDKrIIqSwzvXgdkonl0JuzigsWrTlYc4DSShlI=;123456;2026-12-07T02:43:42Z;builder-1");
    }

    @Test
    void aRecordSignedWithANixSecretKeyVerifiesAgainstItsNixPublicKeyAfterAJsonRoundTrip() throws IOException {
        NixKeys.KeyPair key = NixKeys.generate(tmp, "builder-1");
        ReleaseSigner signer = signer(key);
        assertThat(signer.publicKey()).isEqualTo(key.publicKey());

        ReleaseRecord signed = signer.sign(record("web-1"));
        ReleaseRecord read = ReleaseRecord.parse("web-1/" + COMMIT + ".json", signed.toJson());

        assertThat(read).isEqualTo(signed);
        assertThat(read.signature()).startsWith("builder-1:");
        new TrustedKeys(List.of(key.publicKey())).verify("web-1/" + COMMIT + ".json", read);
    }

    @Test
    void anUnsignedRecordIsRefusedNamingTheRecordAndTheCheck() {
        NixKeys.KeyPair key = NixKeys.generate(tmp, "builder-1");

        assertThatThrownBy(() -> new TrustedKeys(List.of(key.publicKey())).verify("web-1/x.json", record("web-1")))
                .isInstanceOf(ReleaseRefusedException.class)
                .hasMessage("release record web-1/x.json refused (signature): the record is unsigned");
    }

    @Test
    void aRecordSignedByAKeyThatIsNotTrustedIsRefused() throws IOException {
        NixKeys.KeyPair trusted = NixKeys.generate(tmp.resolve("a"), "builder-1");
        NixKeys.KeyPair rogue = NixKeys.generate(tmp.resolve("b"), "rogue-1");

        ReleaseRecord signed = signer(rogue).sign(record("web-1"));

        assertThatThrownBy(() -> new TrustedKeys(List.of(trusted.publicKey())).verify("web-1/x.json", signed))
                .isInstanceOf(ReleaseRefusedException.class)
                .hasMessageContaining("(trusted key): signed by \"rogue-1\", which is not in fleet.trusted_keys");
    }

    @Test
    void anotherKeyUnderATrustedNameOrAnAlteredFieldFailsTheSignature() throws IOException {
        NixKeys.KeyPair trusted = NixKeys.generate(tmp.resolve("a"), "builder-1");
        NixKeys.KeyPair impostor = NixKeys.generate(tmp.resolve("b"), "builder-1");
        TrustedKeys keys = new TrustedKeys(List.of(trusted.publicKey()));

        assertThatThrownBy(() -> keys.verify("r", signer(impostor).sign(record("web-1"))))
                .hasMessageContaining("(signature): the signature by builder-1 does not match");
        String altered = signer(trusted).sign(record("web-1")).toJson().replace("web-1", "db-1");
        assertThatThrownBy(() -> keys.verify("r", ReleaseRecord.parse("r", altered)))
                .hasMessageContaining("(signature)");
    }

    @Test
    void anExternalCiCanSignTheCanonicalFormWithOpensslAsDocumented() throws IOException {
        NixKeys.KeyPair key = NixKeys.generate(tmp, "ci-1");
        ReleaseRecord unsigned = record("web-1");
        Files.write(tmp.resolve("canonical"), unsigned.canonicalBytes());
        // the recipe of docs/fleet.md: the 32-byte seed wrapped as PKCS#8 DER, then a raw Ed25519 signature
        String script = """
                set -euo pipefail
                umask 077
                key=$(cat "$1")
                { printf '\\x30\\x2e\\x02\\x01\\x00\\x30\\x05\\x06\\x03\\x2b\\x65\\x70\\x04\\x22\\x04\\x20'
                  printf '%s' "${key#*:}" | base64 -d | head -c 32; } > "$2/key.der"
                printf '%s:%s' "${key%%:*}" "$(openssl pkeyutl -sign -keyform DER -inkey "$2/key.der" -rawin -in "$2/canonical" | base64 -w0)"
                rm -f "$2/key.der"
                """;
        String signature = NixKeys.run(null, "bash", "-c", script, "sign", key.secretFile().toString(), tmp.toString());

        new TrustedKeys(List.of(key.publicKey())).verify("r", unsigned.signedWith(signature.strip()));
    }

    @Test
    void malformedRecordsAreRefusedAsFormatErrors() {
        assertThatThrownBy(() -> ReleaseRecord.parse("web-1/a.json", "not json"))
                .hasMessageStartingWith("release record web-1/a.json refused (format): not JSON");
        String json = record("web-1").toJson().replace(SYSTEM, "/etc/passwd");
        assertThatThrownBy(() -> ReleaseRecord.parse("web-1/a.json", json))
                .hasMessage("release record web-1/a.json refused (format): system \"/etc/passwd\" is not a store path");
    }

    @Test
    void aPublicKeyGivenAsTheSigningKeyIsNamedAsSuch() {
        NixKeys.KeyPair key = NixKeys.generate(tmp, "builder-1");

        assertThatThrownBy(() -> ReleaseSigner.of(Credential.of(key.publicKey(), "env KEY"), "fleet.signing_key"))
                .isInstanceOf(ReleaseException.class)
                .hasMessage("fleet.signing_key (env KEY): an Ed25519 secret key has 64 bytes, this one 32 (a public key?)");
    }
}
