package org.gitopssync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The [ci] section: defaults, host selection, validation and environment overrides. */
class CiSettingsTest {

    private static CiSettings parse(String ci, Map<String, String> env) {
        String toml = "hostname = \"web1\"\n[repository]\nurl = \"file:///repo\"\n[ci]\n" + ci;
        return new SettingsLoader(env).parse(Path.of("/etc/gitops-sync/gitops.toml"), toml).settings().ci();
    }

    @Test
    void defaults() {
        CiSettings ci = parse("", Map.of());
        assertThat(ci.checksAttribute()).isEqualTo("checks");
        assertThat(ci.system()).isEqualTo(NixSystem.current());
        assertThat(ci.hosts()).isEqualTo(CiSettings.Hosts.self());
        assertThat(ci.maxParallelBuilds()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ci.noOutputTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(ci.maxBuildDuration()).isEqualTo(Duration.ofHours(4));
        assertThat(ci.cacheFailures()).isTrue();
        assertThat(ci.cancelSuperseded()).isTrue();
        assertThat(ci.skipSubstitutable()).isFalse();
        assertThat(ci.checksBlockDeploy()).isTrue();
    }

    @Test
    void hostsAreSelfAllOrAList() {
        assertThat(parse("hosts = \"all\"", Map.of()).hosts()).isEqualTo(CiSettings.Hosts.all());
        assertThat(parse("hosts = [\"web1\", \"db.example\"]", Map.of()).hosts())
                .isEqualTo(CiSettings.Hosts.of(List.of("web1", "db.example")));
        assertThat(parse("hosts = []", Map.of()).hosts().names()).isEmpty();
        assertThat(parse("", Map.of("GITOPS_CI_HOSTS", "a,b")).hosts()).isEqualTo(CiSettings.Hosts.of(List.of("a", "b")));
    }

    @Test
    void badValuesNameTheKeyAndLine() {
        assertThatThrownBy(() -> parse("hosts = [\"bad host\"]", Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gitops.toml:5: ci.hosts");
        assertThatThrownBy(() -> parse("no_output_timeout = \"0s\"", Map.of()))
                .hasMessageContaining("ci.no_output_timeout: must be more than 0s");
        assertThatThrownBy(() -> parse("max_parallel_builds = 0", Map.of()))
                .hasMessageContaining("ci.max_parallel_builds");
        assertThatThrownBy(() -> parse("checks_attribute = \"checks.x\"", Map.of()))
                .hasMessageContaining("not a flake output name");
    }

    @Test
    void everyKeyIsKnownSoNoneIsReportedAsATypo() {
        String toml = "hostname = \"web1\"\n[repository]\nurl = \"file:///repo\"\n[ci]\n"
                + "checks_attribute = \"checks\"\nsystem = \"aarch64-linux\"\nhosts = \"self\"\nmax_parallel_builds = 3\n"
                + "no_output_timeout = \"5m\"\nmax_build_duration = \"1h\"\neval_workers = 2\neval_max_memory = 2048\n"
                + "cache_failures = false\ncancel_superseded = false\nskip_substitutable = true\n"
                + "checks_block_deploy = false\n";
        LoadedSettings loaded = new SettingsLoader(Map.of()).parse(Path.of("/x.toml"), toml);
        assertThat(loaded.warnings()).isEmpty();
        CiSettings ci = loaded.settings().ci();
        assertThat(ci.system()).isEqualTo("aarch64-linux");
        assertThat(ci.evalWorkers()).isEqualTo(2);
        assertThat(ci.evalMaxMemory()).isEqualTo(2048);
        assertThat(ci.checksBlockDeploy()).isFalse();
    }

    @Test
    void remoteBuildersAndStoreAreReadWithTheirCredentialsAsSources() {
        CiSettings ci = parse("""
                builders = "ssh-ng://builder@x86 x86_64-linux /etc/nix/builder_key 8 1 kvm; ssh://b@arm aarch64-linux"
                store = "ssh-ng://localhost?remote-program=nix-relay-client"
                eval_store = "auto"
                store_env = { NIX_RELAY_TOKEN = { systemd-credential = "relay-token" } }
                """, Map.of());
        assertThat(ci.builders()).startsWith("ssh-ng://builder@x86 x86_64-linux");
        assertThat(ci.store()).isEqualTo("ssh-ng://localhost?remote-program=nix-relay-client");
        assertThat(ci.evalStore()).isEqualTo("auto");
        assertThat(ci.storeEnv()).containsExactly(
                Map.entry("NIX_RELAY_TOKEN", new CredentialSource.SystemdCredential("relay-token")));
        assertThat(parse("store = \"ssh-ng://relay\"", Map.of()).evalStore())
                .as("evaluation stays here unless told otherwise").isEqualTo("auto");
        CiSettings none = parse("", Map.of());
        assertThat(none.builders()).isEmpty();
        assertThat(none.store()).isEmpty();
        assertThat(none.evalStore()).isEmpty();
        assertThat(none.storeEnv()).isEmpty();
    }

    @Test
    void badRemoteBuildValuesNameTheKey() {
        assertThatThrownBy(() -> parse("builders = \"https://builder x86_64-linux\"", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gitops.toml:5: ci.builders: machine 1 (\"https://builder\")")
                .hasMessageContaining("ssh:// or ssh-ng://");
        assertThatThrownBy(() -> parse("builders = \"ssh-ng://b@x x86_64-linux /k eight\"", Map.of()))
                .hasMessageContaining("ci.builders: machine 1").hasMessageContaining("max jobs \"eight\"");
        assertThatThrownBy(() -> parse("builders = \"ssh://a x86_64-linux; ssh://b x86 /key\"", Map.of()))
                .hasMessageContaining("ci.builders: machine 2").hasMessageContaining("systems \"x86\"");
        assertThatThrownBy(() -> parse("builders = \"ssh://a x86_64-linux key\"", Map.of()))
                .hasMessageContaining("ssh key \"key\" is not an absolute path");
        assertThatThrownBy(() -> parse("builders = \"@relative/machines\"", Map.of()))
                .hasMessageContaining("ci.builders: \"@\" must be followed by an absolute path");
        assertThatThrownBy(() -> parse("store = \"relay.example\"", Map.of()))
                .hasMessageContaining("ci.store: \"relay.example\" is not a Nix store URI");
        assertThatThrownBy(() -> parse("store = \"https://user:pw@relay.example\"", Map.of()))
                .hasMessageContaining("ci.store: credentials in the URI are not allowed; put them in ci.store_env")
                .hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> parse("eval_store = \"auto\"", Map.of()))
                .hasMessageContaining("ci.eval_store: only means something with ci.store set");
        assertThatThrownBy(() -> parse("store_env = { TOKEN = \"s3cr3t\" }", Map.of()))
                .hasMessageContaining("ci.store_env.TOKEN: inline secret values are not allowed")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> parse("store_env = { PATH = { env = \"P\" } }", Map.of()))
                .hasMessageContaining("ci.store_env.PATH: changes how nix itself runs");
        assertThatThrownBy(() -> parse("store_env = { \"A-B\" = { env = \"P\" } }", Map.of()))
                .hasMessageContaining("is not an environment variable name");
    }
}
