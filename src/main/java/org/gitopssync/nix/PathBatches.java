package org.gitopssync.nix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Long path lists split over several command lines, each far below the kernel's argument limit. */
public final class PathBatches {

    /** Store paths per command line: about 100 KiB of arguments. */
    public static final int SIZE = 1000;

    private PathBatches() {
    }

    public static <T> List<List<T>> of(Collection<T> items) {
        List<T> all = new ArrayList<>(items);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += SIZE) {
            out.add(all.subList(i, Math.min(all.size(), i + SIZE)));
        }
        return out;
    }
}
