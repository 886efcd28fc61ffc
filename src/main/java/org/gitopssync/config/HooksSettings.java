package org.gitopssync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code [[hooks]]}: programs run, or URLs posted to, after host events. */
public record HooksSettings(List<Hook> hooks) {

    public HooksSettings {
        hooks = List.copyOf(hooks);
    }

    /** The hooks that listen to an event, in configuration order. */
    public List<Hook> on(HostEvent event) {
        return hooks.stream().filter(h -> h.on().contains(event)).toList();
    }

    /** How a hook is delivered. */
    public enum Type {
        /** Run {@code command} with the event in its environment. */
        COMMAND,
        /** POST the event as JSON to {@code url}. */
        HTTP
    }

    /** One {@code [[hooks]]} entry. */
    public record Hook(int index, Type type, Set<HostEvent> on, List<String> command, String url,
            boolean allowPrivateHosts, Duration timeout) {

        public Hook {
            // in the order of HostEvent, so `config check` lists them the same way every time
            on = on.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(on));
            command = List.copyOf(command);
        }

        /** How logs name the hook: its program, or the URL's host (the path may hold a token). */
        public String describe() {
            if (type == Type.COMMAND) {
                return "hooks[" + index + "] (" + command.get(0) + ")";
            }
            return "hooks[" + index + "] (POST to " + URI.create(url).getHost() + ")";
        }
    }

    static HooksSettings from(List<ConfigSection> sections) {
        List<Hook> out = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            out.add(hook(i, sections.get(i)));
        }
        return new HooksSettings(out);
    }

    private static Hook hook(int index, ConfigSection s) {
        Type type = s.choice("type", Type.class, Type.COMMAND);
        List<String> words = s.strings("on", List.of());
        if (words.isEmpty()) {
            throw s.error("on", "name at least one event: " + HostEvent.words());
        }
        Set<HostEvent> on = EnumSet.noneOf(HostEvent.class);
        for (String w : words) {
            on.add(HostEvent.fromWord(w).orElseThrow(() -> s.error("on",
                    "unknown event \"" + w + "\"; expected " + HostEvent.words())));
        }
        List<String> command = s.strings("command", List.of());
        String url = s.string("url", null);
        boolean allowPrivate = s.bool("allow_private_hosts", false);
        Duration timeout = s.duration("timeout", Duration.ofMinutes(1));
        if (timeout.isZero() || timeout.isNegative()) {
            throw s.error("timeout", "must be longer than zero");
        }
        if (type == Type.COMMAND) {
            if (command.isEmpty() || command.get(0).isBlank()) {
                throw s.error("command", "a command hook needs the program and its arguments, e.g. [\"/usr/local/bin/notify\"]");
            }
            if (url != null) {
                throw s.error("url", "only an http hook (type = \"http\") takes a url");
            }
        } else {
            if (url == null || url.isBlank()) {
                throw s.error("url", "an http hook needs the URL to POST to");
            }
            if (!command.isEmpty()) {
                throw s.error("command", "an http hook (type = \"http\") takes a url, not a command");
            }
            checkUrl(s, url);
        }
        return new Hook(index, type, on, command, url, allowPrivate, timeout);
    }

    private static void checkUrl(ConfigSection s, String url) {
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw s.error("url", "expected an http:// or https:// URL with a host");
            }
            if (uri.getRawUserInfo() != null) {
                throw s.error("url", "put no credentials in the URL");
            }
        } catch (URISyntaxException e) {
            throw s.error("url", "not a valid URL: " + e.getReason());
        }
    }
}
