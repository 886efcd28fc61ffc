package org.gitopssync.ci;

/** One attribute a run evaluates and builds: a check, or a host's system toplevel. */
public record CiTarget(Kind kind, String name, String attribute) {

    /** What kind of output the attribute is. */
    public enum Kind { CHECK, SYSTEM, SET }

    /** {@code <checks>.<system>.<name>}. */
    public static CiTarget check(String checksAttribute, String system, String name) {
        return new CiTarget(Kind.CHECK, name, checksAttribute + "." + system + "." + name);
    }

    /** {@code nixosConfigurations.<host>.config.system.build.toplevel}. */
    public static CiTarget system(String host) {
        return new CiTarget(Kind.SYSTEM, host, "nixosConfigurations." + host + ".config.system.build.toplevel");
    }

    /**
     * A whole attribute set that failed to evaluate before its members could be listed (a
     * syntax error in the flake, {@code checks.<system>} itself throwing).
     */
    public static CiTarget set(String attribute) {
        return new CiTarget(Kind.SET, attribute, attribute);
    }

    @Override
    public String toString() {
        return attribute;
    }
}
