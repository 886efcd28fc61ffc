package org.gitopssync.fleet;

/** A release record failed a check (signature, trusted key, host, commit, cache): nothing is deployed from it. */
public final class ReleaseRefusedException extends ReleaseException {

    public ReleaseRefusedException(String where, String check, String why) {
        super("release record " + where + " refused (" + check + "): " + why);
    }
}
