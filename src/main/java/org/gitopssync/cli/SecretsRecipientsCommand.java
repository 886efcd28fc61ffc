package org.gitopssync.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.gitopssync.config.SecretsSettings;
import org.gitopssync.config.Settings;
import org.gitopssync.secrets.SecretsException;
import org.gitopssync.secrets.age.AgeIdentities;
import org.gitopssync.secrets.age.AgeIdentity;
import picocli.CommandLine.Model.CommandSpec;

/** {@code secrets recipients}: the age recipients of this host's keys, ready for {@code .sops.yaml}. */
class SecretsRecipientsCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandModel.command(this,
                    "Print the age recipients of this host's keys, to paste into .sops.yaml.",
                    "One YAML list item per key of secrets.age_key_files and secrets.ssh_key_paths (an SSH host key as its",
                    "ssh-to-age recipient, as sops-nix uses it), plus SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and",
                    "SOPS_AGE_SSH_PRIVATE_KEY_FILE. Private keys are read, never printed.")
            .addOption(ConfigOption.spec());

    static CommandSpec spec() {
        return new SecretsRecipientsCommand().spec;
    }

    @Override
    public Integer call() {
        Settings settings = new ConfigOption(spec).load().settings();
        SecretsSettings secrets = settings.secrets();
        List<AgeIdentity> identities = AgeIdentities.load(secrets.ageKeyFiles(), secrets.sshKeyPaths(), System.getenv());
        if (identities.isEmpty()) {
            throw new SecretsException("this host has no age or ssh-ed25519 key: set secrets.age_key_files or "
                    + "secrets.ssh_key_paths (e.g. age-keygen -o /var/lib/gitops-sync/age.key)");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("# age recipients of " + settings.hostname()
                + ": paste under creation_rules[].key_groups[].age in .sops.yaml, then run sops updatekeys");
        for (AgeIdentity identity : identities) {
            String note = identity.kind() == AgeIdentity.Kind.SSH_ED25519
                    ? "ssh-to-age of the ssh-ed25519 key " + identity.origin()
                    : "X25519 key in " + identity.origin();
            out.println("- " + identity.ageRecipient() + "  # " + note);
        }
        return ExitCodes.OK;
    }
}
