package org.gitopssync.secrets.sops;

import java.util.List;

/** The parsed {@code sops} metadata block of an encrypted file. */
record SopsMetadata(
        List<SopsKeyGroup> keyGroups,
        int shamirThreshold,
        GoTime lastModified,
        String mac,
        CryptRule cryptRule,
        boolean macOnlyEncrypted,
        String version) {

    SopsMetadata {
        keyGroups = List.copyOf(keyGroups);
    }
}
