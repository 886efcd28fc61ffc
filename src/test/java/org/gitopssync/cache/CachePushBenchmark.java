package org.gitopssync.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.gitopssync.Cancellation;
import org.gitopssync.Sleeper;
import org.gitopssync.config.CacheSettings;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.nix.Command;
import org.gitopssync.nix.CommandRunner;
import org.gitopssync.nix.Nix;

/**
 * Not a test: {@code bench/cache/run.sh}. The agent's push (probe narinfos, {@code nix copy
 * --no-recursive} of what is missing) against a plain {@code nix copy} of everything, each from
 * an identical fresh copy of the cache, alternating who goes first, several rounds, medians.
 */
public final class CachePushBenchmark {

    /** A fresh copy of a seeded cache for one run. */
    private interface Target extends AutoCloseable {
        String url();

        @Override
        void close();
    }

    private interface TargetFactory {
        Target fresh(String name) throws Exception;
    }

    private final Path work;
    private final int rounds;
    private final List<String> results = new ArrayList<>();

    private CachePushBenchmark(Path work, int rounds) {
        this.work = work;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int present = args.length > 1 ? Integer.parseInt(args[1]) : 190;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        java.util.logging.Logger.getLogger("org.gitopssync").setLevel(java.util.logging.Level.WARNING);
        Path work = Files.createTempDirectory("cache-bench-");
        try {
            new CachePushBenchmark(work, rounds).run(total, present);
        } finally {
            delete(work);
        }
    }

    private void run(int total, int present) throws Exception {
        List<String> outputs = build("leaf", total, false);
        List<String> system = build("sys", total - 1, true);
        String toplevel = system.get(0);
        System.out.printf("%d rounds each (after one warm-up), medians; nix %s", rounds,
                new CommandRunner().runChecked(Command.of("nix", "--version").capturingStdout(), Cancellation.none())
                        .stdout());

        Path fileSeed = seedDir("file-seed", outputs.subList(0, present));
        Path fileAll = seedDir("file-all", outputs);
        scenario("cache-push-file-ms", String.format("file://, %d outputs, %d already in the cache", total, present), outputs,
                total - present, dir -> dirCopy(fileSeed, dir));
        scenario("cache-push-file-all-there-ms", String.format("file://, %d outputs, all already in the cache (second push)", total), outputs, 0,
                dir -> dirCopy(fileAll, dir));

        try (HttpBinaryCacheDouble httpSeed = seedHttp(outputs.subList(0, present));
                HttpBinaryCacheDouble systemSeed = seedHttp(List.of(toplevel))) {
            scenario("cache-push-http-ms", String.format("http:// on loopback, %d outputs, %d already in the cache", total, present),
                    outputs, total - present, dir -> httpCopy(httpSeed));
            scenario("cache-push-http-toplevel-ms", String.format("http:// on loopback, 1 toplevel with a %d-path closure, all in the cache",
                    system.size()), List.of(toplevel), 0, dir -> httpCopy(systemSeed));
        }
        results.forEach(System.out::println);
    }

    private void scenario(String name, String title, List<String> request, int expectedPushed, TargetFactory targets)
            throws Exception {
        List<Long> ours = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            long o;
            long p;
            try (Target a = targets.fresh("ours-" + round); Target b = targets.fresh("plain-" + round)) {
                Path nixCache = Files.createDirectories(work.resolve("xdg-cache-" + UUID.randomUUID()));
                if (round % 2 == 0) {
                    o = timeOurs(a.url(), request, expectedPushed, nixCache);
                    p = timePlain(b.url(), request, nixCache);
                } else {
                    p = timePlain(b.url(), request, nixCache);
                    o = timeOurs(a.url(), request, expectedPushed, nixCache);
                }
            }
            if (round > 0) {
                ours.add(o);
                plain.add(p);
            }
        }
        double m = median(ours) / 1e6;
        double n = median(plain) / 1e6;
        System.out.printf("%-72s agent %7.1f ms | plain nix copy %7.1f ms | plain/agent %.2fx%n", title, m, n, n / m);
        // for bench/run: RESULT <name> <value> <baseline> <ratio>, the ratio as the table reads it
        results.add(String.format("RESULT %s %.1f %.1f %.2f", name, m, n, m / n));
    }

    private long timeOurs(String url, List<String> request, int expectedPushed, Path nixCache) {
        CacheSettings settings = TestCaches.cache("bench", CacheSettings.Type.NIX_COPY, url).allowPrivateHosts().build();
        CachePublisher publisher = new CachePublisher(List.of(settings),
                new Nix(new CommandRunner(Map.of("XDG_CACHE_HOME", nixCache.toString()))),
                new CredentialResolver(Map.of(), (p, f) -> null), work.resolve("scratch"), HostResolver.SYSTEM,
                Sleeper.SYSTEM, HttpNarinfoProbe.defaultClient(), 1);
        long start = System.nanoTime();
        PushReport report = publisher.publish(new PushRequest("bench", "main", false, false, request),
                Cancellation.none());
        long elapsed = System.nanoTime() - start;
        CacheOutcome o = report.caches().get(0);
        if (o.status() != CacheOutcome.Status.PUSHED || o.pushed() != expectedPushed) {
            throw new IllegalStateException("unexpected outcome: " + o.summaryLine());
        }
        return elapsed;
    }

    private static long timePlain(String url, List<String> request, Path nixCache) {
        CommandRunner runner = new CommandRunner(Map.of("XDG_CACHE_HOME", nixCache.toString()));
        long start = System.nanoTime();
        runner.runChecked(Command.of(concat(List.of("nix", "copy", "--to", url), request))
                .withTimeout(Duration.ofMinutes(10)), Cancellation.none());
        return System.nanoTime() - start;
    }

    /** {@code count} derivations; with {@code toplevel}, one more first that refers to all of them. */
    private List<String> build(String prefix, int count, boolean toplevel) throws IOException {
        Path file = work.resolve(prefix + ".nix");
        Files.writeString(file, """
                { nonce, count, prefix, toplevel }:
                let
                  mk = name: text: derivation {
                    inherit name;
                    system = builtins.currentSystem;
                    builder = "/bin/sh";
                    args = [ "-c" "echo ${nonce} ${text} > $out" ];
                  };
                  leaves = builtins.genList (i: mk "cache-bench-${prefix}-${toString i}" (toString i)) count;
                in
                if toplevel then [ (mk "cache-bench-${prefix}-top" (toString leaves)) ] else leaves
                """);
        String out = new CommandRunner().runChecked(Command.of("nix-build", "--no-out-link", "--quiet",
                "--argstr", "nonce", UUID.randomUUID().toString(), "--arg", "count", Integer.toString(count),
                "--argstr", "prefix", prefix, "--arg", "toplevel", Boolean.toString(toplevel), file.toString())
                .capturingStdout().withTimeout(Duration.ofMinutes(10)), Cancellation.none()).stdout();
        List<String> roots = out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (!toplevel) {
            return roots;
        }
        String closure = new CommandRunner().runChecked(Command.of("nix-store", "-qR", roots.get(0)).capturingStdout(),
                Cancellation.none()).stdout();
        List<String> all = new ArrayList<>(roots);
        closure.lines().filter(l -> !l.isBlank() && !l.equals(roots.get(0))).forEach(all::add);
        return all;
    }

    private Path seedDir(String name, List<String> paths) {
        Path dir = work.resolve(name);
        new CommandRunner().runChecked(Command.of(concat(List.of("nix", "copy", "--to", "file://" + dir), paths))
                .withTimeout(Duration.ofMinutes(10)), Cancellation.none());
        return dir;
    }

    private static HttpBinaryCacheDouble seedHttp(List<String> paths) throws IOException {
        HttpBinaryCacheDouble seed = new HttpBinaryCacheDouble();
        new CommandRunner().runChecked(Command.of(concat(List.of("nix", "copy", "--to", seed.url()), paths))
                .withTimeout(Duration.ofMinutes(10)), Cancellation.none());
        return seed;
    }

    private Target dirCopy(Path seed, String name) throws IOException {
        Path to = work.resolve(name + "-" + UUID.randomUUID());
        try (Stream<Path> walk = Files.walk(seed)) {
            for (Path p : walk.sorted().toList()) {
                Path target = to.resolve(seed.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return new Target() {
            @Override
            public String url() {
                return "file://" + to;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Target httpCopy(HttpBinaryCacheDouble seed) throws IOException {
        HttpBinaryCacheDouble copy = new HttpBinaryCacheDouble();
        copy.copyFrom(seed);
        return new Target() {
            @Override
            public String url() {
                return copy.url();
            }

            @Override
            public void close() {
                copy.close();
            }
        };
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
