package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An ordered mapping of the sops tree (Go's TreeBranch), comments included. */
record SopsBranch(List<BranchItem> items) {

    SopsBranch {
        items = new ArrayList<>(items);
    }

    SopsBranch() {
        this(List.of());
    }

    void add(BranchItem item) {
        items.add(item);
    }

    Optional<KeyValue> find(String key) {
        for (BranchItem item : items) {
            if (item instanceof KeyValue pair && pair.key().equals(key)) {
                return Optional.of(pair);
            }
        }
        return Optional.empty();
    }

    List<KeyValue> pairs() {
        List<KeyValue> pairs = new ArrayList<>();
        for (BranchItem item : items) {
            if (item instanceof KeyValue pair) {
                pairs.add(pair);
            }
        }
        return pairs;
    }

    @Override
    public String toString() {
        return "SopsBranch[" + items.size() + " items]";
    }
}
