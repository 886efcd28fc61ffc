package org.gitopssync.nix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where builds run when not on this machine: Nix remote builders ({@code --builders}), or a remote
 * store ({@code --store}) that builds while evaluation stays here ({@code --eval-store}). The store's
 * credentials are read at each use and travel only in the environment of the nix process.
 */
public record RemoteBuilds(String builders, String store, String evalStore,
        Supplier<Map<String, String>> environment) {

    public RemoteBuilds {
        builders = builders == null ? "" : builders;
        store = store == null ? "" : store;
        evalStore = evalStore == null ? "" : evalStore;
    }

    /** Everything builds here, as nix.conf says. */
    public static RemoteBuilds none() {
        return new RemoteBuilds("", "", "", Map::of);
    }

    /** Builds run on another store, so their outputs must be copied back before they are used here. */
    public boolean remoteStore() {
        return !store.isEmpty();
    }

    /** The flags that send a build away: {@code --builders}, {@code --store}, {@code --eval-store}. */
    List<String> flags() {
        List<String> out = new ArrayList<>();
        if (!builders.isEmpty()) {
            out.add("--builders");
            out.add(builders);
        }
        if (remoteStore()) {
            out.add("--store");
            out.add(store);
            out.add("--eval-store");
            out.add(evalStore.isEmpty() ? "auto" : evalStore);
        }
        return out;
    }

    @Override
    public String toString() {
        // the supplier hands out secrets: never printed, not even by accident
        return "RemoteBuilds[builders=" + builders + ", store=" + store + ", evalStore=" + evalStore + "]";
    }
}
