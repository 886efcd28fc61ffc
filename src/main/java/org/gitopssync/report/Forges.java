package org.gitopssync.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.gitopssync.config.ConfigException;
import org.gitopssync.config.Credential;
import org.gitopssync.config.CredentialResolver;
import org.gitopssync.config.ForgeSettings;
import org.gitopssync.config.SecuritySettings;
import org.gitopssync.config.Settings;
import org.gitopssync.forge.CycleStatusPlan;
import org.gitopssync.forge.ForgeApi;
import org.gitopssync.forge.ForgeAuth;
import org.gitopssync.forge.ForgeConnection;
import org.gitopssync.forge.ForgeKind;
import org.gitopssync.forge.PostedStatus;
import org.gitopssync.forge.RepositoryCoordinates;
import org.gitopssync.forge.StatusOutbox;
import org.gitopssync.forge.StatusQueue;
import org.gitopssync.forge.WebhookReceiver;

/**
 * The configured forges: one status queue and plan per forge, and their webhook receivers. Tokens
 * are resolved and queues started on first use, so commands that never report (reset, secrets
 * check) neither need the forge credentials nor start threads for them.
 */
public final class Forges implements AutoCloseable {

    /** One configured forge and what talks to it. */
    public record Link(ForgeSettings settings, ForgeKind kind, RepositoryCoordinates repository, ForgeApi api,
            StatusQueue queue, CycleStatusPlan plan) {
    }

    /** How long a process waits at exit for statuses still queued; the rest stays in the outbox. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private final List<ForgeSettings> settings;
    private final CredentialResolver credentials;
    private final Function<ForgeKind, StatusOutbox> outboxes;
    private List<Link> links;

    private Forges(List<ForgeSettings> settings, CredentialResolver credentials,
            Function<ForgeKind, StatusOutbox> outboxes) {
        this.settings = List.copyOf(settings);
        this.credentials = credentials;
        this.outboxes = outboxes;
    }

    /** The {@code [[forges]]} entries, connected when first used, with no outbox (statuses are not kept). */
    public static Forges open(List<ForgeSettings> settings, CredentialResolver credentials) {
        return new Forges(settings, credentials, kind -> StatusOutbox.NONE);
    }

    /** As {@link #open(List, CredentialResolver)}, keeping each forge's undelivered statuses in {@code outboxes}. */
    public static Forges open(List<ForgeSettings> settings, CredentialResolver credentials,
            Function<ForgeKind, StatusOutbox> outboxes) {
        return new Forges(settings, credentials, outboxes);
    }

    /**
     * Sends the statuses earlier processes left in the outbox (connecting only when there are some);
     * a daemon calls it every cycle to pick up what one-shot runs left meanwhile.
     */
    public void sendLeftovers() {
        boolean connected;
        synchronized (this) {
            connected = links != null;
        }
        if (connected) {
            links().forEach(l -> l.queue().resumeStored());
            return;
        }
        boolean waiting = settings.stream().map(s -> kindOf(s.type())).distinct()
                .anyMatch(kind -> !outboxes.apply(kind).stored().isEmpty());
        if (waiting) {
            links(); // starting a queue queues its outbox
        }
    }

    /** Whether any forge is configured (answered without connecting). */
    public boolean isEmpty() {
        return settings.isEmpty();
    }

    private static List<Link> connect(List<ForgeSettings> settings, CredentialResolver credentials,
            Function<ForgeKind, StatusOutbox> outboxes) {
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            ForgeSettings s = settings.get(i);
            String key = "forges[" + i + "]";
            ForgeKind kind = kindOf(s.type());
            ForgeAuth auth;
            if (s.appId() != null) {
                Credential pem = credentials.value(key + ".private_key", s.privateKey())
                        .orElseThrow(() -> new ConfigException(key + ".private_key: required for a GitHub App"));
                auth = new ForgeAuth.GitHubApp(s.appId(), s.installationId(), pem);
            } else {
                Credential token = credentials.value(key + ".credentials", s.credentials())
                        .orElseThrow(() -> new ConfigException(key + ".credentials: required"));
                auth = new ForgeAuth.Token(token);
            }
            RepositoryCoordinates repo;
            try {
                repo = new RepositoryCoordinates(s.repository());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ".repository: " + e.getMessage());
            }
            ForgeApi api = ForgeApi.connect(new ForgeConnection(kind, s.apiUrl(), auth));
            StatusQueue queue = new StatusQueue(api.statusReporter(), outboxes.apply(kind));
            queue.start();
            links.add(new Link(s, kind, repo, api, queue, new CycleStatusPlan(queue, s.attributeContexts())));
        }
        return List.copyOf(links);
    }

    /** The connected forges; the first call resolves tokens (a missing one fails here) and starts the queues. */
    public synchronized List<Link> links() {
        if (links == null) {
            links = connect(settings, credentials, outboxes);
        }
        return links;
    }

    /**
     * Whether an event for {@code repository} concerns the repository this agent follows on that
     * forge: organisation webhooks and GitHub Apps deliver events for every repository they cover.
     * A GitLab project configured by numeric id cannot be compared by name and is trusted to match.
     */
    public boolean follows(ForgeKind kind, String repository) {
        return settings.stream().filter(s -> kindOf(s.type()) == kind).anyMatch(s ->
                s.repository().matches("[0-9]+") || s.repository().equalsIgnoreCase(repository));
    }

    public Optional<Link> link(ForgeKind kind) {
        return links().stream().filter(l -> l.kind() == kind).findFirst();
    }

    /**
     * The latest status of each context on {@code sha}, as the first configured forge shows it: the
     * ledger waves read; a forge exception when it cannot be reached.
     */
    public List<PostedStatus> statusesOf(String sha) {
        Link first = links().get(0);
        return first.api().statusLedger().latest(first.repository(), sha);
    }

    /**
     * One receiver per forge for the daemon's webhook endpoint. A forge without a webhook secret is
     * refused unless {@code security.allow_insecure_webhooks} is set (then it is accepted unsigned).
     */
    public Map<ForgeKind, WebhookReceiver> webhookReceivers(SecuritySettings security) {
        Map<ForgeKind, WebhookReceiver> out = new EnumMap<>(ForgeKind.class);
        List<Link> links = links();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            Credential secret = credentials.value("forges[" + i + "].webhook_secret", l.settings().webhookSecret())
                    .orElse(null);
            if (secret == null && !security.allowInsecureWebhooks()) {
                throw new ConfigException("forges[" + i + "].webhook_secret: the webhook listener refuses to start without"
                        + " a secret (set security.allow_insecure_webhooks = true only for local development)");
            }
            out.put(l.kind(), new WebhookReceiver(l.kind(), l.repository(), secret,
                    new WebhookReceiver.Settings(security.webhookMaxBodyBytes(), 10_000, security.allowInsecureWebhooks())));
        }
        return out;
    }

    /** How caches' permission globs see this repository: the forge's owner/name, else derived from the URL. */
    public static String repositoryName(Settings settings) {
        if (!settings.forges().isEmpty()) {
            return settings.forges().get(0).repository();
        }
        String derived = ForgeSettings.derivedRepository(settings.repository().url());
        return derived != null ? derived : settings.repository().url();
    }

    static ForgeKind kindOf(ForgeSettings.ForgeType type) {
        return ForgeKind.valueOf(type.name());
    }

    /** Waits at most {@link #EXIT_GRACE} in all for queued statuses: a hanging forge never holds up the exit. */
    @Override
    public synchronized void close() {
        if (links != null) {
            long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
            for (Link l : links) {
                l.queue().close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        }
    }
}
