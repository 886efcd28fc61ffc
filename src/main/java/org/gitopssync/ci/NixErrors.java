package org.gitopssync.ci;

import java.util.ArrayList;
import java.util.List;
import org.gitopssync.nix.CommandResult;
import org.gitopssync.nix.TerminalText;

/** Pulls the user-facing error out of a failed nix command's stderr. */
final class NixErrors {

    private static final int MAX_LINES = 12;

    private NixErrors() {
    }

    /**
     * From the last {@code error:} line on (newer Nix prints a bare "error:", a trace, then the
     * innermost "error: boom"), without nix's hints and colours; else the failure summary.
     */
    static String message(CommandResult result) {
        List<String> lines = new ArrayList<>();
        boolean inError = false;
        for (String raw : result.outputTail()) {
            String line = TerminalText.plain(raw).stripTrailing();
            if (line.strip().startsWith("error:")) {
                line = line.strip();
                inError = true;
                lines.clear();
            }
            if (inError && !line.isBlank() && !line.contains("use '--show-trace'")) {
                lines.add(line);
            }
        }
        if (lines.isEmpty()) {
            return result.failureSummary();
        }
        String text = String.join("\n", lines.subList(0, Math.min(lines.size(), MAX_LINES)));
        String message = text.substring("error:".length()).strip();
        return message.isEmpty() ? result.failureSummary() : message;
    }
}
