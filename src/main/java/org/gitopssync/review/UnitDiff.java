package org.gitopssync.review;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares two systems' {@code etc/systemd/system} trees as switch-to-configuration sees them: a unit changes when
 * its unit file or one of its drop-ins ({@code NAME.d/}) differs, or when the units it wants or requires
 * ({@code NAME.wants/}, {@code NAME.requires/}, {@code NAME.upholds/}) come or go.
 */
final class UnitDiff {

    private static final Path UNITS = Path.of("etc", "systemd", "system");
    private static final Set<String> DEPENDENCY_DIRS = Set.of(".wants", ".requires", ".upholds");

    private UnitDiff() {
    }

    static UnitChanges between(Path beforeSystem, Path afterSystem) {
        Map<String, Map<String, Optional<Path>>> before = units(beforeSystem.resolve(UNITS));
        Map<String, Map<String, Optional<Path>>> after = units(afterSystem.resolve(UNITS));
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String unit : names) {
            if (!before.containsKey(unit)) {
                added.add(unit);
            } else if (!after.containsKey(unit)) {
                removed.add(unit);
            } else if (!sameFiles(before.get(unit), after.get(unit))) {
                changed.add(unit);
            }
        }
        return new UnitChanges(added, removed, changed);
    }

    /**
     * Unit name to its files, by path under the tree; a file whose content counts maps to where it resolves, an
     * entry of a dependency directory (only its presence counts) to empty.
     */
    private static Map<String, Map<String, Optional<Path>>> units(Path tree) {
        Map<String, Map<String, Optional<Path>>> units = new TreeMap<>();
        if (!Files.isDirectory(tree)) {
            return units;
        }
        for (Path entry : list(tree)) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                int dot = name.lastIndexOf('.');
                String suffix = dot < 0 ? "" : name.substring(dot);
                boolean dependencies = DEPENDENCY_DIRS.contains(suffix);
                if (!dependencies && !suffix.equals(".d")) {
                    continue;
                }
                String unit = name.substring(0, dot);
                for (Path file : list(entry)) {
                    if (Files.isRegularFile(file) || dependencies) {
                        units.computeIfAbsent(unit, u -> new TreeMap<>()).put(name + "/" + file.getFileName(),
                                dependencies ? Optional.empty() : Optional.of(real(file)));
                    }
                }
            } else if (Files.isRegularFile(entry)) {
                units.computeIfAbsent(name, u -> new TreeMap<>()).put(name, Optional.of(real(entry)));
            }
        }
        return units;
    }

    private static boolean sameFiles(Map<String, Optional<Path>> a, Map<String, Optional<Path>> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Optional<Path>> e : a.entrySet()) {
            Optional<Path> other = b.get(e.getKey());
            if (e.getValue().isPresent() && !sameContent(e.getValue().get(), other.orElseThrow())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameContent(Path a, Path b) {
        try {
            // two store paths of one unparametrised unit file are the same unit file
            return a.equals(b) || Files.mismatch(a, b) == -1;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new PlanException("cannot read the unit files in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }
}
