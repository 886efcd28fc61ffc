package org.gitopssync.cache;

import java.util.regex.Pattern;

/** A top-level store path, checked so that nothing else (an option, a sub-path) reaches a command line. */
record StorePath(String path, String storeDir) {

    static final String DEFAULT_STORE_DIR = "/nix/store";

    // Nix's own rules: 32 characters of its base-32 alphabet, then a name that never starts with '.'.
    private static final Pattern BASE_NAME =
            Pattern.compile("[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\\-_?=][A-Za-z0-9+\\-._?=]*");

    static StorePath parse(String path, String storeDir) {
        if (path == null || !path.startsWith(storeDir + "/")
                || !BASE_NAME.matcher(path.substring(storeDir.length() + 1)).matches()) {
            throw new IllegalArgumentException("not a store path under " + storeDir + ": " + path);
        }
        return new StorePath(path, storeDir);
    }

    /** The 32-character hash part: the name of the path's {@code .narinfo} in a binary cache. */
    String hashPart() {
        return path.substring(storeDir.length() + 1, storeDir.length() + 33);
    }

    @Override
    public String toString() {
        return path;
    }
}
