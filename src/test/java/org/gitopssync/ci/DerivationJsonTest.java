package org.gitopssync.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.Command;
import org.junit.jupiter.api.Test;

/** The derivation JSON of old and new Nix, and nix's error messages. */
class DerivationJsonTest {

    @Test
    void readsTheNix28Shape() {
        Map<String, DerivationInfo> d = DerivationJson.parse("""
                {"/nix/store/aaa-a.drv": {"outputs": {"out": {"path": "/nix/store/bbb-a"}},
                  "inputSrcs": [], "inputDrvs": {"/nix/store/ccc-base.drv": ["out"]}, "env": {}}}
                """, "/nix/store");
        DerivationInfo a = d.get("/nix/store/aaa-a.drv");
        assertThat(a.outputs()).containsExactly(Map.entry("out", "/nix/store/bbb-a"));
        assertThat(a.inputDrvs()).containsExactly("/nix/store/ccc-base.drv");
        assertThat(a.name()).isEqualTo("a");
    }

    @Test
    void readsBaseNamesDynamicOutputsWrappingAndFloatingOutputs() {
        Map<String, DerivationInfo> d = DerivationJson.parse("""
                {"version": 4, "derivations": {"aaa-a.drv": {"outputs": {"out": {"path": "bbb-a"}, "dev": {"method": "nar"}},
                  "inputDrvs": {"ccc-base.drv": {"outputs": ["out"], "dynamicOutputs": {}}}}}}
                """, "/nix/store");
        DerivationInfo a = d.get("/nix/store/aaa-a.drv");
        assertThat(a.outputs()).containsEntry("out", "/nix/store/bbb-a").containsEntry("dev", null);
        assertThat(a.outputPathsKnown()).isFalse();
        assertThat(a.inputDrvs()).containsExactly("/nix/store/ccc-base.drv");
    }

    @Test
    void errorMessagesLoseNixsDecorationAndKeepTheInnermostError() {
        Command c = Command.of("nix", "eval");
        CommandResult old = new CommandResult(c, CommandResult.Termination.EXITED, 1, "",
                java.util.List.of("error: boom", "(use '--show-trace' to show detailed location information)"),
                java.time.Duration.ZERO);
        assertThat(NixErrors.message(old)).isEqualTo("boom");
        CommandResult newer = new CommandResult(c, CommandResult.Termination.EXITED, 1, "", java.util.List.of(
                "\u001B[31;1merror:\u001B[0m", "       … while evaluating the attribute 'drvPath'", "",
                "       error: attribute 'x' missing", "       at /nix/store/f/flake.nix:3:5:"), java.time.Duration.ZERO);
        assertThat(NixErrors.message(newer)).isEqualTo("attribute 'x' missing\n       at /nix/store/f/flake.nix:3:5:");
        CommandResult silent = new CommandResult(c, CommandResult.Termination.EXITED, 2, "", java.util.List.of(),
                java.time.Duration.ZERO);
        assertThat(NixErrors.message(silent)).isEqualTo("nix exited with status 2");
    }
}
