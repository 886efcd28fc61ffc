package org.gitopssync.review;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gitopssync.Cancellation;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.Nix;
import org.gitopssync.nix.TerminalText;

/** What changes between two system closures, package by package ({@code nix store diff-closures}). */
public final class ClosureDiff {

    private static final String ABSENT = "∅";

    private final Nix nix;

    public ClosureDiff(Nix nix) {
        this.nix = nix;
    }

    public List<PackageChange> between(String before, String after, Cancellation cancellation) {
        if (before.equals(after)) {
            return List.of();
        }
        List<String> argv = nix.command("store", "diff-closures");
        argv.add(before);
        argv.add(after);
        CommandResult r = nix.runner().runChecked(Command.of(argv).capturingStdout().withTimeout(Duration.ofMinutes(5)),
                cancellation);
        return parse(r.stdout());
    }

    /** Parses lines such as {@code hello: 2.10 → 2.12, +3.1 KiB}, {@code foo: ∅ → 1.0}, {@code bar: +0.5 KiB}. */
    static List<PackageChange> parse(String output) {
        List<PackageChange> out = new ArrayList<>();
        for (String raw : output.split("\n")) {
            String line = TerminalText.plain(raw).strip();
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String rest = line.substring(colon + 2);
            String size = null;
            int comma = rest.lastIndexOf(", ");
            if (comma >= 0 && rest.substring(comma + 2).matches("[+-].*B")) {
                size = rest.substring(comma + 2);
                rest = rest.substring(0, comma);
            } else if (rest.matches("[+-].*B")) {
                out.add(new PackageChange(name, List.of(), List.of(), rest));
                continue;
            }
            int arrow = rest.indexOf(" → ");
            if (arrow < 0) {
                continue;
            }
            out.add(new PackageChange(name, versions(rest.substring(0, arrow)), versions(rest.substring(arrow + 3)),
                    size));
        }
        return out;
    }

    private static List<String> versions(String s) {
        String t = s.strip();
        if (t.equals(ABSENT) || t.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(t.split(",\\s*")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
