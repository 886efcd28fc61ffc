package org.gitopssync.secrets.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.sops.SopsFormat;
import org.junit.jupiter.api.Test;

class SecretsManifestTest {

    private static SecretsManifest parse(String toml) {
        return SecretsManifest.parse("secrets/manifest.toml", toml.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String toml, String message) {
        assertThatThrownBy(() -> parse(toml)).isInstanceOf(SecretsException.class).hasMessage(message);
    }

    @Test
    void everySourceKindWithDefaultsAndDeclaredAccess() {
        SecretsManifest m = parse("""
                default_sops_file = "secrets/host.yaml"

                [[secrets]]
                name = "db/password"
                key = "db/password"
                owner = "nobody"
                mode = "0440"
                path = "/etc/app/db-password"
                restart_units = ["app.service", "app-worker@1.service"]
                reload_units = ["nginx.service"]

                [[secrets]]
                name = "whole.env"
                sops_file = "secrets/app.env"

                [[secrets]]
                name = "keytab"
                sops_file = "secrets/krb5.keytab"
                format = "binary"
                group = "nogroup"
                mode = "400"

                [[secrets]]
                name = "agenix"
                age_file = "secrets/secret1.age"

                [[secrets]]
                name = "vault/api"
                vault = "secret/app/api"
                field = "token"

                [[templates]]
                name = "app.conf"
                content = "password={{ secret \\"db/password\\" }}"
                owner = "nobody"
                mode = "0400"

                [[templates]]
                name = "other.conf"
                file = "templates/other.conf"
                """);

        assertThat(m.entries()).hasSize(5);
        ManifestEntry db = m.entries().get(0);
        assertThat(db.source()).isEqualTo(new SecretSource.SopsValue("secrets/host.yaml", SopsFormat.YAML, "db/password"));
        assertThat(db.access()).isEqualTo(new Access("nobody", Optional.empty(), 0440));
        assertThat(db.path()).contains(Path.of("/etc/app/db-password"));
        assertThat(db.restartUnits()).containsExactly("app.service", "app-worker@1.service");
        assertThat(db.reloadUnits()).containsExactly("nginx.service");
        assertThat(db.line()).isEqualTo(3);
        assertThat(m.where(db)).isEqualTo("secrets/manifest.toml:3");
        assertThat(m.entries().get(1).source()).isEqualTo(new SecretSource.SopsDocument("secrets/app.env", SopsFormat.DOTENV));
        assertThat(m.entries().get(1).access()).isEqualTo(Access.defaults());
        assertThat(m.entries().get(2).source()).isEqualTo(new SecretSource.SopsDocument("secrets/krb5.keytab", SopsFormat.BINARY));
        assertThat(m.entries().get(2).access()).isEqualTo(new Access("root", Optional.of("nogroup"), 0400));
        assertThat(m.entries().get(3).source()).isEqualTo(new SecretSource.AgeFile("secrets/secret1.age"));
        assertThat(m.entries().get(4).source()).isEqualTo(new SecretSource.VaultField("secret/app/api", "token"));
        assertThat(m.templates()).extracting(ManifestTemplate::relativePath)
                .containsExactly("rendered/app.conf", "rendered/other.conf");
        assertThat(m.templates().get(1).file()).contains("templates/other.conf");
        assertThat(m.items()).hasSize(7);
    }

    @Test
    void aWholeYamlFileNeedsNoKey() {
        SecretsManifest m = parse("[[secrets]]\nname = \"all\"\nsops_file = \"s.yaml\"\nkey = \"\"\n");
        assertThat(m.entries().get(0).source()).isEqualTo(new SecretSource.SopsDocument("s.yaml", SopsFormat.YAML));
    }

    @Test
    void unsafeNamesAreRefusedNamingTheLine() {
        refused("[[secrets]]\nname = \"../etc/shadow\"\nsops_file = \"s.yaml\"\n",
                "secrets/manifest.toml:2: secret \"../etc/shadow\": name: \"../etc/shadow\" is refused: \"..\" components are not allowed");
        refused("[[secrets]]\nname = \"/etc/shadow\"\nsops_file = \"s.yaml\"\n",
                "secrets/manifest.toml:2: secret \"/etc/shadow\": name: \"/etc/shadow\" is refused: absolute names are not"
                        + " allowed (a name is a path below the secrets root)");
        refused("\n[[secrets]]\nname = \"a//b\"\nsops_file = \"s.yaml\"\n",
                "secrets/manifest.toml:3: secret \"a//b\": name: \"a//b\" is refused: empty path components (\"//\" or a"
                        + " trailing \"/\") are not allowed");
        refused("[[secrets]]\nname = \"a/\"\nsops_file = \"s.yaml\"\n",
                "secrets/manifest.toml:2: secret \"a/\": name: \"a/\" is refused: empty path components (\"//\" or a"
                        + " trailing \"/\") are not allowed");
        refused("[[secrets]]\nname = \"\"\nsops_file = \"s.yaml\"\n",
                "secrets/manifest.toml:2: secret \"\": name: \"\" is refused: the name is empty");
        refused("[[templates]]\nname = \"x/../../y\"\ncontent = \"\"\n",
                "secrets/manifest.toml:2: template \"x/../../y\": name: \"x/../../y\" is refused: \"..\" components are"
                        + " not allowed");
        refused("[[secrets]]\nsops_file = \"s.yaml\"\n",
                "secrets/manifest.toml:1: secret: name is required");
    }

    @Test
    void sourcesMustBeExactlyOneAndConsistent() {
        refused("[[secrets]]\nname = \"a\"\n",
                "secrets/manifest.toml:1: secret \"a\": no source: give sops_file (with an optional key), age_file or vault"
                        + " (or set default_sops_file at the top of the manifest)");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nage_file = \"a.age\"\n",
                "secrets/manifest.toml:1: secret \"a\": give exactly one of sops_file, age_file and vault");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.bin\"\nkey = \"x\"\n",
                "secrets/manifest.toml:4: secret \"a\": key: a key only selects a value in yaml or json sops files;"
                        + " s.bin is binary and installs as a whole");
        refused("[[secrets]]\nname = \"a\"\nage_file = \"a.age\"\nkey = \"x\"\n",
                "secrets/manifest.toml:4: secret \"a\": key: key only goes with sops_file");
        refused("[[secrets]]\nname = \"a\"\nvault = \"secret/x\"\n",
                "secrets/manifest.toml:3: secret \"a\": vault: a vault secret needs field = \"...\" (the KV field to install)");
        refused("[[secrets]]\nname = \"a\"\nvault = \"nomount\"\nfield = \"f\"\n",
                "secrets/manifest.toml:3: secret \"a\": vault: expected \"mount/path\" such as \"secret/app/db\", got \"nomount\"");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"../outside.yaml\"\n",
                "secrets/manifest.toml:3: secret \"a\": sops_file: expected a relative path inside the repository, got"
                        + " \"../outside.yaml\"");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nformat = \"toml\"\n",
                "secrets/manifest.toml:4: secret \"a\": format: expected one of yaml, json, dotenv, ini, binary, got \"toml\"");
    }

    @Test
    void modesOwnersLinksAndUnitsAreValidated() {
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nmode = \"0444\"\n",
                "secrets/manifest.toml:4: secret \"a\": mode: mode 0444 gives every user on the host access; grant a group"
                        + " instead (e.g. \"0440\" with group = ...)");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nmode = 400\n",
                "secrets/manifest.toml:4: secret \"a\": mode: write the octal mode as a string, e.g. mode = \"0400\"");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nmode = \"0800\"\n",
                "secrets/manifest.toml:4: secret \"a\": mode: expected an octal mode such as \"0400\" or \"0440\", got \"0800\"");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nmode = \"04400\"\n",
                "secrets/manifest.toml:4: secret \"a\": mode: expected an octal mode such as \"0400\" or \"0440\", got \"04400\"");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\npath = \"relative/link\"\n",
                "secrets/manifest.toml:4: secret \"a\": path: expected a normalized absolute path for the link, got"
                        + " \"relative/link\"");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\npath = \"/nix/store/x\"\n",
                "secrets/manifest.toml:4: secret \"a\": path: links cannot go into the Nix store");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nrestart_units = [\"--force\"]\n",
                "secrets/manifest.toml:4: secret \"a\": restart_units: element 1 is not a systemd unit name");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nowner = \"\"\n",
                "secrets/manifest.toml:4: secret \"a\": owner: must not be empty");
    }

    @Test
    void unknownKeysAreErrorsWithASuggestion() {
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\nownr = \"nobody\"\n",
                "secrets/manifest.toml:4: secret \"a\": ownr: unknown key (did you mean owner?)");
        refused("[[secret]]\nname = \"a\"\n",
                "secrets/manifest.toml:1: the manifest: secret: unknown key (did you mean secrets?)");
    }

    @Test
    void conflictsBetweenItemsAreRefused() {
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\n[[secrets]]\nname = \"a\"\nsops_file = \"t.yaml\"\n",
                "secrets/manifest.toml:4: secret \"a\" is declared twice");
        refused("[[secrets]]\nname = \"a\"\nsops_file = \"s.yaml\"\n[[secrets]]\nname = \"a/b\"\nsops_file = \"t.yaml\"\n",
                "secrets/manifest.toml:4: secret \"a/b\" (a/b) and secret \"a\" (a) cannot both exist: one would be a"
                        + " directory of the other");
        refused("[[secrets]]\nname = \"rendered\"\nsops_file = \"s.yaml\"\n[[templates]]\nname = \"t\"\ncontent = \"\"\n",
                "secrets/manifest.toml:4: template \"t\" (rendered/t) and secret \"rendered\" (rendered) cannot both exist:"
                        + " one would be a directory of the other");
        refused("""
                [[secrets]]
                name = "a"
                sops_file = "s.yaml"
                path = "/etc/x"
                [[secrets]]
                name = "b"
                sops_file = "s.yaml"
                path = "/etc/x"
                """, "secrets/manifest.toml:5: secret \"b\" and secret \"a\" both want the link /etc/x");
    }

    @Test
    void templatePlaceholdersMustNameDeclaredSecrets() {
        String hash = TemplateRenderer.sha256Hex("missing");
        refused("[[templates]]\nname = \"t\"\ncontent = \"x=<SOPS:" + hash + ":PLACEHOLDER>\"\n",
                "template \"t\": placeholder <SOPS:" + hash + ":PLACEHOLDER> matches no secret in the manifest");
        refused("[[templates]]\nname = \"t\"\ncontent = \"x={{ secret \\\"nope\\\" }}\"\n",
                "template \"t\": placeholder {{ secret \"nope\" }} matches no secret in the manifest");
        refused("[[templates]]\nname = \"t\"\n",
                "secrets/manifest.toml:1: template \"t\": give exactly one of content and file");
    }

    @Test
    void invalidTomlNamesTheLine() {
        assertThatThrownBy(() -> parse("[[secrets]]\nname = \"a\nsops_file = 1\n"))
                .hasMessage("secrets/manifest.toml:2: invalid TOML at column 10: the string is not closed on its line"
                        + " (a closing \" is missing); use \"\"\" for text over several lines");
    }

    /** Runs {@code body} on a thread with the daemon's stack size ({@code -Xss512k}) and returns what it threw. */
    private static Throwable onDaemonStack(Runnable body) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "daemon-sized-stack", 512 * 1024);
        t.start();
        t.join();
        return thrown[0];
    }

    @Test
    void aHostileManifestGetsATypedErrorNamingTheLineNotAStackOverflow() throws InterruptedException {
        String longNumber = "[[secrets]]\nname = \"a\"\nmode = 1" + "0".repeat(100_000) + "\n";
        assertThat(onDaemonStack(() -> parse(longNumber))).isInstanceOf(SecretsException.class)
                .hasMessageStartingWith("secrets/manifest.toml:3: invalid TOML at column 8: a value of 100001 characters"
                        + " without quotes");

        // dotted keys nest a table per part: neither naming nor freezing them may recurse per part
        String deepKey = "x = { " + "a.".repeat(20_000) + "a = 1 }\n";
        assertThat(onDaemonStack(() -> parse(deepKey))).isInstanceOf(SecretsException.class)
                .hasMessageContaining("secrets/manifest.toml");
        String twice = "a" + ".a".repeat(20_000) + " = 1\n" + "a" + ".a".repeat(20_000) + " = 2\n";
        assertThat(onDaemonStack(() -> parse(twice))).as("the key's name is cut in the message, not 40,000 characters")
                .isInstanceOf(SecretsException.class).hasMessageContaining("is defined twice (first at line 1)")
                .extracting(Throwable::getMessage).matches(m -> ((String) m).length() < 400);
    }

    @Test
    void anUnquotedValueIsNotEchoedInTheError() {
        assertThatThrownBy(() -> parse("[[secrets]]\nname = \"a\"\nsops_file = hunter2_AKIAIOSFODNN7EXAMPLE\n"))
                .isInstanceOf(SecretsException.class)
                .hasMessage("secrets/manifest.toml:3: invalid TOML at column 13: expected a value, found `h…`"
                        + " (a string needs quotes)");
    }

    @Test
    void placeholdersAreSopsNixCompatible() {
        // sops-nix: "<SOPS:" + sha256(name) + ":PLACEHOLDER>"
        assertThat(TemplateRenderer.placeholder("demo/db-password"))
                .isEqualTo("<SOPS:5fe3c187bf0b8ef47fb756a62928bbecb64e15d7a7ec1a7e95add07a08dddbf8:PLACEHOLDER>");
        Plaintext out = TemplateRenderer.render("a=" + TemplateRenderer.placeholder("x") + " b={{secret \"y\"}} c={{ secret \"x\" }}",
                java.util.Map.of("x", Plaintext.of("1<SOPS:" + TemplateRenderer.sha256Hex("y") + ":PLACEHOLDER>"),
                        "y", Plaintext.of("2")), "template \"t\"");
        assertThat(out.text()).as("a substituted value is not substituted again")
                .isEqualTo("a=1<SOPS:" + TemplateRenderer.sha256Hex("y") + ":PLACEHOLDER> b=2 c=1<SOPS:"
                        + TemplateRenderer.sha256Hex("y") + ":PLACEHOLDER>");
        assertThat(List.of(out.toString())).noneMatch(s -> s.contains("1<SOPS"));
    }

    @Test
    void deeplyNestedManifestIsRefusedNamingFileLineAndDepth() {
        refused("[[secrets]]\nname = \"a\"\nage_file = \"a.age\"\nx = " + "[".repeat(5000) + "]".repeat(5000) + "\n",
                "secrets/manifest.toml:4: refused: arrays and inline tables nested deeper than 32 levels"
                        + " (a manifest lists secrets in tables; nothing in it nests this deep)");
    }
}
