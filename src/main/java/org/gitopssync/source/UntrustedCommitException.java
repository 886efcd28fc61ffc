package org.gitopssync.source;

/** The target commit is unsigned or signed by a key {@code [repository.signatures]} does not trust. */
public final class UntrustedCommitException extends SourceException {

    private final String target;

    public UntrustedCommitException(String branch, String target, SignatureVerdict verdict) {
        super("refusing " + TargetRefusedException.abbrev(target) + " on " + branch + ": "
                + ("unsigned".equals(verdict.signer()) ? "unsigned"
                        : "signed by " + verdict.signer() + ", " + verdict.detail())
                + "; repository.signatures requires a valid signature by one of its keys");
        this.target = target;
    }

    public String target() {
        return target;
    }
}
