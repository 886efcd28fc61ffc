package org.gitopssync.secrets.sops;

/** Unwraps sops data keys for one kind of master key (age, hc_vault, ...). */
public interface DataKeySource {

    /** Whether this source can try this key at all (otherwise the key is reported as skipped). */
    boolean handles(SopsMasterKey key);

    /**
     * Unwraps the key's {@code enc}: the 32-byte data key, or a 33-byte Shamir share.
     *
     * @throws org.gitopssync.secrets.SecretsException with a short reason ("no matching identity") when it cannot
     */
    byte[] unwrap(SopsMasterKey key);
}
