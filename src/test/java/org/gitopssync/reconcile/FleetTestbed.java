package org.gitopssync.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.gitopssync.Cancellation;
import org.gitopssync.app.Agent;
import org.gitopssync.fleet.NixKeys;
import org.gitopssync.testing.AgentFixture;
import org.gitopssync.testing.DemoFlakeRepo;
import org.gitopssync.testing.MutableClock;
import org.gitopssync.testing.RecordingCommandRunner;

/**
 * A fleet on one machine: the demo flake's remote, a builder agent and a host agent with state of their own, a
 * {@code file://} binary cache signed with a real nix key, and a {@code file://} release store.
 */
final class FleetTestbed {

    final Path base;
    final DemoFlakeRepo repo;
    final NixKeys.KeyPair builderKey;
    final NixKeys.KeyPair cacheKey;
    final Path releases;
    final Path cache;
    final AgentFixture builder;
    final AgentFixture host;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final RecordingCommandRunner hostRunner = new RecordingCommandRunner();

    FleetTestbed(Path base) {
        this.base = base;
        this.repo = DemoFlakeRepo.create(base);
        this.builderKey = NixKeys.generate(base.resolve("keys"), "builder-1");
        this.cacheKey = NixKeys.generate(base.resolve("keys"), "cache-1");
        this.releases = base.resolve("releases");
        this.cache = base.resolve("cache");
        this.builder = new AgentFixture(base.resolve("builder"), repo).hostname("builder-1").extra("""
                [fleet]
                role = "builder"
                signing_key = { file = "%s" }
                releases = "file://%s"

                [[caches]]
                id = "fleet"
                type = "nix-copy"
                destination = "file://%s"
                signing_key = { file = "%s" }
                permissions = { allow_all = true }
                """.formatted(builderKey.secretFile(), releases, cache, cacheKey.secretFile()));
        this.host = new AgentFixture(base.resolve("host"), repo);
    }

    /** The host's [fleet] section with the given extra lines (trusted keys default to the builder's). */
    FleetTestbed hostFleet(String lines) {
        host.extra("""
                [fleet]
                role = "host"
                releases = "file://%s"
                %s

                [[caches]]
                id = "fleet"
                type = "nix-copy"
                destination = "file://%s"
                permissions = { allow_all = true }
                """.formatted(releases, lines, cache));
        return this;
    }

    String trustedBuilder() {
        return "trusted_keys = [\"" + builderKey.publicKey() + "\"]";
    }

    String trustedCache() {
        return "cache_keys = [\"" + cacheKey.publicKey() + "\"]";
    }

    CycleReport builderCycle() {
        try (Agent agent = Agent.open(builder.load(Map.of()).settings(), Map.of(), new RecordingCommandRunner(),
                clock)) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    CycleReport hostCycle() {
        try (Agent agent = Agent.open(host.load(Map.of()).settings(), Map.of(), hostRunner, clock)) {
            return agent.reconciler().run(CycleRequest.of(Trigger.MANUAL), Cancellation.none());
        }
    }

    /** {@code gitops-sync reset --to commit} on one of the agents. */
    void reset(AgentFixture agent, String commit) {
        try (Agent a = Agent.open(agent.load(Map.of()).settings(), Map.of(), new RecordingCommandRunner(), clock)) {
            a.reconciler().reset(commit);
        }
    }

    Path record(String host, String commit) {
        return releases.resolve(host).resolve(commit + ".json");
    }

    String motd() {
        try {
            Path f = repo.root().resolve("etc/motd");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a system from this machine's store, so the host can only get it from the cache. */
    static void forget(String storePath) {
        NixKeys.run(null, "nix-store", "--delete", storePath);
    }
}
