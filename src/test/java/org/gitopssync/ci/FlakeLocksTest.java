package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gitopssync.nix.NixVersion;
import org.junit.jupiter.api.Test;

/** What makes an evaluation rememberable: a fully locked flake, pure evaluation; and what its key holds. */
class FlakeLocksTest {

    private static final String LOCKED_INPUT = """
            {"locks":{"nodes":{"root":{"inputs":{"dep":"dep"}},
              "dep":{"locked":{"type":"git","url":"file:///d","rev":"%s","narHash":"%s"}}},
             "root":"root","version":7}}""";

    @Test
    void aFlakeWithoutInputsOrWithEveryInputPinnedIsFullyLocked() {
        assertThat(FlakeLocks.fullyLocked("{\"locks\":{\"nodes\":{\"root\":{}},\"root\":\"root\",\"version\":7}}"))
                .isTrue();
        assertThat(FlakeLocks.fullyLocked(LOCKED_INPUT.formatted("0123456789abcdef0123456789abcdef01234567", "")))
                .isTrue();
        assertThat(FlakeLocks.fullyLocked(LOCKED_INPUT.formatted("", "sha256-AAAA"))).isTrue();
    }

    @Test
    void anInputPinnedByNeitherRevisionNorHashOrNoLockGraphIsNot() {
        assertThat(FlakeLocks.fullyLocked(LOCKED_INPUT.formatted("", ""))).isFalse();
        assertThat(FlakeLocks.fullyLocked("""
                {"locks":{"nodes":{"root":{"inputs":{"dep":"dep"}},"dep":{"original":{"type":"indirect","id":"dep"}}},
                 "root":"root","version":7}}""")).isFalse();
        assertThat(FlakeLocks.fullyLocked("{}")).isFalse();
        assertThat(FlakeLocks.fullyLocked("not json")).isFalse();
    }

    @Test
    void theKeyChangesWithEveryPartAndNeverShowsTheOptions() {
        EvalRequest checks = new EvalRequest("flake", "checks", "x86_64-linux", true, List.of(), false, Path.of("l"),
                Path.of("r"));
        NixVersion v28 = NixVersion.parse("nix (Nix) 2.8.0");
        Map<String, String> token = Map.of("access-tokens", "github.com=ghp_secret123");
        EvaluationKey key = EvaluationKey.of("c1", checks, v28, "nix eval", token, null);

        assertThat(key.id()).isEqualTo(EvaluationKey.of("c1", checks, v28, "nix eval", token, null).id()).hasSize(64)
                .doesNotContain("secret");
        assertThat(key.toString()).doesNotContain("ghp_secret123");
        assertThat(List.of(
                EvaluationKey.of("c2", checks, v28, "nix eval", token, null),
                EvaluationKey.of("c1", new EvalRequest("flake", "tests", "x86_64-linux", true, List.of(), false,
                        Path.of("l"), Path.of("r")), v28, "nix eval", token, null),
                EvaluationKey.of("c1", new EvalRequest("flake", "checks", "x86_64-linux", true, List.of("web"), false,
                        Path.of("l"), Path.of("r")), v28, "nix eval", token, null),
                EvaluationKey.of("c1", new EvalRequest("flake", "checks", "x86_64-linux", true, List.of(), true,
                        Path.of("l"), Path.of("r")), v28, "nix eval", token, null),
                EvaluationKey.of("c1", checks, NixVersion.parse("nix (Nix) 2.18.1"), "nix eval", token, null),
                EvaluationKey.of("c1", checks, v28, "nix eval", Map.of(), null),
                EvaluationKey.of("c1", checks, v28, "nix-eval-jobs /nix/store/a-nix-eval-jobs-2.8/bin/nix-eval-jobs",
                        token, null),
                EvaluationKey.of("c1", checks, v28, "nix-eval-jobs /nix/store/b-nix-eval-jobs-2.9/bin/nix-eval-jobs",
                        token, null),
                EvaluationKey.of("c1", checks, v28, "nix eval", token, "allowed-uris = https://example.org")))
                .extracting(EvaluationKey::id).doesNotContain(key.id()).doesNotHaveDuplicates();
        assertThat(EvaluationKey.of("c1", checks, v28, "nix eval", Map.of("pure-eval", "false"), null).pure()).isFalse();
        assertThat(key.pure()).isTrue();
    }

    @Test
    void selectionsThatWouldConcatenateAlikeAreDifferentKeys() {
        NixVersion v28 = NixVersion.parse("nix (Nix) 2.8.0");
        EvaluationKey dotInAttribute = EvaluationKey.of("c1", new EvalRequest("flake", "a.b", "c", true, List.of(),
                false, Path.of("l"), Path.of("r")), v28, "nix eval", Map.of(), null);
        EvaluationKey dotInSystem = EvaluationKey.of("c1", new EvalRequest("flake", "a", "b.c", true, List.of(),
                false, Path.of("l"), Path.of("r")), v28, "nix eval", Map.of(), null);
        EvaluationKey commaInName = EvaluationKey.of("c1", new EvalRequest("flake", "checks", "x", false,
                List.of("web,db"), false, Path.of("l"), Path.of("r")), v28, "nix eval", Map.of(), null);
        EvaluationKey twoHosts = EvaluationKey.of("c1", new EvalRequest("flake", "checks", "x", false,
                List.of("web", "db"), false, Path.of("l"), Path.of("r")), v28, "nix eval", Map.of(), null);

        assertThat(dotInAttribute.id()).isNotEqualTo(dotInSystem.id());
        assertThat(commaInName.id()).isNotEqualTo(twoHosts.id());
    }

    @Test
    void settingsThatLetAnEvaluationReadWhatTheFlakeDoesNotPinAreNotPure() {
        EvalRequest checks = new EvalRequest("flake", "checks", "x86_64-linux", true, List.of(), false, Path.of("l"),
                Path.of("r"));
        NixVersion v28 = NixVersion.parse("nix (Nix) 2.8.0");

        assertThat(List.of(
                Map.of("allow-unsafe-native-code-during-evaluation", "true"),
                Map.of("accept-flake-config", "true"),
                Map.of("pure-eval", "false")))
                .allSatisfy(options -> assertThat(EvaluationKey.of("c1", checks, v28, "nix eval", options, null).pure())
                        .as("%s", options).isFalse());
        assertThat(List.of(
                "pure-eval = false",
                "experimental-features = nix-command flakes\nallow-unsafe-native-code-during-evaluation = true",
                "accept-flake-config=true # from the agent's unit"))
                .allSatisfy(config -> assertThat(EvaluationKey.of("c1", checks, v28, "nix eval", Map.of(), config)
                        .pure()).as("%s", config).isFalse());
        assertThat(EvaluationKey.of("c1", checks, v28, "nix eval", Map.of("accept-flake-config", "false"),
                "experimental-features = nix-command flakes\nsandbox = false\naccept-flake-config = false").pure())
                .isTrue();
        // [nix.options] are passed as --option and win over NIX_CONFIG
        assertThat(EvaluationKey.of("c1", checks, v28, "nix eval", Map.of("pure-eval", "true"), "pure-eval = false")
                .pure()).isTrue();
    }

    @Test
    void outputsAreStoredAsJsonTheStatusPagesRead() {
        String json = CiResultStore.json(Map.of("out", "/nix/store/abc-\"quoted\"\\name\n"));
        assertThat(json).isEqualTo("{\"out\":\"/nix/store/abc-\\\"quoted\\\"\\\\name\\n\"}");
    }
}
