package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gitopssync.secrets.sops.SopsFiles;

/** The demo flake's secret file, re-encrypted to the demo key with changed values. */
public final class DemoSecrets {

    private DemoSecrets() {
    }

    /** The demo key's public recipient, from its "# public key:" line. */
    public static String recipient() {
        try {
            for (String line : Files.readAllLines(AgentFixture.demoKey())) {
                if (line.startsWith("# public key: ")) {
                    return line.substring("# public key: ".length()).strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(AgentFixture.demoKey() + " has no public key line");
    }

    /** The committed demo values. */
    public static Map<String, String> values() {
        return new LinkedHashMap<>(SopsFiles.demoValues());
    }

    /** Writes secrets/demo.yaml with these values (not committed). */
    public static void write(DemoFlakeRepo repo, Map<String, String> values) {
        repo.write("secrets/demo.yaml", new String(SopsFiles.yaml(values, recipient()), StandardCharsets.UTF_8));
    }
}
