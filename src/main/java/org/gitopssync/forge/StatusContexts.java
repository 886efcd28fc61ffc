package org.gitopssync.forge;

/** The status context names gitops-sync posts; forges show them as the check names. */
public final class StatusContexts {

    public static final String PREFIX = "gitops-sync";
    public static final String EVAL = PREFIX + "/eval";
    public static final String BUILD = PREFIX + "/build";
    public static final String CACHE = PREFIX + "/cache";
    /** Pull requests: what merging would change on each host. */
    public static final String PLAN = PREFIX + "/plan";
    /** GitLab limits status names to 255 characters; GitHub does not say, so use the same. */
    static final int MAX_CONTEXT = 255;

    private StatusContexts() {
    }

    public static String deploy(String host) {
        return bounded(PREFIX + "/deploy/", host);
    }

    public static String buildAttribute(String attribute) {
        return bounded(BUILD + "/", attribute);
    }

    private static String bounded(String prefix, String name) {
        String flat = name.replaceAll("[\\p{Cntrl}\\s]+", "_");
        String context = prefix + flat;
        return context.length() <= MAX_CONTEXT ? context : context.substring(0, MAX_CONTEXT);
    }
}
