package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path tmp;

    private static final String MINIMAL = """
            [repository]
            url = "https://git.example.com/infra/fleet.git"
            """;

    private Path write(String toml) throws IOException {
        Path f = tmp.resolve("gitops.toml");
        Files.writeString(f, toml);
        return f;
    }

    private LoadedSettings load(String toml, Map<String, String> env) throws IOException {
        return new SettingsLoader(env).load(write(toml));
    }

    @Test
    void minimalFileGetsTheDocumentedDefaults() throws IOException {
        Settings s = load(MINIMAL, Map.of()).settings();

        assertThat(s.repository().branch()).isEqualTo("main");
        assertThat(s.repository().pollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.repository().allowForcePush()).isFalse();
        assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/gitops-sync"));
        assertThat(s.deploy().method()).isEqualTo(DeploySettings.DeployMethod.NIXOS_REBUILD);
        assertThat(s.deploy().operation()).isEqualTo(DeploySettings.Operation.SWITCH);
        assertThat(s.deploy().profile()).isEqualTo(Path.of("/nix/var/nix/profiles/system"));
        assertThat(s.repository().credentials()).isInstanceOf(CredentialSource.None.class);
        assertThat(s.hostname()).isNotBlank();
    }

    @Test
    void historyKeepsThreeMonthsOfCyclesAndAWeekOfQuietPollsUnlessTold() throws IOException {
        assertThat(load(MINIMAL, Map.of()).settings().history())
                .isEqualTo(new HistorySettings(Duration.ofDays(90), Duration.ofDays(7)));

        Settings s = load(MINIMAL + """
                [history]
                keep = "1y"
                keep_unchanged = "12h"
                """, Map.of()).settings();
        assertThat(s.history().keep()).isEqualTo(Duration.ofSeconds(31_557_600));
        assertThat(s.history().keepUnchanged()).isEqualTo(Duration.ofHours(12));
        assertThat(EffectiveSettings.lines(s)).contains("history.keep_unchanged = \"12h\"");

        assertThat(load(MINIMAL + "[history]\nkeep = \"3d\"\n", Map.of()).settings().history())
                .as("the default week of polls, cut to a shorter keep").isEqualTo(new HistorySettings(Duration.ofDays(3),
                        Duration.ofDays(3)));
        Path tooShort = write(MINIMAL + "[history]\nkeep = \"6h\"\n");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(tooShort)).isInstanceOf(ConfigException.class)
                .hasMessage(tooShort + ":4: history.keep: 6h is shorter than a day; CI runs and pull request checks can"
                        + " run longer than that, and their logs would go while they are written");
        Path inverted = write(MINIMAL + "[history]\nkeep = \"30d\"\nkeep_unchanged = \"60d\"\n");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(inverted)).isInstanceOf(ConfigException.class)
                .hasMessage(inverted + ":5: history.keep_unchanged: 60d is longer than history.keep (30d), after which"
                        + " every finished cycle goes; set keep_unchanged to at most keep");

        Path f = write(MINIMAL + """
                [history]
                keep_unchanged = "a week"
                """);
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":4: history.keep_unchanged: expected a duration like 30s, 5min or 1h30m, got \"a week\"");
        Path g = write(MINIMAL + """
                [history]
                keep = "20y"
                """);
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(g)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(g + ":4: history.keep: \"20y\" is longer than 3653d");
    }

    @Test
    void wrongTypeNamesFileLineAndKey() throws IOException {
        Path f = write("""
                [repository]
                url = "https://git.example.com/x.git"
                branch = 5
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessage(f + ":3: repository.branch: expected a string, got an integer");
    }

    @Test
    void badEnumNamesTheChoices() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "[deploy]\nmethod = \"nixos_rebuild\"\n", Map.of()))
                .hasMessageEndingWith(":4: deploy.method: expected one of \"nixos-rebuild\", \"profile\", got \"nixos_rebuild\"");
    }

    @Test
    void invalidTomlNamesTheLine() throws IOException {
        assertThatThrownBy(() -> load("[repository]\nurl = \"x\nbranch = \"main\"\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("gitops.toml:2: invalid TOML at column 9: the string is not closed on its line"
                        + " (a closing \" is missing); use \"\"\" for text over several lines");
        assertThatThrownBy(() -> load(MINIMAL + "url = \"https://git.example.com/y.git\"\n", Map.of()))
                .hasMessageEndingWith("gitops.toml:3: invalid TOML at column 1: the key `repository.url` is defined"
                        + " twice (first at line 2)");
    }

    @Test
    void missingRequiredKeyAndMissingFileAreClear() throws IOException {
        assertThatThrownBy(() -> load("[repository]\nbranch = \"main\"\n", Map.of()))
                .hasMessageEndingWith("gitops.toml: repository.url: required but not set");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(tmp.resolve("nope.toml")))
                .hasMessageContaining("nope.toml: no such configuration file");
    }

    @Test
    void misspelledKeysAndSectionsWarnWithTheClosestKnownKey() throws IOException {
        LoadedSettings loaded = load("""
                [repository]
                url = "https://git.example.com/x.git"
                brnach = "dev"
                [deply]
                method = "profile"
                """, Map.of());

        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .endsWith("gitops.toml:3: unknown key repository.brnach (did you mean repository.branch?)"));
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .endsWith("gitops.toml:4: unknown key deply (did you mean deploy?)"));
        assertThat(loaded.settings().repository().branch()).as("the typo is not applied").isEqualTo("main");
    }

    @Test
    void environmentOverridesWinAndAreTypeChecked() throws IOException {
        Settings s = load(MINIMAL, Map.of(
                "GITOPS_REPOSITORY_BRANCH", "production",
                "GITOPS_REPOSITORY_POLL_INTERVAL", "1h30m",
                "GITOPS_DEPLOY_METHOD", "profile",
                "GITOPS_REPOSITORY_ALLOW_FORCE_PUSH", "yes",
                "GITOPS_STATE_DIR", "/srv/gitops")).settings();

        assertThat(s.repository().branch()).isEqualTo("production");
        assertThat(s.repository().pollInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.deploy().method()).isEqualTo(DeploySettings.DeployMethod.PROFILE);
        assertThat(s.repository().allowForcePush()).isTrue();
        assertThat(s.stateDir()).isEqualTo(Path.of("/srv/gitops"));

        assertThatThrownBy(() -> load(MINIMAL, Map.of("GITOPS_REPOSITORY_POLL_INTERVAL", "soon")))
                .hasMessageStartingWith("environment GITOPS_REPOSITORY_POLL_INTERVAL: repository.poll_interval: expected a duration");
        assertThat(load(MINIMAL, Map.of("GITOPS_REPOSITORY_BRANHC", "x")).warnings())
                .containsExactly("environment GITOPS_REPOSITORY_BRANHC: not a setting (did you mean GITOPS_REPOSITORY_BRANCH?)");
    }

    @Test
    void refNamesABranchOrATagAndBranchIsItsOlderName() throws IOException {
        assertThat(load(MINIMAL, Map.of()).settings().repository().ref()).isEqualTo("main");
        for (String ref : List.of("main", "refs/heads/release/2026", "refs/tags/v1", "v1.2.3")) {
            LoadedSettings loaded = load(MINIMAL + "ref = \"" + ref + "\"\n", Map.of());
            assertThat(loaded.settings().repository().ref()).isEqualTo(ref);
            assertThat(loaded.warnings()).isEmpty();
        }
        assertThat(load(MINIMAL, Map.of("GITOPS_REPOSITORY_REF", "refs/tags/v2")).settings().repository().ref())
                .isEqualTo("refs/tags/v2");

        assertThatThrownBy(() -> load(MINIMAL + "ref = \"v1\"\nbranch = \"main\"\n", Map.of()))
                .hasMessageEndingWith("repository.ref: set either repository.ref or its older name repository.branch,"
                        + " not both (keep ref)");
        assertThatThrownBy(() -> load(MINIMAL + "ref = \"refs/pull/7/head\"\n", Map.of()))
                .hasMessageContaining("repository.ref: \"refs/pull/7/head\" is neither a branch nor a tag");
        assertThatThrownBy(() -> load(MINIMAL + "ref = \"v1^{}\"\n", Map.of()))
                .hasMessageContaining("repository.ref: \"v1^{}\" is not a valid branch or tag name");
        assertThatThrownBy(() -> load(MINIMAL + "branch = \"a..b\"\n", Map.of()))
                .hasMessageContaining("repository.branch: \"a..b\" is not a valid branch or tag name");
    }

    @Test
    void inlineSecretsAndCredentialsInUrlsAreRefused() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "credentials = \"ghp_abc123\"\n", Map.of()))
                .hasMessageContaining("repository.credentials: inline secret values are not allowed")
                .hasMessageNotContaining("ghp_abc123");
        assertThatThrownBy(() -> load("[repository]\nurl = \"https://me:ghp_abc@github.com/x.git\"\n", Map.of()))
                .hasMessageContaining("repository.url: credentials in the URL are not allowed")
                .hasMessageNotContaining("ghp_abc");
    }

    @Test
    void credentialSourcesParseAndResolve() throws IOException {
        Path creds = Files.createDirectories(tmp.resolve("creds"));
        Files.writeString(creds.resolve("git-token"), "from-systemd\n");
        Path json = tmp.resolve("aws.json");
        Files.writeString(json, "{\"AWS_ACCESS_KEY_ID\": \"AKIA\", \"AWS_SECRET_ACCESS_KEY\": \"shh\"}");
        Settings s = load("""
                [repository]
                url = "https://git.example.com/x.git"
                credentials = { systemd-credential = "git-token" }
                """, Map.of()).settings();
        CredentialResolver r = new CredentialResolver(Map.of("CREDENTIALS_DIRECTORY", creds.toString(), "TOKEN", "t0k"),
                (p, f) -> Credential.of("vault-" + f, "vault"));

        assertThat(r.value("repository.credentials", s.repository().credentials())).get()
                .extracting(Credential::reveal).isEqualTo("from-systemd");
        assertThat(r.value("k", new CredentialSource.Env(java.util.List.of("TOKEN")))).get()
                .extracting(Credential::reveal).isEqualTo("t0k");
        assertThat(r.environment("k", new CredentialSource.File(json))).containsOnlyKeys("AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY");
        assertThat(r.value("k", new CredentialSource.Vault("kv/data/ci", "token"))).get()
                .extracting(Credential::reveal).isEqualTo("vault-token");
        assertThat(r.value("k", new CredentialSource.Env(java.util.List.of("TOKEN"))).get().toString())
                .isEqualTo("<redacted from env TOKEN>");
        assertThatThrownBy(() -> r.value("repository.credentials", new CredentialSource.Env(java.util.List.of("UNSET"))))
                .hasMessage("repository.credentials: environment variable UNSET is not set");
        assertThatThrownBy(() -> new CredentialResolver(Map.of(), null).value("repository.credentials",
                new CredentialSource.SystemdCredential("git-token")))
                .hasMessageContaining("$CREDENTIALS_DIRECTORY is not set");
    }

    @Test
    void effectiveSettingsShowSourcesNeverValues() throws IOException {
        Settings s = load(MINIMAL + "credentials = { env = \"GIT_TOKEN\" }\n", Map.of("GIT_TOKEN", "s3cr3t")).settings();

        String rendered = String.join("\n", EffectiveSettings.lines(s));

        assertThat(rendered).contains("repository.credentials = <env GIT_TOKEN>", "repository.poll_interval = \"5m\"",
                "deploy.method = \"nixos-rebuild\"", "repository.ssh.key = <none>").doesNotContain("s3cr3t");
    }

    @Test
    void systemdDurations() {
        assertThat(SystemdDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SystemdDuration.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(SystemdDuration.parse("2d4h")).isEqualTo(Duration.ofHours(52));
        assertThat(SystemdDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SystemdDuration.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(SystemdDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThatThrownBy(() -> SystemdDuration.parse("5 fortnights")).hasMessageContaining("unknown time unit \"fortnights\"");
        assertThatThrownBy(() -> SystemdDuration.parse("soon")).hasMessageContaining("expected a duration");
    }

    @Test
    void durationUnitsFollowSystemdIncludingCase() {
        assertThat(SystemdDuration.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SystemdDuration.parse("5min")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SystemdDuration.parse("0.1M")).isEqualTo(Duration.ofSeconds(262_980));
        assertThat(SystemdDuration.parse("0.01y")).isEqualTo(Duration.ofSeconds(315_576));
        assertThat(SystemdDuration.parse("2 hours 3sec 4msec 5usec")).isEqualTo(Duration.ofHours(2).plusSeconds(3)
                .plusMillis(4).plusNanos(5_000));
        assertThat(SystemdDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(SystemdDuration.parse("7d")).isEqualTo(SystemdDuration.MAX);
        assertThatThrownBy(() -> SystemdDuration.parse("5H")).hasMessageContaining("unknown time unit \"H\"");
        assertThatThrownBy(() -> SystemdDuration.parse("infinity")).hasMessageContaining("expected a duration");
    }

    @Test
    void monthsAndOtherDurationsPastTheBoundAreRefusedNotCapped() throws IOException {
        Path f = write(MINIMAL + "randomized_delay = \"5M\"\n");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessage(f + ":3: repository.randomized_delay: \"5M\" is longer than 7d, the longest duration a"
                        + " setting accepts (in systemd time spans M is a month, m a minute)");
        assertThatThrownBy(() -> load(MINIMAL + "fetch_timeout = \"99999999999999999999y\"\n", Map.of()))
                .hasMessageContaining("repository.fetch_timeout: \"99999999999999999999y\" is longer than 7d");
        assertThatThrownBy(() -> load(MINIMAL + "fetch_timeout = 604801\n", Map.of()))
                .hasMessageContaining("repository.fetch_timeout: 604801 seconds is longer than 7d");
        assertThatThrownBy(() -> load(MINIMAL, Map.of("GITOPS_REPOSITORY_POLL_INTERVAL", "2w")))
                .hasMessage("environment GITOPS_REPOSITORY_POLL_INTERVAL: repository.poll_interval: \"2w\" is longer"
                        + " than 7d, the longest duration a setting accepts (in systemd time spans M is a month, m a minute)");
    }

    @Test
    void bareTomlIntegerDurationIsSeconds() throws IOException {
        Settings s = load(MINIMAL + "randomized_delay = 30\npoll_interval = 90\n", Map.of()).settings();

        assertThat(s.repository().randomizedDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.repository().pollInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> load(MINIMAL + "randomized_delay = -1\n", Map.of()))
                .hasMessageContaining("repository.randomized_delay: a duration cannot be negative, got -1");
    }

    @Test
    void listKeysRefuseABareStringAndValuesRefuseNewlines() throws IOException {
        Path f = write(MINIMAL + "[secrets]\nrestart_command = \"systemctl --user\"\n");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessage(f + ":4: secrets.restart_command: expected a list of strings like [\"systemctl\"], got a string");
        assertThatThrownBy(() -> load(MINIMAL + "[security]\ntrusted_authors = \"alice\"\n", Map.of()))
                .hasMessageContaining("security.trusted_authors: expected a list of strings like [\"alice\"], got a string");
        assertThatThrownBy(() -> load("[repository]\nurl = \"\"\"https://git.example.com/x.git\n"
                + "https://evil.example.com/y.git\"\"\"\n", Map.of()))
                .hasMessageContaining("repository.url: must be one line, but contains a line break at character 30");
        assertThatThrownBy(() -> load(MINIMAL + "[deploy]\noperation = \"switch\\nboot\"\n", Map.of()))
                .hasMessageContaining("deploy.operation: must be one line");
        assertThatThrownBy(() -> load(MINIMAL, Map.of("GITOPS_REPOSITORY_BRANCH", "main\nx")))
                .hasMessageStartingWith("environment GITOPS_REPOSITORY_BRANCH: repository.branch: must be one line");
        assertThat(load(MINIMAL + "[ci]\nhosts = \"all\"\n", Map.of()).settings().ci().hosts())
                .isEqualTo(CiSettings.Hosts.all());
        assertThatThrownBy(() -> load(MINIMAL + "[ci]\nhosts = \"web1\"\n", Map.of()))
                .hasMessageContaining("ci.hosts: expected \"all\" or \"self\" or a list of strings, got \"web1\"");
    }

    @Test
    void githubAppIdMayBeAnInteger() throws IOException {
        Settings s = load(MINIMAL + """
                [[forges]]
                type = "github"
                app_id = 12345
                installation_id = 678
                private_key = { file = "/run/keys/app.pem" }
                """, Map.of()).settings();

        assertThat(s.forges().get(0).appId()).isEqualTo("12345");
    }

    @Test
    void forgesDeriveTheirRepositoryAndCheckTheirAuthentication() throws IOException {
        Settings s = load("""
                [repository]
                url = "git@github.com:acme/fleet.git"
                [[forges]]
                type = "github"
                credentials = { env = "GH_TOKEN" }
                webhook_secret = { file = "/run/keys/webhook" }
                [[forges]]
                type = "gitlab"
                api_url = "https://gitlab.example.com"
                repository = "infra/nixos/fleet"
                credentials = { systemd-credential = "gitlab-token" }
                [security]
                require_approval = true
                trusted_authors = ["alice"]
                [pull_requests]
                enable = true
                """, Map.of()).settings();

        assertThat(s.forges()).hasSize(2);
        assertThat(s.forges().get(0).repository()).isEqualTo("acme/fleet");
        assertThat(s.forges().get(0).apiUrl()).hasToString("https://api.github.com");
        assertThat(s.forges().get(1).repository()).isEqualTo("infra/nixos/fleet");
        assertThat(s.security().needsApproval("alice", false)).isFalse();
        assertThat(s.security().needsApproval("mallory", false)).isTrue();
        assertThat(s.security().needsApproval("Alice", true)).as("a trusted author's fork").isFalse();
        assertThat(s.security().approvalLabel()).isEqualTo("gitops-sync: approved");
        assertThatThrownBy(() -> load(MINIMAL + "[security]\napproval_label = \" \"\n", Map.of()))
                .hasMessageContaining("security.approval_label: must name a label");
        assertThat(s.pullRequests().enable()).isTrue();
        assertThat(ForgeSettings.derivedRepository("https://gitea.example.com/ops/hosts.git")).isEqualTo("ops/hosts");

        assertThatThrownBy(() -> load(MINIMAL + "[[forges]]\ntype = \"gitea\"\ncredentials = { env = \"T\" }\n", Map.of()))
                .hasMessageContaining("forges[0].api_url: required for gitea");
        assertThatThrownBy(() -> load(MINIMAL + "[[forges]]\ntype = \"github\"\napp_id = \"123\"\n", Map.of()))
                .hasMessageContaining("forges[0].app_id: a GitHub App also needs installation_id and private_key");
        assertThatThrownBy(() -> load(MINIMAL + "[[forges]]\ntype = \"github\"\n", Map.of()))
                .hasMessageContaining("forges[0].credentials: required");
        String github = "[[forges]]\ntype = \"github\"\nrepository = \"acme/fleet\"\ncredentials = { env = \"T\" }\n";
        assertThatThrownBy(() -> load(MINIMAL + github + github, Map.of()))
                .hasMessageContaining("forges[1].type: a second github forge");
    }

    @Test
    void credentialSourcesCanBeOverriddenFromTheEnvironmentInTheirOneLineForm() throws IOException {
        assertThat(load(MINIMAL, Map.of("GITOPS_REPOSITORY_CREDENTIALS", "systemd-credential:git-token")).settings()
                .repository().credentials()).isEqualTo(new CredentialSource.SystemdCredential("git-token"));
        assertThat(load(MINIMAL, Map.of("GITOPS_REPOSITORY_CREDENTIALS", "env:A, B")).settings().repository()
                .credentials()).isEqualTo(new CredentialSource.Env(java.util.List.of("A", "B")));
        assertThat(load(MINIMAL + "\n[vault]\naddress = \"https://vault.example.com\"\ntoken = { env = \"VAULT_TOKEN\" }\n",
                Map.of("GITOPS_REPOSITORY_CREDENTIALS", "vault:kv/data/git#token")).settings()
                .repository().credentials()).isEqualTo(new CredentialSource.Vault("kv/data/git", "token"));
        assertThat(load(MINIMAL, Map.of("GITOPS_REPOSITORY_CREDENTIALS", "none")).settings().repository()
                .credentials()).isInstanceOf(CredentialSource.None.class);
        assertThatThrownBy(() -> load(MINIMAL, Map.of("GITOPS_REPOSITORY_CREDENTIALS", "file:relative/token")))
                .hasMessage("environment GITOPS_REPOSITORY_CREDENTIALS: repository.credentials: file: expected an absolute path");
        assertThatThrownBy(() -> load(MINIMAL, Map.of("GITOPS_REPOSITORY_CREDENTIALS", "ghp_secret")))
                .hasMessageContaining("expected env:NAME").hasMessageNotContaining("ghp_secret");
    }

    @Test
    void webListenerLimitsHaveDefaultsAndRefuseAZeroTimeout() throws IOException {
        WebSettings web = load(MINIMAL, Map.of()).settings().web();
        assertThat(web.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(web.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(web.maxConnections()).isEqualTo(64);

        WebSettings set = load(MINIMAL + "[web]\nidle_timeout = \"5s\"\nrequest_timeout = \"2min\"\nmax_connections = 8\n",
                Map.of()).settings().web();
        assertThat(set.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(set.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(set.maxConnections()).isEqualTo(8);

        assertThatThrownBy(() -> load(MINIMAL + "[web]\nrequest_timeout = \"0\"\n", Map.of()))
                .hasMessageContaining("web.request_timeout: must be from 100ms to 1h");
    }

    @Test
    void deeplyNestedArraysAndInlineTablesAreRefusedNamingFileAndDepth() throws IOException {
        Path arrays = write(MINIMAL + "x = " + "[".repeat(1000) + "]".repeat(1000) + "\n");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(arrays))
                .isInstanceOf(ConfigException.class)
                .hasMessage(arrays + ":3: refused: arrays and inline tables nested deeper than 32 levels"
                        + " (a configuration file is small and shallow)");

        Path tables = write(MINIMAL + "x = " + "{ a = ".repeat(2000) + "1" + " }".repeat(2000) + "\n");
        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(tables))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nested deeper than 32 levels");
    }

    @Test
    void bracketsInsideStringsAndCommentsDoNotCountAsNesting() throws IOException {
        String brackets = "[".repeat(100);
        Settings s = load("""
                # %s
                state_dir = '/tmp/%s'
                [repository]
                url = "https://git.example.com/infra/fleet.git"
                """.formatted(brackets, brackets), Map.of()).settings();

        assertThat(s.stateDir()).isEqualTo(Path.of("/tmp/" + brackets));
    }

    @Test
    void effectiveSettingsShowUnsetSectionsAsUnsetAndSourcesAsDocumented() throws IOException {
        String unset = String.join("\n", EffectiveSettings.lines(load(MINIMAL, Map.of()).settings()));
        assertThat(unset).contains("vault = (unset)").doesNotContain("Optional");

        String set = String.join("\n", EffectiveSettings.lines(load(MINIMAL + """
                [vault]
                address = "https://vault.example.com:8200"
                auth = "approle"
                role_id = { file = "/run/keys/vault-role-id" }
                secret_id = { file = "/run/keys/vault-secret-id" }
                """, Map.of()).settings()));
        assertThat(set).contains("vault.role_id = <file /run/keys/vault-role-id>", "vault.auth = \"approle\"")
                .doesNotContain("Optional", "VaultAccessSettings[");
    }
}
