package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checks of nix/tests/module-eval.nix (units, timer, firewall, credentials, hardening,
 * rendered settings, assertions, warnings for sample configurations) where nixpkgs is at hand:
 * <ul>
 * <li>with a nixpkgs checkout ({@code GITOPS_TEST_NIXPKGS=/path/to/nixpkgs}, or {@code <nixpkgs>}
 * on {@code NIX_PATH}): evaluated as real NixOS configurations, as the flake's
 * {@code checks.<system>.module-eval} does;</li>
 * <li>with only nixpkgs' {@code lib} ({@code GITOPS_TEST_NIXPKGS_LIB=/path/to/lib}, or the lib of
 * the checkout above): evaluated by the real module system with stand-ins for the NixOS options the
 * module touches (nix/tests/module-harness.nix).</li>
 * </ul>
 * Without either the tests are skipped: the machine the suite normally runs on has no nixpkgs.
 */
class ModuleEvalTest {

    /** A path to nixpkgs, or null. */
    static String nixpkgsPath() {
        String dir = System.getenv("GITOPS_TEST_NIXPKGS");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath().toString();
        }
        String nixPath = System.getenv("NIX_PATH");
        if (nixPath != null && !nixPath.isBlank()) {
            NixInstantiate.Result found = NixInstantiate.run(List.of("--find-file", "nixpkgs"), Map.of("NIX_PATH", nixPath));
            if (found.ok()) {
                return found.stdout().strip();
            }
        }
        return null;
    }

    /** A path to nixpkgs' lib directory, or null. */
    static String nixpkgsLibPath() {
        String dir = System.getenv("GITOPS_TEST_NIXPKGS_LIB");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).toAbsolutePath().toString();
        }
        String nixpkgs = nixpkgsPath();
        return nixpkgs != null && Files.isDirectory(Path.of(nixpkgs, "lib")) ? nixpkgs + "/lib" : null;
    }

    private static void assertAllPassed(JsonNode report) {
        assertThat(report.get("checks").size()).isGreaterThan(40);
        assertThat(report.get("failures").toString()).withFailMessage("failed module checks: %s", report.get("failures"))
                .isEqualTo("{}");
    }

    @Test
    void withTheModuleSystemAndNixosStandIns() {
        String lib = nixpkgsLibPath();
        assumeTrue(lib != null, "no nixpkgs lib on this machine (set GITOPS_TEST_NIXPKGS_LIB=/path/to/nixpkgs/lib)");
        assertAllPassed(NixInstantiate.evalJson("(import ./nix/tests/module-harness.nix { lib = import " + lib + "; }).report"));
    }

    @Test
    void asNixosConfigurations() {
        String nixpkgs = nixpkgsPath();
        assumeTrue(nixpkgs != null, "no nixpkgs on this machine (set GITOPS_TEST_NIXPKGS=/path/to/nixpkgs); "
                + "the flake check module-eval runs these checks on a NixOS builder");
        assertAllPassed(NixInstantiate.evalJson("(import ./nix/tests/module-eval.nix { pkgs = import " + nixpkgs
                + " { }; module = ./nix/module.nix; }).report"));
    }
}
