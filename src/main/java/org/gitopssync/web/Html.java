package org.gitopssync.web;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The pages' escaping and formatting: every value from the repository or the store goes through {@link #esc}. */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** Text safe in element content and in quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** A machine-readable time element, so the script could show local times; the text is UTC. */
    static String timeElement(Instant t) {
        return t == null ? "" : "<time datetime=\"" + t + "\">" + time(t) + "</time>";
    }

    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = Math.max(0, d.toMillis());
        if (ms < 10_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60 > 0 ? s / 60 + "m " : "") + s % 60 + "s";
        }
        return s / 3600 + "h " + (s % 3600) / 60 + "m";
    }

    static String abbrev(String sha) {
        return sha == null ? "" : sha.substring(0, Math.min(12, sha.length()));
    }

    /** One URL path segment (an attribute name may hold dots, quotes and slashes). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String decodeSegment(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A link, both parts escaped; plain text when there is no target. */
    static String link(String href, String text) {
        return href == null ? esc(text) : "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /** The outcome word as a badge the stylesheet colours by its class. */
    static String badge(String word) {
        return "<span class=\"badge " + cssClass(word) + "\">" + esc(word) + "</span>";
    }

    private static String cssClass(String word) {
        return word == null ? "" : "o-" + word.replaceAll("[^a-z-]", "");
    }

    /** A whole page: phone-sized viewport, the shipped stylesheet and script, the content in {@code <main>}. */
    static String page(String title, String host, String main) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"" + StaticAssets.STYLESHEET + "\">"
                + "<script src=\"" + StaticAssets.SCRIPT + "\" defer></script></head><body>"
                + "<header><a href=\"/\">gitops-sync</a>" + (host == null ? "" : " <span>" + esc(host) + "</span>")
                + "</header><main id=\"main\">" + main + "</main></body></html>";
    }
}
