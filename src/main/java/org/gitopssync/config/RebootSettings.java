package org.gitopssync.config;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code [deploy.reboot]} with {@code deploy.booted_system}: whether and when the agent may reboot into a system
 * whose kernel or initrd changed, and the system the machine booted, to compare with.
 */
public record RebootSettings(boolean allow, Window window, List<String> command, Path bootedSystem) {

    public RebootSettings {
        command = List.copyOf(command);
    }

    /** A daily time range, {@code "01:00-05:00"}; it may cross midnight. {@link #ANY} is any time. */
    public record Window(LocalTime start, LocalTime end, String text) {

        public static final Window ANY = new Window(null, null, "");

        public boolean contains(LocalTime t) {
            if (start == null) {
                return true;
            }
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }
    }

    static RebootSettings from(ConfigSection deploy) {
        ConfigSection s = deploy.section("reboot");
        String text = s.string("window", "01:00-05:00").strip();
        Window window;
        if (text.isEmpty()) {
            window = Window.ANY;
        } else {
            String[] parts = text.split("-", -1);
            try {
                if (parts.length != 2) {
                    throw new DateTimeParseException("not a range", text, 0);
                }
                LocalTime start = LocalTime.parse(parts[0].strip());
                LocalTime end = LocalTime.parse(parts[1].strip());
                if (start.equals(end)) {
                    throw s.error("window", "\"" + text + "\" is empty; write \"\" for any time");
                }
                window = new Window(start, end, text);
            } catch (DateTimeParseException e) {
                throw s.error("window", "\"" + text + "\" is not a time range like \"01:00-05:00\" (24-hour HH:MM)");
            }
        }
        List<String> command = s.strings("command", List.of("systemctl", "reboot", "--when=+2min"));
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw s.error("command", "must name a program, e.g. [\"systemctl\", \"reboot\", \"--when=+2min\"]");
        }
        return new RebootSettings(s.bool("allow", false), window, command,
                deploy.path("booted_system", Path.of("/run/booted-system")));
    }
}
