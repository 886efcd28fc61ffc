package org.gitopssync.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.gitopssync.testing.AppProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command but {@code daemon} starts on a class path without the Quarkus container's jars
 * (bin/one-shot-classpath), so that the JDK's searches of the class path open 42 fewer jars. This proves none of them
 * is needed there. Starting from {@code Launch}, the walk follows every class each class file names (its constant
 * pool, descriptors and signatures) and every class a string constant of it names (what {@code Class.forName} would
 * load) through the app and every library, and goes from each service reached to its providers in the kept jars. No
 * class reached may be defined only in a left-out jar, and no service a reached class could look up may have a
 * provider in a left-out jar. The one edge not followed is into {@code app.Daemon}, the container's bean: a one-shot
 * command reaches it only through {@code DaemonCommand}'s supplier, which {@code Launch} makes refuse.
 */
class OneShotClassPathIT {

    /** Where the walk stops, and why a one-shot command never gets there. */
    private static final Map<String, String> NOT_FOLLOWED = Map.of("org/gitopssync/app/Daemon",
            "the container's bean; Launch refuses `daemon` and its DaemonCommand gets a supplier that throws");

    private static final Pattern JDK = Pattern.compile("(java|javax|jdk|sun|com[./]sun)[./]");
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.+)\\.class");

    private static List<Path> kept;
    private static List<Path> leftOut;
    /** Each class's defining jars, in the order of the class path with every jar (the container's launcher's). */
    private static Map<String, List<Path>> definedIn;
    /** The providers of each service (internal names) the kept jars declare: the walk follows them from it. */
    private static Map<String, List<String>> providers;

    @BeforeAll
    static void readTheJars() throws IOException {
        Path app = NixInstantiate.projectRoot().resolve("target/quarkus-app");
        List<String> oneShot = AppProcess.oneShotEntry();
        kept = Arrays.stream(oneShot.get(oneShot.indexOf("-cp") + 1).split(":")).map(OneShotClassPathIT::real)
                .toList();
        List<Path> all = new ArrayList<>();
        for (String group : List.of("app", "lib/main", "lib/boot")) {
            try (Stream<Path> jars = Files.list(app.resolve(group))) {
                jars.filter(j -> j.toString().endsWith(".jar")).map(OneShotClassPathIT::real).sorted()
                        .forEach(all::add);
            }
        }
        leftOut = all.stream().filter(j -> !kept.contains(j)).toList();
        definedIn = new HashMap<>();
        providers = new HashMap<>();
        for (Path jar : all) {
            try (JarFile j = new JarFile(jar.toFile())) {
                j.stream().map(JarEntry::getName).map(OneShotClassPathIT::className).filter(n -> n != null)
                        .distinct().forEach(n -> definedIn.computeIfAbsent(n, k -> new ArrayList<>()).add(jar));
                if (kept.contains(jar)) {
                    servicesOf(j).forEach((service, names) ->
                            providers.computeIfAbsent(service, k -> new ArrayList<>()).addAll(names));
                }
            }
        }
    }

    @Test
    void theOneShotClassPathLeavesOutTheContainerAndKeepsWhatCommandsUse() {
        assertThat(names(leftOut)).anyMatch(n -> n.startsWith("io.quarkus.quarkus-core-"))
                .anyMatch(n -> n.startsWith("io.vertx.vertx-core-"))
                .anyMatch(n -> n.startsWith("io.netty.netty-common-"))
                .anyMatch(n -> n.startsWith("io.smallrye.config.smallrye-config-core-"));
        assertThat(names(kept)).anyMatch(n -> n.startsWith("gitops-sync-"))
                .anyMatch(n -> n.startsWith("org.eclipse.jgit.org.eclipse.jgit-"))
                .anyMatch(n -> n.startsWith("org.jboss.logmanager.jboss-logmanager-"))
                .anyMatch(n -> n.startsWith("org.bouncycastle.bcprov-"))
                .anyMatch(n -> n.startsWith("io.micrometer.micrometer-core-"));
        assertThat(leftOut.size()).as("jars left out of %s", kept.size() + leftOut.size()).isGreaterThan(30);
    }

    @Test
    void theWalkFindsTheContainerFromTheDaemon() throws IOException {
        // what makes the other tests able to fail: the same walk from the container's bean meets its jars
        Walk fromDaemon = walk("org/gitopssync/app/Daemon", Map.of());
        assertThat(fromDaemon.reached()).containsKeys("io/vertx/core/Vertx", "io/quarkus/runtime/Quarkus",
                "io/netty/channel/EventLoopGroup");
        assertThat(onlyInLeftOutJars(fromDaemon)).isNotEmpty();
    }

    @Test
    void noClassAOneShotCommandCanReachIsOnlyInALeftOutJar() throws IOException {
        Walk walk = walk("org/gitopssync/cli/Launch", NOT_FOLLOWED);
        assertThat(walk.reached()).as("the walk went through the app and its libraries")
                .containsKeys("org/gitopssync/reconcile/Reconciler", "org/eclipse/jgit/api/Git",
                        "org/gitopssync/metrics/AgentMetrics", "io/micrometer/core/instrument/MeterRegistry");
        assertThat(onlyInLeftOutJars(walk)).as("classes a one-shot command can reach, with what names them").isEmpty();

        List<String> shadowed = new ArrayList<>();
        for (String c : walk.reached().keySet()) {
            List<Path> jars = definedIn.get(c);
            if (jars != null && leftOut.contains(jars.get(0))) {
                shadowed.add(c + " (the container's launcher loads it from " + jars.get(0).getFileName() + ")");
            }
        }
        assertThat(shadowed).as("classes a left-out jar defines first, which a one-shot would load from another")
                .isEmpty();
    }

    @Test
    void noServiceAOneShotCommandCanLookUpHasItsProviderOnlyInALeftOutJar() throws IOException {
        Walk walk = walk("org/gitopssync/cli/Launch", NOT_FOLLOWED);
        List<String> services = new ArrayList<>();
        for (Path jar : leftOut) {
            try (JarFile j = new JarFile(jar.toFile())) {
                for (JarEntry e : j.stream().toList()) {
                    String file = e.getName();
                    if (!file.startsWith("META-INF/services/") || file.endsWith("/")) {
                        continue;
                    }
                    String service = file.substring("META-INF/services/".length());
                    String internal = service.replace('.', '/');
                    // the JDK looks up its own services whenever it likes; a service whose type no jar has, nobody can
                    boolean lookedUp = walk.reached().containsKey(internal) || JDK.matcher(service).lookingAt();
                    if (lookedUp && !definedOnlyInLeftOutJars(internal)) {
                        services.add(service + " (provided in " + jar.getFileName() + ": "
                                + new String(j.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8).strip() + ")");
                    }
                }
            }
        }
        assertThat(services).as("services with a provider a one-shot command would not find").isEmpty();
    }

    private static List<String> onlyInLeftOutJars(Walk walk) {
        List<String> found = new ArrayList<>();
        for (String c : walk.reached().keySet()) {
            if (definedOnlyInLeftOutJars(c)) {
                found.add(walk.chain(c));
            }
        }
        return found;
    }

    private static boolean definedOnlyInLeftOutJars(String internalName) {
        List<Path> jars = definedIn.get(internalName);
        return jars != null && leftOut.containsAll(jars);
    }

    /** The classes reached from {@code root}, each with the class that first named it. */
    private record Walk(Map<String, String> reached) {

        String chain(String c) {
            List<String> names = new ArrayList<>();
            for (String at = c; at != null; at = reached.get(at)) {
                names.add(at);
            }
            return String.join(" <- ", names);
        }
    }

    private static Walk walk(String root, Map<String, String> notFollowed) throws IOException {
        Map<String, String> reached = new LinkedHashMap<>();
        Map<Path, JarFile> open = new HashMap<>();
        Deque<String> next = new ArrayDeque<>();
        reached.put(root, null);
        next.add(root);
        // the JDK looks up its own services whenever it likes
        providers.keySet().stream().filter(s -> JDK.matcher(s).lookingAt()).forEach(s -> {
            reached.put(s, null);
            next.add(s);
        });
        try {
            while (!next.isEmpty()) {
                String c = next.poll();
                for (String provider : providers.getOrDefault(c, List.of())) {
                    if (!reached.containsKey(provider)) {
                        reached.put(provider, c);
                        next.add(provider);
                    }
                }
                List<Path> jars = definedIn.get(c);
                if (jars == null || notFollowed.containsKey(c)) {
                    continue;
                }
                // where the one-shot loads it from; a class only in left-out jars is followed too, to show more
                Path from = jars.stream().filter(kept::contains).findFirst().orElse(jars.get(0));
                JarFile jar = open.computeIfAbsent(from, OneShotClassPathIT::openJar);
                Set<String> names = new HashSet<>();
                for (JarEntry e : entriesOf(jar, c)) {
                    ClassFileReferences refs = ClassFileReferences.read(jar.getInputStream(e).readAllBytes());
                    names.addAll(refs.classes());
                    // what Class.forName would load: a string constant that names a class some jar defines
                    for (String constant : refs.strings()) {
                        String named = constant.replace('.', '/');
                        if (definedIn.containsKey(named)) {
                            names.add(named);
                        }
                    }
                }
                for (String n : names) {
                    if (!reached.containsKey(n)) {
                        reached.put(n, c);
                        next.add(n);
                    }
                }
            }
        } finally {
            for (JarFile j : open.values()) {
                j.close();
            }
        }
        return new Walk(reached);
    }

    /** The service files of a jar: each service's providers, internal names. */
    private static Map<String, List<String>> servicesOf(JarFile jar) throws IOException {
        Map<String, List<String>> services = new HashMap<>();
        for (JarEntry e : jar.stream().toList()) {
            String file = e.getName();
            if (file.startsWith("META-INF/services/") && !file.endsWith("/")) {
                String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
                List<String> names = text.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty())
                        .map(l -> l.replace('.', '/')).toList();
                services.computeIfAbsent(file.substring("META-INF/services/".length()).replace('.', '/'),
                        k -> new ArrayList<>()).addAll(names);
            }
        }
        return services;
    }

    /** The class's entry and, in a multi-release jar, each version of it this JVM may load instead. */
    private static List<JarEntry> entriesOf(JarFile jar, String className) {
        List<JarEntry> entries = new ArrayList<>();
        JarEntry base = jar.getJarEntry(className + ".class");
        if (base != null) {
            entries.add(base);
        }
        for (int v = 9; v <= Runtime.version().feature(); v++) {
            JarEntry versioned = jar.getJarEntry("META-INF/versions/" + v + "/" + className + ".class");
            if (versioned != null) {
                entries.add(versioned);
            }
        }
        return entries;
    }

    private static Path real(String path) {
        return real(Path.of(path));
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JarFile openJar(Path jar) {
        try {
            return new JarFile(jar.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String className(String entry) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class")) {
            return null;
        }
        Matcher versioned = VERSIONED.matcher(entry);
        if (versioned.matches()) {
            return Integer.parseInt(versioned.group(1)) <= Runtime.version().feature() ? versioned.group(2) : null;
        }
        return entry.substring(0, entry.length() - ".class".length());
    }

    private static List<String> names(List<Path> jars) {
        return jars.stream().map(j -> j.getFileName().toString()).toList();
    }
}
