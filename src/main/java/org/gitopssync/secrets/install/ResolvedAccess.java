package org.gitopssync.secrets.install;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/** An {@link Access} with its names resolved to this host's user and group, ready for chown and chmod. */
record ResolvedAccess(UserPrincipal owner, GroupPrincipal group, int mode) {

    Set<PosixFilePermission> permissions() {
        return permissions(mode);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }
}
