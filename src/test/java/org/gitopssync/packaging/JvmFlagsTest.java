package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launcher (bin/gitops-sync via bin/setup.sh) and the Nix package and module (nix/jvm-flags.nix) start the JVM
 * with the same flags, for one-shot commands and for the daemon.
 */
class JvmFlagsTest {

    @Test
    void theLauncherAndTheNixPackageAndModulePassTheSameFlags() throws Exception {
        JsonNode nix = NixInstantiate.evalJson("import ./nix/jvm-flags.nix");
        assertThat(launcher("JAVA_FLAGS")).isEqualTo(strings(nix.get("oneShot")));
        assertThat(launcher("DAEMON_JAVA_FLAGS")).isEqualTo(strings(nix.get("daemon")));
        assertThat(strings(nix.get("daemon"))).as("the daemon's heap is bounded and starts small")
                .contains("-Xms8m").anyMatch(f -> f.startsWith("-Xmx"));
    }

    @Test
    void theJvmStartsWithEachList() throws Exception {
        // -XX:CICompilerCount=1 is refused unless compilation stops at C1: the two flags go together
        List<String> oneShot = launcher("JAVA_FLAGS");
        List<String> daemon = new ArrayList<>(oneShot);
        daemon.addAll(launcher("DAEMON_JAVA_FLAGS"));
        for (List<String> flags : List.of(oneShot, daemon)) {
            JavaVersion java = JavaVersion.with(flags);
            assertThat(java.output()).as("java %s", flags).doesNotContain("Error");
            assertThat(java.exitCode()).as("java %s", flags).isZero();
        }
    }

    private static List<String> launcher(String array) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". bin/setup.sh && printf '%s\\n' \"${" + array + "[@]}\"")
                .directory(NixInstantiate.projectRoot().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
