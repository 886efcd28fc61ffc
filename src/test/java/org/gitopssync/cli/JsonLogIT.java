package org.gitopssync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.AppProcess;
import org.gitopssync.testing.AppProcess.Result;
import org.gitopssync.testing.DemoFlakeRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [log] format = "json"}: a real cycle's log is one JSON object per line, for journald or Loki. */
class JsonLogIT {

    @TempDir
    Path tmp;

    @Test
    void aDeployedCycleLogsOneJsonObjectPerLineWithItsStagesCycleAndCommitAndNoSecret() throws IOException {
        DemoFlakeRepo repo = DemoFlakeRepo.create(tmp);
        AgentFixture fixture = new AgentFixture(tmp, repo).extra("\n[log]\nformat = \"json\"\n");
        Path config = fixture.writeConfig();

        Result sync = AppProcess.run(tmp, Map.of(), "sync", "--once", "--config", config.toString());

        assertThat(sync.exitCode()).as(sync.stderr()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : sync.stderr().strip().split("\n")) {
            JsonNode node = json.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.fieldNames()).toIterable().as(line).startsWith("time", "level", "logger", "message");
            lines.add(node);
        }
        List<String> messages = lines.stream().map(n -> n.get("message").asText()).toList();
        String sha = repo.head().substring(0, 12);
        assertThat(messages).anyMatch(m -> m.startsWith("cycle 1: source: main at " + sha))
                .anyMatch(m -> m.startsWith("cycle 1: secrets: generation 1"))
                .anyMatch(m -> m.startsWith("cycle 1: build: /nix/store/"))
                .anyMatch(m -> m.startsWith("cycle 1: deployed: deployed " + sha));
        JsonNode deployed = lines.stream().filter(n -> n.get("message").asText().startsWith("cycle 1: deployed"))
                .findFirst().orElseThrow();
        assertThat(deployed.get("level").asText()).isEqualTo("INFO");
        assertThat(deployed.get("cycle").asLong()).isEqualTo(1);
        assertThat(deployed.get("commit").asText()).isEqualTo(repo.head());
        assertThat(deployed.get("logger").asText()).isEqualTo("org.gitopssync.reconcile.Reconciler");

        for (String secret : installedSecretValues(fixture.secretsRoot())) {
            assertThat(sync.stderr()).as("a decrypted secret in the log").doesNotContain(secret);
        }
    }

    private static List<String> installedSecretValues(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<String> values = new ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String v = line.contains("=") ? line.substring(line.indexOf('=') + 1).strip() : line.strip();
                    if (v.length() >= 8) {
                        values.add(v);
                    }
                }
            }
            assertThat(values).as("the cycle installed secrets to look for").isNotEmpty();
            return values;
        }
    }
}
