package org.gitopssync.secrets.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gitopssync.config.SecretsSettings;
import org.gitopssync.secrets.age.AgeDecryptor;
import org.gitopssync.secrets.age.AgeIdentities;
import org.gitopssync.secrets.age.AgeIdentity;
import org.gitopssync.secrets.sops.AgeKeySource;
import org.gitopssync.secrets.sops.DataKeySource;
import org.gitopssync.secrets.sops.HcVaultKeySource;
import org.gitopssync.secrets.sops.PgpKeySource;
import org.gitopssync.secrets.sops.SopsDecryptor;
import org.gitopssync.secrets.vault.VaultSession;
import org.gitopssync.secrets.vault.VaultTransit;

/**
 * This host's keys: age identities (key files, SSH host keys, SOPS_AGE_* variables), PGP key files and Vault.
 * Read from disk when first needed, so a fresh instance per cycle picks up rotated keys.
 */
public final class SecretsKeys {

    private final List<Path> ageKeyFiles;
    private final List<Path> sshKeyPaths;
    private final List<Path> pgpKeyFiles;
    private final Map<String, String> environment;
    private final Optional<VaultSession> vault;
    private AgeDecryptor age;
    private SopsDecryptor sops;

    public SecretsKeys(List<Path> ageKeyFiles, List<Path> sshKeyPaths, List<Path> pgpKeyFiles,
            Map<String, String> environment, Optional<VaultSession> vault) {
        this.ageKeyFiles = List.copyOf(ageKeyFiles);
        this.sshKeyPaths = List.copyOf(sshKeyPaths);
        this.pgpKeyFiles = List.copyOf(pgpKeyFiles);
        this.environment = Map.copyOf(environment);
        this.vault = vault;
    }

    public static SecretsKeys from(SecretsSettings settings, Map<String, String> environment, Optional<VaultSession> vault) {
        return new SecretsKeys(settings.ageKeyFiles(), settings.sshKeyPaths(), settings.pgpKeyFiles(), environment, vault);
    }

    /** For plain age files (agenix): X25519 identities and ssh-ed25519 keys. */
    public synchronized AgeDecryptor age() {
        if (age == null) {
            age = new AgeDecryptor(AgeIdentities.load(ageKeyFiles, sshKeyPaths, environment));
        }
        return age;
    }

    /** For sops files: age, then Vault transit (when configured), then PGP (when key files are configured). */
    public synchronized SopsDecryptor sops() {
        if (sops == null) {
            List<DataKeySource> sources = new ArrayList<>();
            sources.add(new AgeKeySource(age()));
            vault.ifPresent(session -> sources.add(new HcVaultKeySource(transit(session))));
            if (!pgpKeyFiles.isEmpty()) {
                sources.add(PgpKeySource.readKeyFiles(pgpKeyFiles));
            }
            sops = new SopsDecryptor(sources);
        }
        return sops;
    }

    public Optional<VaultSession> vault() {
        return vault;
    }

    /** The identities in use, safe to print: public recipients and where they were loaded from. */
    public List<String> describe() {
        return age().identities().stream()
                .map(i -> i.kind() == AgeIdentity.Kind.SSH_ED25519 ? i + ", age recipient " + i.ageRecipient() : i.toString())
                .toList();
    }

    /** Logs in to Vault only when a file actually has an hc_vault key to unwrap. */
    private static VaultTransit transit(VaultSession session) {
        return new VaultTransit() {
            @Override
            public String address() {
                return session.address();
            }

            @Override
            public byte[] decrypt(String enginePath, String keyName, String ciphertext) {
                return session.client().decrypt(enginePath, keyName, ciphertext);
            }
        };
    }
}
