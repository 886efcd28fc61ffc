package org.gitopssync.secrets.sops;

import org.gitopssync.secrets.SecretsException;

/**
 * Bounds on what a sops file may hold, checked before and while parsing: sops files carry a few secrets, so a
 * file past these is hostile or a mistake, and refusing it early keeps parsing linear and off the stack's edge.
 */
final class SopsLimits {

    /** Deepest nesting of mappings and lists. */
    static final int MAX_DEPTH = 100;
    /** Largest file, in bytes. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Most values in one document once YAML aliases are expanded. */
    static final long MAX_NODES = 1_000_000;
    /** Appended to every refusal, so the reader knows the limit is deliberate. */
    static final String WHY = " (sops files hold a few secrets; this limit keeps hostile files from exhausting the agent)";

    private SopsLimits() {
    }

    static void checkSize(String fileName, byte[] content) {
        if (content.length > MAX_BYTES) {
            throw new SecretsException(fileName + ": " + content.length + " bytes, larger than the "
                    + (MAX_BYTES / (1024 * 1024)) + " MiB a sops file may be" + WHY);
        }
    }

    static SecretsException tooDeep(String fileName, String where) {
        return new SecretsException(fileName + ": nested deeper than " + MAX_DEPTH + " levels" + where + WHY);
    }
}
