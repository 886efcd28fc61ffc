package org.gitopssync.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.gitopssync.forge.RepositoryCoordinates;
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

    private final List<ForgeSettings> settings;
    private final CredentialResolver credentials;
    private List<Link> links;

    private Forges(List<ForgeSettings> settings, CredentialResolver credentials) {
        this.settings = List.copyOf(settings);
        this.credentials = credentials;
    }

    /** The {@code [[forges]]} entries, connected when first used. */
    public static Forges open(List<ForgeSettings> settings, CredentialResolver credentials) {
        return new Forges(settings, credentials);
    }

    /** Whether any forge is configured (answered without connecting). */
    public boolean isEmpty() {
        return settings.isEmpty();
    }

    private static List<Link> connect(List<ForgeSettings> settings, CredentialResolver credentials) {
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
            StatusQueue queue = new StatusQueue(api.statusReporter());
            queue.start();
            links.add(new Link(s, kind, repo, api, queue, new CycleStatusPlan(queue, s.attributeContexts())));
        }
        return List.copyOf(links);
    }

    /** The connected forges; the first call resolves tokens (a missing one fails here) and starts the queues. */
    public synchronized List<Link> links() {
        if (links == null) {
            links = connect(settings, credentials);
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

    @Override
    public synchronized void close() {
        if (links != null) {
            links.forEach(l -> l.queue().close());
        }
    }
}
