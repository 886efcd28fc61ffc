package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NixOS module's pure helpers (nix/lib.nix: TOML cleaning, secret checks behind the module's
 * assertions, timer and stop-timeout rendering), evaluated by the real nix without nixpkgs: the
 * same code the module runs.
 */
class ModuleLibTest {

    private static JsonNode eval(String body) {
        return NixInstantiate.evalJson("let l = import ./nix/lib.nix; in " + body);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void cleanDropsNullsAndEmptyTablesButKeepsEmptyLists() {
        JsonNode v = eval("""
                l.clean {
                  hostname = null;
                  repository = { url = "file:///r"; ssh = { key = null; }; };
                  secrets = { root = null; age_key_files = [ ]; };
                  ci = { hosts = null; };
                  caches = [ null { id = "a"; endpoint = null; } ];
                }""");
        assertThat(v.toString()).isEqualTo(
                "{\"caches\":[{\"id\":\"a\"}],\"repository\":{\"url\":\"file:///r\"},\"secrets\":{\"age_key_files\":[]}}");
    }

    @Test
    void validCredentialSourcesPass() {
        JsonNode v = eval("""
                l.secretProblems {
                  repository = { url = "https://git.example.com/fleet.git"; credentials = { systemd-credential = "git-token"; };
                                 ssh.key = { file = "/etc/gitops-sync/deploy_key"; }; };
                  caches = [ { credentials = { env = [ "AWS_ACCESS_KEY_ID" "AWS_SECRET_ACCESS_KEY" ]; }; signing_key = "none"; } ];
                  forges = [ { credentials = { env = "FORGE_TOKEN"; }; webhook_secret = { vault = "kv/forge#webhook"; }; } ];
                  vault = { token = { file = "/run/keys/vault-token"; }; };
                  nix.options = { substituters = ""; };
                }""");
        assertThat(strings(v)).isEmpty();
    }

    @Test
    void inlineSecretsAreNamedByPathWithoutRepeatingTheValue() {
        JsonNode v = eval("""
                l.secretProblems {
                  repository.credentials = "ghp_inlineTokenValue";
                  forges = [ { } { private_key = "-----BEGIN PRIVATE KEY-----"; } ];
                  vault.secret_id = "s3cr3t-id";
                }""");
        List<String> problems = strings(v);
        assertThat(problems).hasSize(3);
        assertThat(problems).anyMatch(m -> m.startsWith("services.gitops.settings.repository.credentials: inline secret values are not allowed"));
        assertThat(problems).anyMatch(m -> m.startsWith("services.gitops.settings.forges[1].private_key: inline secret"));
        assertThat(problems).anyMatch(m -> m.startsWith("services.gitops.settings.vault.secret_id: inline secret"));
        assertThat(problems).allMatch(m -> m.contains("{ systemd-credential = \"NAME\"; }"));
        assertThat(String.join("\n", problems)).doesNotContain("ghp_inlineTokenValue", "BEGIN PRIVATE KEY", "s3cr3t-id");
    }

    @Test
    void malformedSourcesAndSecretsInTheStoreAreRefused() {
        JsonNode v = eval("""
                l.secretProblems {
                  repository.credentials = { env = "A"; file = "/run/keys/a"; };
                  repository.ssh.key = { file = "${builtins.storeDir}/0000000000000000000000000000000-deploy-key"; };
                  caches = [ { credentials = { env = [ ]; }; signing_key = { file = ./nix/lib.nix; }; } ];
                  forges = [ { credentials = { systemd-credential = "a/b"; }; webhook_secret = { vault = "no-field"; }; } ];
                  vault.token = { bogus = "x"; };
                  vault.role_id = { file = "relative/path"; };
                  pull_requests.credentials = 42;
                }""");
        List<String> problems = strings(v);
        assertThat(problems).containsExactlyInAnyOrder(
                "services.gitops.settings.caches[0].credentials.env: expected a variable name or a non-empty list of them",
                "services.gitops.settings.caches[0].signing_key.file: the file must not be in the Nix store (everything there is world-readable); keep it outside, e.g. under /run/keys or /var/lib/secrets, and write its path as a string",
                "services.gitops.settings.forges[0].credentials.systemd-credential: expected a credential name (letters, digits, '_', '.', '@', '-')",
                "services.gitops.settings.forges[0].webhook_secret.vault: expected \"mount/path#field\"",
                "services.gitops.settings.pull_requests.credentials: expected a credential source table: { env = \"NAME\"; }, { file = \"/run/keys/NAME\"; }, { systemd-credential = \"NAME\"; } (with services.gitops.credentials.NAME), { vault = \"mount/path#field\"; } or \"none\"",
                "services.gitops.settings.repository.credentials: a credential source has exactly one of env, file, systemd-credential, vault, none; got [ env file ]",
                "services.gitops.settings.repository.ssh.key.file: the file must not be in the Nix store (everything there is world-readable); keep it outside, e.g. under /run/keys or /var/lib/secrets, and write its path as a string",
                "services.gitops.settings.vault.role_id.file: expected an absolute path (a string)",
                "services.gitops.settings.vault.token: a credential source has exactly one of env, file, systemd-credential, vault, none; got [ bogus ]");
    }

    @Test
    void passwordsInUrlsAndSecretNixSettingsAreRefused() {
        JsonNode v = eval("""
                l.secretProblems {
                  repository.url = "https://deploy:hunter2@git.example.com/fleet.git";
                  caches = [ { destination = "ssh://builder@cache.example.com"; } { destination = "s3://bucket?endpoint=https://k:s@minio"; } ];
                  nix.options = { access-tokens = "github.com=ghp_x"; netrc-file = "/run/keys/netrc"; };
                }""");
        List<String> problems = strings(v);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("services.gitops.settings.repository.url: a URL with a password in it");
        assertThat(problems.get(1)).startsWith("services.gitops.settings.nix.options.access-tokens: this Nix setting holds the secret itself");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2", "ghp_x");
    }

    @Test
    void derivationsInSettingsAreNotWalked() {
        // a derivation refers to itself (drv.out == drv); walking into it would never end
        JsonNode v = eval("""
                let drv = { type = "derivation"; outPath = "/nix/store/x"; out = drv; all = [ drv ]; credentials = "x"; };
                in l.secretProblems { deploy.nixos_rebuild = drv; }""");
        assertThat(strings(v)).isEmpty();
    }

    @Test
    void systemdCredentialReferencesAreCollectedWithTheirPaths() {
        JsonNode v = eval("""
                l.systemdCredentialRefs {
                  repository = { credentials = { systemd-credential = "git-token"; }; ssh.key = { systemd-credential = "deploy-key"; }; };
                  forges = [ { credentials = { env = "X"; }; webhook_secret = { systemd-credential = "hook"; }; } ];
                }""");
        assertThat(v.toString()).isEqualTo("[{\"name\":\"hook\",\"path\":\"forges[0].webhook_secret\"},"
                + "{\"name\":\"git-token\",\"path\":\"repository.credentials\"},"
                + "{\"name\":\"deploy-key\",\"path\":\"repository.ssh.key\"}]");
    }

    @Test
    void fleetAndRelayCredentialsAreCheckedAndTheirSystemdCredentialsCollected() {
        JsonNode v = eval("""
                let settings = {
                  fleet = { signing_key = "builder-1:inlineSecretKeyValue"; releases_credentials = { systemd-credential = "releases-token"; }; };
                  ci.store_env = {
                    NIX_RELAY_TOKEN = { systemd-credential = "relay-token"; };
                    AWS_SECRET = "inlineStoreSecret";
                    IN_STORE = { file = "${builtins.storeDir}/0000000000000000000000000000000-token"; };
                    FROM_ENV = { env = "RELAY"; };
                  };
                }; in { problems = l.secretProblems settings; refs = l.systemdCredentialRefs settings; }""");
        List<String> problems = strings(v.get("problems"));
        assertThat(problems).hasSize(3);
        assertThat(problems).anyMatch(m -> m.startsWith("services.gitops.settings.fleet.signing_key: inline secret values are not allowed"));
        assertThat(problems).anyMatch(m -> m.startsWith("services.gitops.settings.ci.store_env.AWS_SECRET: inline secret values are not allowed"));
        assertThat(problems).anyMatch(m -> m.startsWith("services.gitops.settings.ci.store_env.IN_STORE.file: the file must not be in the Nix store"));
        assertThat(String.join("\n", problems)).doesNotContain("inlineSecretKeyValue", "inlineStoreSecret");
        // each becomes an assertion unless services.gitops.credentials loads it (LoadCredential=)
        assertThat(v.get("refs").toString()).isEqualTo("[{\"name\":\"relay-token\",\"path\":\"ci.store_env.NIX_RELAY_TOKEN\"},"
                + "{\"name\":\"releases-token\",\"path\":\"fleet.releases_credentials\"}]");
    }

    @Test
    void javaOptionsThatTheJvmWouldRefuseWithOneCompilerThreadFailAtEvaluation() throws Exception {
        JsonNode v = eval("""
                map l.javaOptionsProblems [
                  [ "-XX:TieredStopAtLevel=4" ]
                  [ "-Xmx512m" "-XX:TieredStopAtLevel=4" "-XX:CICompilerCount=2" ]
                  [ "-XX:TieredStopAtLevel=4" "-XX:TieredStopAtLevel=1" ]
                  [ "-XX:TieredStopAtLevel=3" ]
                  [ ]
                ]""");
        assertThat(strings(v.get(0))).containsExactly("services.gitops.javaOptions: -XX:TieredStopAtLevel=4 lets C2 compile,"
                + " and the JVM refuses that with the package's one compiler thread (-XX:CICompilerCount=1):"
                + " add \"-XX:CICompilerCount=2\"");
        for (int i = 1; i < 5; i++) {
            assertThat(strings(v.get(i))).as("case %d", i).isEmpty();
        }
        // what the check stands for: the JVM itself, with the package's flags and then the first and second cases
        List<String> flags = strings(NixInstantiate.evalJson("(import ./nix/jvm-flags.nix).oneShot"));
        assertThat(JavaVersion.with(flags, "-XX:TieredStopAtLevel=4").exitCode()).isNotZero();
        assertThat(JavaVersion.with(flags, "-XX:TieredStopAtLevel=4", "-XX:CICompilerCount=2").exitCode()).isZero();
    }

    @Test
    void fleetRolesMissingWhatTheAgentRequiresFailAtEvaluation() {
        JsonNode v = eval("""
                map l.fleetProblems [
                  { hostname = "builder-1"; fleet.role = "builder"; }
                  { hostname = "web-1"; fleet = { role = "host"; releases = "https://cache.example.com/releases"; }; }
                  { hostname = "web-3"; fleet = { after = [ "web-1" "web-3" ]; soak = "15m"; }; }
                  { hostname = "builder-1"; fleet = { role = "builder"; releases = "file:///srv/releases"; signing_key = { systemd-credential = "release-key"; }; }; }
                  { hostname = "web-3"; fleet = { role = "host"; releases = "file:///r"; trusted_keys = [ "builder-1:k" ]; after = [ "web-1" ]; }; forges = [ { type = "github"; } ]; }
                  { }
                ]""");
        assertThat(strings(v.get(0))).containsExactly(
                "services.gitops.settings.fleet.releases: required for role = \"builder\": where release records are kept (\"file:///srv/releases\" or \"https://...\")",
                "services.gitops.settings.fleet.signing_key: required for role = \"builder\": the Ed25519 key release records are signed with (a `nix key generate-secret` file), e.g. { systemd-credential = \"release-key\"; } with services.gitops.credentials.release-key");
        assertThat(strings(v.get(1))).containsExactly(
                "services.gitops.settings.fleet.trusted_keys: required for role = \"host\": the builders' public keys (`nix key convert-secret-to-public`), e.g. [ \"builder-1:...\" ]");
        assertThat(strings(v.get(2))).containsExactly(
                "services.gitops.settings.fleet.after: waves read the forge's deploy statuses, but settings.forges is empty: add the forge the hosts report to",
                "services.gitops.settings.fleet.after: lists this host (web-3); a host cannot wait for its own deploy");
        assertThat(strings(v.get(3))).isEmpty();
        assertThat(strings(v.get(4))).isEmpty();
        assertThat(strings(v.get(5))).isEmpty();
    }

    @Test
    void credentialFilesMustBeAbsoluteAndOutsideTheStore() {
        JsonNode v = eval("""
                l.credentialFileProblems {
                  git-token = "/run/keys/git-token";
                  "bad:name" = "/run/keys/x";
                  in-store = "${builtins.storeDir}/0000000000000000000000000000000-token";
                  literal = ./nix/lib.nix;
                  relative = "keys/token";
                }""");
        assertThat(strings(v)).containsExactly(
                "services.gitops.credentials.\"bad:name\": not a valid credential name (letters, digits, '_', '.', '@', '-')",
                "services.gitops.credentials.in-store: the file must not be in the Nix store (everything there is world-readable); keep it outside, e.g. under /run/keys or /var/lib/secrets, and write its path as a string",
                "services.gitops.credentials.literal: the file must not be in the Nix store (everything there is world-readable); keep it outside, e.g. under /run/keys or /var/lib/secrets, and write its path as a string",
                "services.gitops.credentials.relative: expected an absolute path (a string)");
    }

    @Test
    void calendarFrequenciesUseOnCalendarAndTimeSpansOnUnitActiveSec() {
        JsonNode v = eval("""
                {
                  calendar = l.timerConfig { frequency = "*:0/5"; randomizedDelaySec = "60s"; persistent = true; };
                  span = l.timerConfig { frequency = "10min"; randomizedDelaySec = 30; persistent = true; };
                  noDelay = l.timerConfig { frequency = "hourly"; randomizedDelaySec = null; persistent = false; };
                  spans = map l.isTimeSpan [ "5min" "1h 30m" "300" "1.5h" "2d 4h" ];
                  calendars = map l.isTimeSpan [ "hourly" "*:0/5" "Mon *-*-* 04:00" "2030-01-01" "*-*-* 00/2:00" ];
                }""");
        assertThat(v.get("calendar").toString()).isEqualTo("{\"OnCalendar\":\"*:0/5\",\"Persistent\":true,\"RandomizedDelaySec\":\"60s\"}");
        assertThat(v.get("span").toString()).isEqualTo("{\"OnBootSec\":\"10min\",\"OnUnitActiveSec\":\"10min\",\"RandomizedDelaySec\":30}");
        assertThat(v.get("noDelay").toString()).isEqualTo("{\"OnCalendar\":\"hourly\",\"Persistent\":false}");
        assertThat(v.get("spans").toString()).isEqualTo("[true,true,true,true,true]");
        assertThat(v.get("calendars").toString()).isEqualTo("[false,false,false,false,false]");
    }

    @Test
    void theTextfileCollectorDirectoryIsReadFromNodeExporterFlagsOrCollectors() {
        JsonNode v = eval("""
                map l.textfileDirectory [
                  { extraFlags = [ "--web.listen-address=:9100" "--collector.textfile.directory=/var/lib/node-text" ]; }
                  { extraFlags = [ "--collector.textfile.directory /srv/prom" ]; }
                  { extraFlags = [ "--collector.textfile.directory" "/run/prom" ]; }
                  { enabledCollectors = [ "systemd" "textfile.directory=/etc/prom" ]; }
                  { extraFlags = [ "--collector.textfile" ]; enabledCollectors = [ "textfile" ]; }
                  { }
                ]""");
        assertThat(v.toString()).isEqualTo("[\"/var/lib/node-text\",\"/srv/prom\",\"/run/prom\",\"/etc/prom\",null,null]");
    }

    @Test
    void stopTimeoutAllowsActivationAndRollback() {
        JsonNode v = eval("map l.stopTimeout [ \"30m\" \"1h30m\" 600 ]");
        assertThat(strings(v)).containsExactly("30m 30m 5min", "1h30m 1h30m 5min", "1200s 5min");
    }

    @Test
    void secretLookingEnvironmentNames() {
        JsonNode v = eval("l.secretLookingNames [ \"GIT_TOKEN\" \"http_proxy\" \"db_password\" \"AWS_SECRET_ACCESS_KEY\" "
                + "\"GITOPS_REPOSITORY_FETCH_TIMEOUT\" \"Vault_Api_Key\" ]");
        assertThat(strings(v)).containsExactly("GIT_TOKEN", "db_password", "AWS_SECRET_ACCESS_KEY", "Vault_Api_Key");
    }

    @Test
    void webEndpointWithAForgeWithoutWebhookSecretFailsAsTheDaemonWould() {
        JsonNode v = eval("""
                map l.daemonProblems [
                  { web.enable = true; forges = [ { type = "gitea"; webhook_secret = { env = "H"; }; } { type = "github"; } ]; }
                  { web.enable = true; security.allow_insecure_webhooks = true; forges = [ { type = "github"; } ]; }
                  { forges = [ { type = "github"; } ]; }
                ]""");
        assertThat(strings(v.get(0))).containsExactly("services.gitops.settings.forges[1].webhook_secret: required when "
                + "settings.web.enable = true (the daemon's webhook listener refuses to start without a secret; set "
                + "settings.security.allow_insecure_webhooks = true only for local development)");
        assertThat(strings(v.get(1))).isEmpty();
        assertThat(strings(v.get(2))).isEmpty();
    }

    @Test
    void vaultCredentialsWithoutAVaultAddressFail() {
        JsonNode v = eval("""
                map l.vaultProblems [
                  { repository.credentials = { vault = "secret/git#token"; }; }
                  { repository.credentials = { vault = "secret/git#token"; }; vault.address = "https://vault:8200"; }
                ]""");
        assertThat(strings(v.get(0))).containsExactly(
                "services.gitops.settings.repository.credentials: reads Vault (secret/git#token), but settings.vault.address is not set");
        assertThat(strings(v.get(1))).isEmpty();
    }
}
