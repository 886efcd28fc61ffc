package org.gitopssync.secrets.sops;

import java.util.List;

/** The keys of one key group; any one of them unwraps the group's data key or Shamir share. */
record SopsKeyGroup(List<SopsMasterKey> keys) {

    SopsKeyGroup {
        keys = List.copyOf(keys);
    }
}
