package org.gitopssync.secrets.install;

/** The secrets stage of a cycle: decrypt into a new, invisible generation; or only check that secrets open. */
public interface SecretsStage {

    /**
     * Decrypts everything the commit's manifest declares into a new generation that is not yet live. Fails
     * (changing nothing) if any secret does not open, an owner is unknown or a link would replace a file.
     */
    SecretsUpdate prepare(CommitFiles files);

    /** Opens every secret of the commit's manifest in memory, writing nothing; failures are collected. */
    SecretsCheck check(CommitFiles files);

    /**
     * Whether the generation the last successful cycle left live is not on disk (the tmpfs root after a reboot),
     * so an unchanged branch still needs a cycle.
     */
    default boolean reinstallNeeded() {
        return false;
    }

    /**
     * After a crash left a newer generation live than the one a cycle replaced ({@link SecretsUpdate#replaces}):
     * makes that one live again and removes the newer ones. Returns a note ("" when nothing changed).
     */
    default String switchBackTo(String replaced) {
        return "";
    }

    /** A stage that never finds a manifest (for wiring without secrets). */
    static SecretsStage disabled() {
        return new SecretsStage() {
            @Override
            public SecretsUpdate prepare(CommitFiles files) {
                return SecretsUpdate.none("secrets are not configured");
            }

            @Override
            public SecretsCheck check(CommitFiles files) {
                return SecretsCheck.noManifest("(disabled)");
            }
        };
    }
}
