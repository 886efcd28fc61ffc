package org.gitopssync.secrets.install;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gitopssync.secrets.SecretsException;

/**
 * Renders templates: the sops-nix placeholder {@code <SOPS:sha256hex(name):PLACEHOLDER>} and the readable
 * {@code {{ secret "name" }}} are both replaced by the named secret's value, by plain substitution.
 */
final class TemplateRenderer {

    private static final Pattern SOPS = Pattern.compile("<SOPS:([0-9a-f]{64}):PLACEHOLDER>");
    private static final Pattern READABLE = Pattern.compile("\\{\\{\\s*secret\\s+\"([^\"]*)\"\\s*}}");
    private static final Pattern ANY = Pattern.compile(SOPS.pattern() + "|" + READABLE.pattern());

    private TemplateRenderer() {
    }

    /** The sops-nix placeholder for a secret, as {@code config.sops.placeholder.<name>} yields it. */
    static String placeholder(String secretName) {
        return "<SOPS:" + sha256Hex(secretName) + ":PLACEHOLDER>";
    }

    /** The names of the secrets a template refers to; fails naming any placeholder that matches no secret. */
    static Set<String> references(String body, Set<String> secretNames, String label) {
        Map<String, String> byHash = hashes(secretNames);
        Set<String> out = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        Matcher sops = SOPS.matcher(body);
        while (sops.find()) {
            String name = byHash.get(sops.group(1));
            if (name == null) {
                unknown.add("<SOPS:" + sops.group(1) + ":PLACEHOLDER>");
            } else {
                out.add(name);
            }
        }
        Matcher readable = READABLE.matcher(body);
        while (readable.find()) {
            if (secretNames.contains(readable.group(1))) {
                out.add(readable.group(1));
            } else {
                unknown.add("{{ secret \"" + readable.group(1) + "\" }}");
            }
        }
        if (!unknown.isEmpty()) {
            throw new SecretsException(label + ": placeholder " + String.join(", ", unknown)
                    + " matches no secret in the manifest");
        }
        return out;
    }

    /** Substitutes every placeholder; {@code values} holds at least every referenced secret. */
    static Plaintext render(String body, Map<String, Plaintext> values, String label) {
        references(body, values.keySet(), label);
        Map<String, String> byHash = hashes(values.keySet());
        // One pass over the template: a substituted value is never scanned again, so a secret that happens
        // to look like a placeholder stays exactly as it is.
        Matcher m = ANY.matcher(body);
        StringBuilder out = new StringBuilder(body.length());
        int last = 0;
        while (m.find()) {
            String name = m.group(1) != null ? byHash.get(m.group(1)) : m.group(2);
            out.append(body, last, m.start()).append(values.get(name).text());
            last = m.end();
        }
        return Plaintext.of(out.append(body, last, body.length()).toString());
    }

    private static Map<String, String> hashes(Set<String> names) {
        Map<String, String> out = new HashMap<>();
        for (String name : names) {
            out.put(sha256Hex(name), name);
        }
        return out;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
