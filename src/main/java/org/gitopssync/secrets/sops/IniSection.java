package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;

/** One go-ini section while reading or writing: its comment and its keys in order. */
final class IniSection {

    /** A key with its value and the comment lines that preceded it. */
    static final class Key {
        final String name;
        String value;
        String comment = "";

        Key(String name, String value) {
            this.name = name;
            this.value = value;
        }
    }

    final String name;
    String comment = "";
    final List<Key> keys = new ArrayList<>();

    IniSection(String name) {
        this.name = name;
    }

    /** Adds a key; like go-ini, a repeated name overwrites the earlier value in place. */
    Key put(String name, String value) {
        for (Key key : keys) {
            if (key.name.equals(name)) {
                key.value = value;
                return key;
            }
        }
        Key key = new Key(name, value);
        keys.add(key);
        return key;
    }
}
