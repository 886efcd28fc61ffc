package org.gitopssync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of README.md and docs/*.md, with the marker comment on the line before
 * the fence ({@code <!-- runnable -->}, {@code <!-- config-fragment -->}, {@code <!-- manifest -->}),
 * as docs/ARCHITECTURE.md describes.
 */
public final class DocBlocks {

    private static final Pattern MARKER = Pattern.compile("<!--\\s*([a-z-]+)\\s*-->");

    /** One block: where it starts, its marker (or null) and its text. */
    public record Block(String where, int line, String marker, String text) {
    }

    private DocBlocks() {
    }

    /** Every block of that language in README.md and docs/*.md, in file order. */
    public static List<Block> all(String language) {
        Path root = DemoFlakeRepo.projectRoot();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(of(root.relativize(f).toString(), read(f), language));
        }
        return out;
    }

    static List<Block> of(String name, String markdown, String language) {
        List<Block> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String previous = "";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                String lang = line.substring(3).trim();
                int start = i;
                StringBuilder text = new StringBuilder();
                for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
                    text.append(lines[i]).append('\n');
                }
                if (lang.equals(language)) {
                    Matcher m = MARKER.matcher(previous.trim());
                    out.add(new Block(name + ":" + (start + 1), start + 1, m.matches() ? m.group(1) : null, text.toString()));
                }
                previous = "";
                continue;
            }
            if (!line.isBlank()) {
                previous = line;
            }
        }
        return out;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
