package org.gitopssync.source;

/** The branch head does not descend from the last deployed commit: a force-push or rewind. */
public final class TargetRefusedException extends SourceException {

    private final String target;
    private final String base;

    public TargetRefusedException(String branch, String target, String base, String baseWhat) {
        this(branch, target, base, baseWhat, "");
    }

    /** {@code configOption} is {@code " --config <file>"} when the agent runs on a non-default configuration. */
    public TargetRefusedException(String branch, String target, String base, String baseWhat, String configOption) {
        super("refusing " + abbrev(target) + " on " + branch + ": it does not descend from " + baseWhat + " "
                + abbrev(base) + " (force-push or rewind?). Accept it with `gitops-sync reset" + configOption + " --to "
                + target + "` or set repository.allow_force_push = true");
        this.target = target;
        this.base = base;
    }

    public String target() {
        return target;
    }

    public String base() {
        return base;
    }

    static String abbrev(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
