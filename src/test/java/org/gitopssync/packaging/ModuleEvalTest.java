package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NixOS module evaluated for real (lib.evalModules through nixos/lib/eval-config.nix) with
 * the sample configurations of nix/tests/module-eval.nix: units, timer, firewall, rendered
 * settings, assertions and warnings. It needs a nixpkgs checkout: set GITOPS_TEST_NIXPKGS to
 * one (or have {@code <nixpkgs>} on NIX_PATH); without one the test is skipped, and the same
 * checks run as the flake's {@code checks.<system>.module-eval} on a NixOS builder.
 */
class ModuleEvalTest {

    /** A nix expression for nixpkgs, or null when there is none on this machine. */
    static String nixpkgs() {
        String dir = System.getenv("GITOPS_TEST_NIXPKGS");
        if (dir != null && !dir.isBlank()) {
            return "(import " + dir + " { })";
        }
        String nixPath = System.getenv("NIX_PATH");
        if (nixPath != null && !nixPath.isBlank()) {
            NixInstantiate.Result found = NixInstantiate.run(List.of("--find-file", "nixpkgs"),
                    java.util.Map.of("NIX_PATH", nixPath));
            if (found.ok()) {
                return "(import " + found.stdout().strip() + " { })";
            }
        }
        return null;
    }

    @Test
    void sampleConfigurationsEvaluateAsExpected() {
        String pkgs = nixpkgs();
        assumeTrue(pkgs != null, "no nixpkgs on this machine (set GITOPS_TEST_NIXPKGS=/path/to/nixpkgs); "
                + "the flake check module-eval runs these checks on a NixOS builder");
        JsonNode report = NixInstantiate.evalJson(
                "(import ./nix/tests/module-eval.nix { pkgs = " + pkgs + "; module = ./nix/module.nix; }).report");
        assertThat(report.get("checks").size()).isGreaterThan(30);
        assertThat(report.get("failures").toString()).isEqualTo("{}");
    }
}
