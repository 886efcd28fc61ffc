package org.gitopssync.secrets.sops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gitopssync.secrets.SecretsException;

/** Recovers a file's data key from its key groups: one group's key, or Shamir shares from enough groups. */
final class DataKeyUnlocker {

    private final List<DataKeySource> sources;

    DataKeyUnlocker(List<DataKeySource> sources) {
        this.sources = List.copyOf(sources);
    }

    byte[] unlock(String fileName, SopsMetadata metadata) {
        List<SopsKeyGroup> groups = metadata.keyGroups();
        List<byte[]> parts = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            GroupAttempt attempt = open(groups.get(i));
            if (attempt.part().isPresent()) {
                parts.add(attempt.part().get());
            } else {
                failures.add((groups.size() > 1 ? "group " + (i + 1) + ": " : "") + attempt.explain());
            }
        }
        if (groups.size() == 1) {
            if (parts.isEmpty()) {
                throw new SecretsException("no key opened " + fileName + ": " + failures.get(0));
            }
            return checkLength(fileName, parts.get(0));
        }
        int threshold = metadata.shamirThreshold() > 0 ? metadata.shamirThreshold() : groups.size();
        if (parts.size() < Math.max(threshold, 2)) {
            throw new SecretsException("no key opened " + fileName + ": " + parts.size() + " of " + threshold
                    + " required key groups opened (shamir_threshold " + threshold + "); " + String.join("; ", failures));
        }
        return checkLength(fileName, ShamirSecret.combine(parts));
    }

    private static byte[] checkLength(String fileName, byte[] key) {
        if (key.length != 32) {
            throw new SecretsException(fileName + ": recovered data key has " + key.length + " bytes, expected 32");
        }
        return key;
    }

    private GroupAttempt open(SopsKeyGroup group) {
        List<String> tried = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (SopsMasterKey key : group.keys()) {
            Optional<DataKeySource> source = sources.stream().filter(s -> s.handles(key)).findFirst();
            if (source.isEmpty()) {
                skipped.add(key.describe() + unsupportedHint(key));
                continue;
            }
            try {
                return new GroupAttempt(Optional.of(source.get().unwrap(key)), tried, skipped);
            } catch (SecretsException e) {
                tried.add(key.describe() + " (" + e.getMessage() + ")");
            }
        }
        return new GroupAttempt(Optional.empty(), tried, skipped);
    }

    private static String unsupportedHint(SopsMasterKey key) {
        if ("age".equals(key.type()) && key.identifier().startsWith("age1pq1")) {
            return " (post-quantum ML-KEM recipient, not supported)";
        }
        return "";
    }

    private record GroupAttempt(Optional<byte[]> part, List<String> tried, List<String> skipped) {

        String explain() {
            List<String> sentences = new ArrayList<>();
            if (!tried.isEmpty()) {
                sentences.add("tried " + String.join(", ", tried));
            }
            if (!skipped.isEmpty()) {
                sentences.add("skipped " + String.join(", ", skipped) + " (no supported key source)");
            }
            return sentences.isEmpty() ? "the key group is empty" : String.join("; ", sentences);
        }
    }
}
