# NixOS module: services.gitops runs gitops-sync, which keeps this host converged on its flake
# repository. Documentation: docs/nixos.md (options, timer vs daemon, hardening).
{ config, lib, pkgs, options, ... }:

let
  cfg = config.services.gitops;
  helpers = import ./lib.nix;
  settingsFormat = pkgs.formats.toml { };

  inherit (lib) mkOption types literalExpression;

  timerMode = cfg.mode == "timer";
  daemonMode = cfg.mode == "daemon";

  # What the TOML file holds: nulls (options left to the agent's own default) and empty tables
  # removed.
  renderedSettings = helpers.clean cfg.settings;
  configFile = settingsFormat.generate "gitops.toml" renderedSettings;

  # The agent's default for secrets.root (SecretsSettings); the module creates the directory.
  defaultSecretsRoot = "/run/gitops-secrets";
  secretsRoot = if cfg.settings.secrets.root == null then defaultSecretsRoot else cfg.settings.secrets.root;

  stateDir = cfg.settings.state_dir;
  stateUnderVarLib = helpers.hasPrefix "/var/lib/" stateDir;

  # Timer mode has no process to scrape: with node-exporter on this host, every run writes the
  # agent's families where its textfile collector reads (the directory its flags name, else the
  # conventional one). The daemon serves /metrics instead, so it gets no textfile by default: a file
  # only manual runs refresh would go stale and make "not converged" alerts fire.
  nodeExporter = config.services.prometheus.exporters.node or { enable = false; };
  defaultTextfileDirectory = "/var/lib/prometheus-node-exporter";
  namedTextfileDirectory = helpers.textfileDirectory {
    extraFlags = nodeExporter.extraFlags or [ ];
    enabledCollectors = nodeExporter.enabledCollectors or [ ];
  };
  textfileDirectory = if namedTextfileDirectory == null then defaultTextfileDirectory else namedTextfileDirectory;
  metricsTextfile = cfg.settings.metrics.textfile;

  forges = cfg.settings.forges;
  webhookForges = lib.filter (f: f.webhook_secret != null && f.webhook_secret != "none") forges;
  cacheTypes = map (c: c.type) cfg.settings.caches;

  # Upload tools for the configured caches (nix-copy needs only nix).
  cacheTools =
    lib.optional (lib.elem "cachix" cacheTypes) pkgs.cachix
    ++ lib.optional (lib.elem "attic" cacheTypes) pkgs.attic-client
    ++ lib.optional (lib.elem "niks3" cacheTypes && pkgs ? niks3) pkgs.niks3;

  servicePath = [
    config.nix.package # nix, nix-env, nix-store (same version as the daemon)
    pkgs.git # flake inputs and git+file:// sources fetched by nix
    config.programs.ssh.package # git+ssh:// flake inputs
    config.system.build.nixos-rebuild # deploy.method = "nixos-rebuild"
    config.systemd.package # systemctl (secrets.restart_command, nixos-rebuild)
  ] ++ cacheTools ++ cfg.extraPackages;

  # services.gitops.branch is the older name of ref; both set is refused by an assertion.
  followedRef = if cfg.branch != null then cfg.branch else cfg.ref;
  refSet = options.services.gitops.ref.highestPrio < (lib.mkOptionDefault { }).priority;

  # Timer options the user set explicitly (not left at their defaults).
  timerOptionsSet = lib.filter (o: options.services.gitops.${o}.highestPrio < (lib.mkOptionDefault { }).priority)
    [ "frequency" "randomizedDelaySec" "persistent" ];

  command = if timerMode then "sync --once" else "daemon";

  # The daemon's heap and stack sizing (./jvm-flags.nix, the same as bin/gitops-sync's for `daemon`), then the
  # user's options, which win where they repeat a flag.
  javaOptions = lib.optionals daemonMode (import ./jvm-flags.nix).daemon ++ cfg.javaOptions;

  # Fingerprint of everything that makes a running agent outdated. A daemon (or a daemon being
  # replaced by the timer) is restarted by gitops-sync-restart.service after an activation
  # changes it, because the activation itself must not restart it (restartIfChanged = false).
  stamp = "${cfg.mode}-" + builtins.substring 0 20 (builtins.hashString "sha256" (builtins.toJSON {
    inherit (cfg) mode extraEnvironment;
    inherit javaOptions; # with the daemon flags of ./jvm-flags.nix
    # toString: a Nix path given by mistake must not be copied into the store by toJSON
    credentials = lib.mapAttrs (_: toString) cfg.credentials;
    environmentFile = if cfg.environmentFile == null then null else toString cfg.environmentFile;
    package = cfg.package;
    config = configFile;
    path = servicePath;
  }));

  credentialSourceType = types.oneOf [
    types.str
    types.path
    (types.attrsOf (types.oneOf [ types.str (types.listOf types.str) types.path ]))
  ] // {
    # { env = "NAME"; }, { env = [ "A" "B" ]; }, { file = "/path"; },
    # { systemd-credential = "name"; }, { vault = "mount/path#field"; } or "none"
    description = "credential source";
  };

  # A file outside the Nix store; path literals are accepted by the type and refused by an
  # assertion that explains why (they would copy the secret into the store).
  secretPathType = types.either types.str types.path;

  mkSection = description: sectionOptions: mkOption {
    type = types.submodule {
      freeformType = settingsFormat.type;
      options = sectionOptions;
    };
    default = { };
    inherit description;
  };

  agentDefault = type: value: description: mkOption {
    type = types.nullOr type;
    default = null;
    description = "${description} Null leaves it to the agent (default: ${value}).";
  };

  cacheModule = { ... }: {
    freeformType = settingsFormat.type;
    options = {
      id = mkOption {
        type = types.strMatching "[A-Za-z0-9][A-Za-z0-9_.-]*";
        description = "Unique name of the cache (in logs, status and permissions).";
      };
      type = mkOption {
        type = types.enum [ "nix-copy" "cachix" "attic" "niks3" ];
        description = "Upload tool: nix copy --to (s3, https, http, ssh, ssh-ng, file stores), cachix, attic or niks3. The tool is added to the service's PATH.";
      };
      destination = mkOption {
        type = types.str;
        example = "s3://nix-cache?region=eu-west-1";
        description = "nix-copy: store URL; cachix: cache name; attic: \"<server>:<cache>\"; niks3: server URL.";
      };
      endpoint = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "attic only: the server's URL.";
      };
      credentials = mkOption {
        type = types.nullOr credentialSourceType;
        default = null;
        example = { systemd-credential = "cachix-token"; };
        description = "Push token (cachix, attic, niks3: required) or cloud keys for nix-copy, as a credential source.";
      };
      signing_key = mkOption {
        type = types.nullOr credentialSourceType;
        default = null;
        description = "Secret key that signs store paths before upload, as a credential source.";
      };
      permissions = mkOption {
        type = types.submodule {
          freeformType = settingsFormat.type;
          options = {
            allow_all = mkOption { type = types.nullOr types.bool; default = null; description = "Every build may push (cannot be combined with repositories or branches)."; };
            repositories = mkOption { type = types.nullOr (types.listOf types.str); default = null; description = "Globs of repositories whose builds may push."; };
            branches = mkOption { type = types.nullOr (types.listOf types.str); default = null; description = "Globs of branches whose builds may push."; };
            pull_requests = mkOption { type = types.nullOr types.bool; default = null; description = "Pull-request builds may push."; };
            forks = mkOption { type = types.nullOr types.bool; default = null; description = "Pull requests from forks may push (needs pull_requests)."; };
          };
        };
        example = { branches = [ "main" ]; };
        description = "Which builds may push here (required): { allow_all = true; } or repositories and/or branches globs.";
      };
      required = mkOption { type = types.bool; default = false; description = "A failed upload fails the cycle."; };
      allow_private_hosts = mkOption { type = types.bool; default = false; description = "Allow destinations that resolve to private or loopback addresses."; };
      max_concurrent_uploads = mkOption { type = types.ints.between 1 64; default = 4; description = "Parallel uploads to this cache."; };
      retries = mkOption { type = types.ints.between 0 10; default = 2; description = "Retries of a failed upload."; };
      timeout = mkOption { type = types.str; default = "1h"; description = "Limit for one upload (systemd-style duration)."; };
    };
  };

  forgeModule = { ... }: {
    freeformType = settingsFormat.type;
    options = {
      type = mkOption {
        type = types.enum [ "github" "gitea" "forgejo" "gitlab" ];
        description = "The forge software.";
      };
      api_url = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Base URL of the instance's API (required except for github, which defaults to https://api.github.com).";
      };
      repository = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "owner/name on the forge; null derives it from repository.url.";
      };
      credentials = mkOption {
        type = types.nullOr credentialSourceType;
        default = null;
        example = { systemd-credential = "forge-token"; };
        description = "API token as a credential source (required unless a GitHub App is configured).";
      };
      app_id = mkOption { type = types.nullOr types.str; default = null; description = "GitHub App id (github only; with installation_id and private_key)."; };
      installation_id = mkOption { type = types.nullOr types.ints.positive; default = null; description = "GitHub App installation id."; };
      private_key = mkOption { type = types.nullOr credentialSourceType; default = null; description = "GitHub App private key as a credential source."; };
      webhook_secret = mkOption {
        type = types.nullOr credentialSourceType;
        default = null;
        description = "Secret that verifies this forge's webhooks, as a credential source. Webhooks reach the agent only in daemon mode with settings.web.enable.";
      };
      attribute_contexts = mkOption { type = types.ints.between 0 200; default = 40; description = "At most this many per-attribute commit statuses per commit."; };
    };
  };
in
{
  options.services.gitops = {
    enable = lib.mkEnableOption "gitops-sync, which keeps this host converged on a flake in git";

    package = mkOption {
      type = types.package;
      default = pkgs.gitops-sync or (pkgs.callPackage ./package.nix { });
      defaultText = literalExpression "pkgs.gitops-sync (from the overlay), else nix/package.nix built with this system's pkgs";
      description = "The gitops-sync package.";
    };

    repository = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "https://git.example.com/infra/fleet.git";
      description = "The flake repository this host follows (https://, ssh://, git@host:path, file:// or a local path). Sets settings.repository.url.";
    };

    ref = mkOption {
      type = types.str;
      default = "main";
      example = "refs/tags/v1.2";
      description = "What this host follows: a branch name (\"main\"), or a tag (\"refs/tags/v1.2\", or a bare tag name; an annotated tag is followed to its commit). A moved tag is deployed only when its new commit descends from the deployed one, like a branch. A bare name that is both a branch and a tag is refused: write refs/heads/<name> or refs/tags/<name>. Sets settings.repository.ref.";
    };

    branch = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "main";
      description = "Older name of ref (a branch name): set one of the two, not both.";
    };

    mode = mkOption {
      type = types.enum [ "timer" "daemon" ];
      default = "timer";
      description = ''
        "timer": a oneshot gitops-sync.service running `gitops-sync sync --once`, started by
        gitops-sync.timer on the schedule in frequency; nothing runs between cycles.
        "daemon": a long-running `gitops-sync daemon` that polls every
        settings.repository.poll_interval and serves the web endpoint (settings.web) for status and
        forge webhooks.
      '';
    };

    frequency = mkOption {
      type = types.str;
      default = "*:0/5";
      example = "hourly";
      description = "Timer mode: when cycles run. A systemd calendar expression (OnCalendar=, e.g. \"*:0/5\" for every five minutes) or a time span (\"10min\": OnBootSec= and OnUnitActiveSec=, counted from the end of the last run). Daemon mode uses settings.repository.poll_interval instead.";
    };

    randomizedDelaySec = mkOption {
      type = types.nullOr (types.either types.ints.unsigned types.str);
      default = "60s";
      description = "Timer mode: RandomizedDelaySec= of the timer, so that a fleet does not poll all at once. Daemon mode uses settings.repository.randomized_delay instead.";
    };

    persistent = mkOption {
      type = types.bool;
      default = true;
      description = "Timer mode with a calendar frequency: Persistent= of the timer (a run missed while the machine was off happens at the next boot).";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open settings.web.port in the firewall (daemon mode with settings.web.enable only), e.g. for forge webhooks.";
    };

    environmentFile = mkOption {
      type = types.nullOr secretPathType;
      default = null;
      example = "/run/keys/gitops-sync.env";
      description = "A file of KEY=VALUE lines (EnvironmentFile=), read by systemd as root, for credential sources written { env = \"NAME\"; } and for NIX_CONFIG. Must be outside the Nix store.";
    };

    credentials = mkOption {
      type = types.attrsOf secretPathType;
      default = { };
      example = { git-token = "/run/keys/git-token"; forge-token = "/run/agenix/forge-token"; };
      description = "systemd credentials for the agent: name -> file, each becoming LoadCredential=name:file. The configuration refers to them as { systemd-credential = \"name\"; }. The files stay outside the Nix store; systemd copies them into a private, non-swappable directory only the service can read.";
    };

    extraEnvironment = mkOption {
      type = types.attrsOf types.str;
      default = { };
      example = { GITOPS_REPOSITORY_FETCH_TIMEOUT = "20m"; };
      description = "Extra environment of the service (GITOPS_<SECTION>_<KEY> overrides settings). Values are written into the unit file in the Nix store: no secrets here (use environmentFile or credentials).";
    };

    extraPackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      example = literalExpression "[ pkgs.nix-eval-jobs ]";
      description = "Extra packages on the service's PATH (e.g. nix-eval-jobs for parallel CI evaluation). nix, git, ssh, nixos-rebuild, systemd and the upload tools of the configured caches are always there.";
    };

    javaOptions = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "-Xmx512m" ];
      description = "Extra JVM options (after the package's defaults: -XX:+UseSerialGC, -XX:TieredStopAtLevel=1 with -XX:CICompilerCount=1, and its class-data archive; in daemon mode also the heap and stack sizing of nix/jvm-flags.nix, e.g. -Xmx256m). To let C2 compile, pass -XX:TieredStopAtLevel=4 together with -XX:CICompilerCount=2: the JVM refuses one compiler thread with C2.";
    };

    configFile = mkOption {
      type = types.path;
      readOnly = true;
      default = configFile;
      defaultText = literalExpression "the TOML rendering of services.gitops.settings";
      description = "The generated configuration file, also linked at /etc/gitops-sync/gitops.toml (so that `gitops-sync status` works without --config).";
    };

    settings = mkOption {
      default = { };
      description = ''
        The agent's configuration (docs/configuration.md), rendered to TOML. Freeform: any key
        the agent knows can be set; the common ones are typed below. Secrets never go here:
        wherever a key takes a credential, give its source ({ systemd-credential = "name"; } with
        services.gitops.credentials, { file = "/path"; }, { env = "NAME"; } with
        environmentFile, { vault = "mount/path#field"; }), never the value.
      '';
      type = types.submodule {
        freeformType = settingsFormat.type;
        options = {
          hostname = mkOption {
            type = types.nullOr types.str;
            default = if config.networking.hostName != "" then config.networking.hostName else null;
            defaultText = literalExpression "config.networking.hostName (null when empty: the agent asks the machine)";
            description = "Selects nixosConfigurations.<hostname> of the repository's flake.";
          };

          state_dir = mkOption {
            type = types.strMatching "/.+";
            default = "/var/lib/gitops-sync";
            description = "Clone, state database, logs, GC roots and lock. The module creates it with tmpfiles (mode 0700) at activation; under /var/lib it is also the unit's StateDirectory.";
          };

          repository = mkSection "[repository]: the flake repository the host follows." {
            url = mkOption {
              type = types.nullOr types.str;
              default = cfg.repository;
              defaultText = literalExpression "config.services.gitops.repository";
              description = "Repository URL (required).";
            };
            ref = mkOption {
              type = types.nullOr types.str;
              default = followedRef;
              defaultText = literalExpression "config.services.gitops.ref (or config.services.gitops.branch when that is set)";
              description = "The branch or tag this host follows (the agent's repository.ref).";
            };
            poll_interval = mkOption { type = types.str; default = "5m"; description = "Daemon mode: how often to check the branch (systemd-style duration)."; };
            randomized_delay = mkOption { type = types.str; default = "30s"; description = "Daemon mode: each poll waits a random time up to this."; };
            credentials = mkOption {
              type = credentialSourceType;
              default = "none";
              example = { systemd-credential = "git-token"; };
              description = "https token (sent as the password, never in the URL), as a credential source.";
            };
            username = mkOption { type = types.str; default = "x-access-token"; description = "User name sent with the token."; };
            allow_force_push = mkOption { type = types.bool; default = false; description = "Deploy heads that do not descend from the last deployed commit."; };
            fetch_timeout = mkOption { type = types.str; default = "10m"; description = "Network timeout for ls-remote and fetch."; };
            ssh = mkSection "[repository.ssh]: deploy key and host-key checking for ssh URLs." {
              key = mkOption {
                type = credentialSourceType;
                default = "none";
                example = { systemd-credential = "deploy-key"; };
                description = "Deploy key: { file = \"/path\"; } or { systemd-credential = \"name\"; }.";
              };
              known_hosts = mkOption { type = types.nullOr types.str; default = null; description = "Trusted host keys file (the agent's default: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts, which programs.ssh.knownHosts fills)."; };
              host_key = mkOption { type = types.nullOr types.str; default = null; description = "Pin the server key instead: \"SHA256:...\" or \"ssh-ed25519 AAAA...\"."; };
            };
          };

          deploy = mkSection "[deploy]: how a built system is activated." {
            method = mkOption {
              type = types.enum [ "nixos-rebuild" "profile" ];
              default = "nixos-rebuild";
              description = "\"nixos-rebuild\": nixos-rebuild <operation> --flake <ref>#<host>; \"profile\": nix-env -p <profile> --set <system> then <system>/bin/switch-to-configuration <operation>.";
            };
            operation = mkOption {
              type = types.enum [ "switch" "boot" "test" "dry-activate" "build" ];
              default = "switch";
              description = "What activation does, as nixos-rebuild names it.";
            };
            rollback_on_failure = mkOption { type = types.bool; default = true; description = "After a failed activation, put the profile back and re-activate the previous system."; };
            profile = mkOption { type = types.str; default = "/nix/var/nix/profiles/system"; description = "The system profile."; };
            current_system = mkOption { type = types.str; default = "/run/current-system"; description = "The running system, compared with the build to skip no-op activations."; };
            nixos_rebuild = mkOption { type = types.str; default = "nixos-rebuild"; description = "The program for the nixos-rebuild method (this system's nixos-rebuild is on the service's PATH)."; };
            activation_timeout = mkOption { type = types.str; default = "30m"; description = "Limit for activation and for the rollback; the unit's TimeoutStopSec is derived from it."; };
          };

          nix = mkSection "[nix]: options for every nix call the agent makes." {
            options = mkOption {
              type = types.attrsOf types.str;
              default = { };
              example = { max-jobs = "4"; };
              description = "Passed as --option name value to every nix call. No secrets (access-tokens belongs in environmentFile as NIX_CONFIG).";
            };
          };

          web = mkSection "[web]: the daemon's HTTP endpoint (status, health, webhooks)." {
            enable = mkOption { type = types.bool; default = false; description = "Serve the status page (/), /healthz, /api/*, /metrics and webhooks (daemon mode only)."; };
            address = mkOption { type = types.str; default = "127.0.0.1"; description = "Listen address (\"0.0.0.0\" or \"::\" to accept connections from other machines)."; };
            port = mkOption { type = types.port; default = 3030; description = "Listen port (opened by openFirewall)."; };
            public_url = mkOption { type = types.nullOr types.str; default = null; description = "How others reach it (used in links, e.g. commit statuses)."; };
            read_token = mkOption {
              type = types.nullOr credentialSourceType;
              default = null;
              example = { systemd-credential = "gitops-read-token"; };
              description = "Bearer token (a credential source) that the status page (/, /runs), /api/* and /metrics require; /healthz and the webhooks stay open. Browsers cannot send it by themselves: put the page behind the host's reverse proxy, which authenticates people and adds the header (docs/nixos.md).";
            };
          };

          metrics = mkSection "[metrics]: the Prometheus families for node-exporter's textfile collector (timer mode)." {
            textfile = mkOption {
              type = types.nullOr (types.strMatching "/.+[.]prom");
              default = if timerMode && nodeExporter.enable then "${textfileDirectory}/gitops-sync.prom" else null;
              defaultText = literalExpression ''"<textfile directory>/gitops-sync.prom" in timer mode when services.prometheus.exporters.node.enable (the directory its extraFlags or enabledCollectors name with collector.textfile.directory, else /var/lib/prometheus-node-exporter); else null'';
              description = "Where every `sync`/`retry` writes the metrics (write, then rename), for node-exporter's textfile collector. The module creates its directory (mode 0755). Null: no file.";
            };
          };

          history = mkSection "[history]: how long finished cycles stay in the state database, with their stage times and log files." {
            keep = agentDefault types.str "\"90d\"" "Finished cycles older than this (a systemd time span, from 1d to 3653d) are removed with their logs, as are CI runs and pull request check logs; cycles that activated a system stay as the deployment history.";
            keep_unchanged = agentDefault types.str "\"7d\"" "The same, sooner, for polls that found nothing to do (outcome unchanged or waiting); at most keep.";
          };

          caches = mkOption {
            type = types.listOf (types.submodule cacheModule);
            default = [ ];
            description = "[[caches]]: binary caches built outputs are pushed to (docs/caches.md).";
          };

          forges = mkOption {
            type = types.listOf (types.submodule forgeModule);
            default = [ ];
            description = "[[forges]]: where commit statuses go and whose webhooks are accepted.";
          };

          secrets = mkSection "[secrets]: decrypted secrets installed by the agent (null options are left out of the file)." {
            root = agentDefault (types.strMatching "/.+") "\"${defaultSecretsRoot}\"" "Where decrypted secrets are installed; the module creates it (mode 0751) and it should be on a tmpfs such as /run.";
            manifest = agentDefault types.str "\"secrets/manifest.toml\"" "The secrets manifest's path inside the repository.";
            age_key_files = agentDefault (types.listOf types.str) "[ ]" "age identity files (AGE-SECRET-KEY-1... lines), outside the Nix store.";
            ssh_key_paths = agentDefault (types.listOf types.str) "[ \"/etc/ssh/ssh_host_ed25519_key\" ] when that file exists" "OpenSSH ed25519 private keys used as age identities.";
            pgp_key_files = agentDefault (types.listOf types.str) "[ ]" "Unprotected OpenPGP secret key files, for sops files encrypted to PGP.";
            keep_generations = agentDefault (types.ints.between 0 100) "1" "Secret generations kept besides the current one.";
            restart_command = agentDefault (types.listOf types.str) "[ \"systemctl\" ]" "Program (and leading arguments) that restarts and reloads units whose secrets changed.";
          };

          vault = mkSection "[vault]: the Vault server for { vault = ...; } credentials and sops hc_vault keys (null options are left out of the file)." {
            address = agentDefault types.str "unset: no Vault" "http(s)://host[:port] of the Vault server.";
            namespace = agentDefault types.str "\"\"" "Vault Enterprise namespace.";
            auth = agentDefault (types.enum [ "token" "approle" ]) "\"token\"" "How the agent logs in.";
            token = agentDefault credentialSourceType "none" "auth = \"token\": the token, as a credential source (env, file or systemd-credential; not vault).";
            role_id = agentDefault credentialSourceType "none" "auth = \"approle\": the role id, as a credential source (not vault).";
            secret_id = agentDefault credentialSourceType "none" "auth = \"approle\": the secret id, as a credential source (not vault).";
            approle_mount = agentDefault types.str "\"approle\"" "Mount path of the AppRole auth method.";
            kv_versions = agentDefault (types.attrsOf (types.ints.between 1 2)) "{ } (every mount KV v2)" "KV engine version per mount.";
            renew_interval = agentDefault types.str "\"15m\"" "How often the daemon renews its token.";
            timeout = agentDefault types.str "\"30s\"" "Connect and read timeout.";
          };

          ci = mkSection "[ci]: the embedded CI engine (null options are left out of the file)." {
            checks_attribute = agentDefault types.str "\"checks\"" "Flake output holding the checks.";
            system = agentDefault types.str "this machine's system" "Nix system whose checks are built.";
            hosts = agentDefault (types.either types.str (types.listOf types.str)) "\"self\"" "Whose nixosConfigurations are built: \"self\", \"all\" or a list of host names.";
            max_parallel_builds = agentDefault types.ints.positive "the number of cores" "Builds at once.";
            no_output_timeout = agentDefault types.str "\"20m\"" "A build silent for this long is stopped.";
            max_build_duration = agentDefault types.str "\"4h\"" "Limit for one build.";
            eval_workers = agentDefault types.ints.positive "min(cores, 4)" "Parallel evaluation workers (nix-eval-jobs).";
            eval_max_memory = agentDefault types.ints.positive "4096" "Memory per evaluation worker, in MiB.";
            cache_failures = agentDefault types.bool "true" "Remember failed derivations instead of rebuilding them.";
            cancel_superseded = agentDefault types.bool "true" "Cancel a run when a newer commit arrives.";
            skip_substitutable = agentDefault types.bool "false" "Do not build what a cache already has.";
            checks_block_deploy = agentDefault types.bool "true" "A failed check stops the deployment.";
            builders = agentDefault types.str "nix.conf's builders" "Nix remote builders for every build (--builders): machines separated by \";\", each \"uri systems ssh-key max-jobs speed-factor features mandatory-features host-key\" (- for a default), or \"@/path/to/machines\"; the uri is ssh:// or ssh-ng://. The ssh key is a path the agent (root) reads; keep it outside the Nix store.";
            store = agentDefault types.str "this machine's store" "A Nix store URI builds run on (--store), e.g. \"ssh-ng://builder@x86\" or a relay \"ssh-ng://localhost?remote-program=nix-relay-client\"; evaluation stays here and the outputs are copied back. No credentials in the URI: they go in store_env.";
            eval_store = agentDefault types.str "\"auto\" when store is set" "Where evaluation writes derivations (--eval-store); only with store.";
            store_env = agentDefault (types.attrsOf credentialSourceType) "{ }" "Environment variables of the nix processes that build or talk to store (e.g. a relay's token), each a credential source: { NIX_RELAY_TOKEN = { systemd-credential = \"relay-token\"; }; } with services.gitops.credentials.relay-token. Never in argv, logs or the store; PATH, HOME, LD_* and NIX_* settings variables are refused.";
          };

          fleet = mkSection "[fleet]: build once, deploy everywhere (docs/fleet.md); null options are left out of the file." {
            role = agentDefault (types.enum [ "standalone" "builder" "host" ]) "\"standalone\"" "\"standalone\": evaluate and build this host's system; \"builder\": build every host of ci.hosts and publish a signed release record per host; \"host\": deploy what a trusted builder released, evaluating and building nothing.";
            signing_key = agentDefault credentialSourceType "none" "The Ed25519 secret key release records are signed with (`nix key generate-secret` format), as a credential source, e.g. { systemd-credential = \"release-key\"; } with services.gitops.credentials.release-key; required for a builder.";
            trusted_keys = agentDefault (types.listOf types.str) "[ ]" "Public keys (\"name:base64\", as `nix key convert-secret-to-public` prints) whose release records a host accepts; required for a host.";
            cache_keys = agentDefault (types.listOf types.str) "[ ]: nix.conf's trusted-public-keys" "Public keys of the binary caches a host accepts store paths from.";
            wait = agentDefault types.str "\"30m\"" "How long a host waits for the release record of the branch head before fallback applies (systemd-style duration).";
            fallback = agentDefault (types.enum [ "wait" "build" ]) "\"wait\"" "After wait: \"wait\" keeps waiting (the cycle says \"waiting for builder\"); \"build\" builds the head here, as a standalone agent.";
            releases = agentDefault types.str "unset" "The release store, \"file:///srv/releases\" or \"https://host/path\"; required for a builder and a host.";
            releases_credentials = agentDefault credentialSourceType "none" "Bearer token a builder (or `gitops-sync publish`) sends with its PUT requests to an https release store, as a credential source.";
            releases_allow_private_hosts = agentDefault types.bool "false" "Let an http(s) release store be on loopback or a private network.";
            after = agentDefault (types.listOf types.str) "[ ]" "Hosts whose gitops-sync/deploy/<host> status must be success on a commit (read from the first of settings.forges) before this host deploys it: a wave after its canaries.";
            soak = agentDefault types.str "\"0s\"" "How long those successes must have stood on the forge (systemd-style duration); only with after.";
          };
        };
      };
    };
  };

  config = lib.mkIf cfg.enable {
    assertions =
      let
        fail = message: { assertion = false; inherit message; };
        unitConfig = config.systemd.services.gitops-sync.serviceConfig;
        otherCredentialDirectives = lib.any (d: unitConfig ? ${d})
          [ "LoadCredentialEncrypted" "SetCredential" "SetCredentialEncrypted" "ImportCredential" ];
        missingCredentials = lib.filter (r: !(cfg.credentials ? ${r.name})) (helpers.systemdCredentialRefs renderedSettings);
      in
      [
        {
          assertion = cfg.settings.repository.url != null;
          message = "services.gitops: set services.gitops.repository (or services.gitops.settings.repository.url) to the flake repository this host follows.";
        }
        {
          assertion = cfg.branch == null || !refSet;
          message = "services.gitops: set either services.gitops.ref or its older name services.gitops.branch, not both (keep ref).";
        }
        {
          assertion = !(cfg.settings.repository ? branch) || cfg.settings.repository.ref == null;
          message = "services.gitops.settings.repository.branch is the older name of repository.ref, which the module sets from services.gitops.ref: set services.gitops.ref instead.";
        }
        {
          assertion = !cfg.openFirewall || daemonMode && cfg.settings.web.enable;
          message = "services.gitops.openFirewall opens settings.web.port, which only the daemon serves: it needs mode = \"daemon\" and settings.web.enable = true (mode is \"${cfg.mode}\", web.enable is ${lib.boolToString cfg.settings.web.enable}).";
        }
        {
          assertion = cfg.settings.deploy.method != "nixos-rebuild" || config.system.build ? nixos-rebuild;
          message = "services.gitops.settings.deploy.method = \"nixos-rebuild\" needs nixos-rebuild; use method = \"profile\" on this system.";
        }
      ]
      ++ map fail (helpers.secretProblems renderedSettings)
      ++ map fail (helpers.daemonProblems renderedSettings)
      ++ map fail (helpers.vaultProblems renderedSettings)
      ++ map fail (helpers.fleetProblems renderedSettings)
      ++ map fail (helpers.javaOptionsProblems cfg.javaOptions)
      ++ map fail (helpers.credentialFileProblems cfg.credentials)
      ++ map fail (lib.filter (m: m != null) [
        (if cfg.environmentFile == null then null else helpers.secretPathProblem "services.gitops.environmentFile" cfg.environmentFile)
      ])
      ++ map fail (lib.filter (m: m != null) (lib.concatMap
        (key: map (helpers.secretPathProblem "services.gitops.settings.secrets.${key}")
          (if cfg.settings.secrets.${key} == null then [ ] else cfg.settings.secrets.${key}))
        [ "age_key_files" "ssh_key_paths" "pgp_key_files" ]))
      ++ lib.optionals (!otherCredentialDirectives) (map
        (r: fail "services.gitops.settings.${r.path} reads the systemd credential \"${r.name}\", but services.gitops.credentials has no \"${r.name}\": add services.gitops.credentials.\"${r.name}\" = \"/path/to/the/file\"; (the file stays outside the Nix store)")
        missingCredentials);

    warnings =
      lib.optional (timerMode && webhookForges != [ ])
        "services.gitops: settings.forges has a webhook_secret, but in timer mode nothing listens for webhooks (commit statuses are still reported). Use mode = \"daemon\" with settings.web.enable = true to receive them, or drop webhook_secret."
      ++ lib.optional (timerMode && cfg.settings.web.enable)
        "services.gitops: settings.web.enable has no effect in timer mode (only the daemon serves the web endpoint)."
      ++ lib.optional (daemonMode && webhookForges != [ ] && !cfg.settings.web.enable)
        "services.gitops: settings.forges has a webhook_secret, but settings.web.enable is false: webhooks cannot reach the daemon."
      ++ lib.optional (cfg.openFirewall && lib.elem cfg.settings.web.address [ "127.0.0.1" "::1" "localhost" ])
        "services.gitops.openFirewall: settings.web.address is ${cfg.settings.web.address}, so the opened port is not reachable from other machines; set settings.web.address = \"0.0.0.0\" (or \"::\")."
      ++ lib.optional (daemonMode && timerOptionsSet != [ ])
        "services.gitops: ignored in daemon mode (timer mode only): ${lib.concatMapStringsSep ", " (o: "services.gitops.${o}") timerOptionsSet}. The daemon polls every settings.repository.poll_interval, waiting up to settings.repository.randomized_delay."
      ++ lib.optional (!(lib.any (p: helpers.hasPrefix p secretsRoot) [ "/run/" "/dev/shm/" ]))
        "services.gitops.settings.secrets.root is ${secretsRoot}, which is not under /run: decrypted secrets may be written to disk. Keep it on a tmpfs (the default is ${defaultSecretsRoot})."
      ++ lib.optional (cfg.repository != null && cfg.settings.repository.url != cfg.repository)
        "services.gitops.repository (${cfg.repository}) is overridden by services.gitops.settings.repository.url (${toString cfg.settings.repository.url})."
      ++ map
        (n: "services.gitops.extraEnvironment.${n} looks like a secret, but the unit file is in the world-readable Nix store: put it in services.gitops.environmentFile or services.gitops.credentials.")
        (helpers.secretLookingNames (lib.attrNames cfg.extraEnvironment))
      ++ lib.optional (metricsTextfile != null && nodeExporter.enable && namedTextfileDirectory == null
        && dirOf metricsTextfile == defaultTextfileDirectory)
        "services.gitops: the metrics go to ${metricsTextfile}, but node-exporter reads no textfile directory: add \"--collector.textfile.directory=${defaultTextfileDirectory}\" to services.prometheus.exporters.node.extraFlags."
      ++ lib.optional (lib.elem "niks3" cacheTypes && !(pkgs ? niks3))
        "services.gitops: a niks3 cache is configured but this nixpkgs has no niks3 package; add one to services.gitops.extraPackages.";

    environment.etc."gitops-sync/gitops.toml".source = configFile;
    environment.systemPackages = [ cfg.package ];

    networking.firewall.allowedTCPPorts = lib.optional (cfg.openFirewall && daemonMode && cfg.settings.web.enable) cfg.settings.web.port;

    systemd.tmpfiles.rules =
      # Decrypted secrets: /run is a tmpfs, so they never reach the disk (short of swap) and are
      # gone after a reboot. Not the unit's RuntimeDirectory: systemd removes that whenever the
      # service stops, which in timer mode is after every cycle, while installed secrets must
      # stay for the services that read them. 0751: other services' users reach their own files.
      [ "d ${secretsRoot} 0751 root root -" ]
      # The state directory exists from the first activation, before the first cycle, so that an
      # age key can be put there (`age-keygen -o /var/lib/gitops-sync/age.key`); under /var/lib the
      # unit's StateDirectory= keeps owning it.
      ++ [ "d ${stateDir} 0700 root root -" ]
      # The metrics textfile's directory: the agent (root, no mount namespace, so no ReadWritePaths
      # needed) writes there; node-exporter, running as its own user, reads the 0644 file.
      ++ lib.optional (metricsTextfile != null) "d ${dirOf metricsTextfile} 0755 root root -";

    systemd.services.gitops-sync = {
      description = "gitops-sync: converge this host on its flake repository";
      wants = [ "network-online.target" ];
      after = [ "network-online.target" "nix-daemon.socket" ];
      wantedBy = lib.optional daemonMode "multi-user.target";
      path = servicePath;

      # networking.proxy reaches git and nix (fetching flake inputs happens in the client)
      environment = config.networking.proxy.envVars // {
        NIXOS_GITOPS_STAMP = stamp;
      }
      # Builds go through nix-daemon like everyone else's: its sandbox and settings apply, and
      # this unit's restrictions (below) do not reach into builds.
      // lib.optionalAttrs config.nix.enable { NIX_REMOTE = "daemon"; }
      // lib.optionalAttrs (javaOptions != [ ]) { GITOPS_JAVA_OPTS = lib.concatStringsSep " " javaOptions; }
      // cfg.extraEnvironment;

      # The agent activates new systems: the activation it runs must never restart or stop it.
      # Changes to this unit reach a running daemon through gitops-sync-restart.service once the
      # cycle is over; the timer's next run simply uses the new definition.
      restartIfChanged = false;
      stopIfChanged = false;
      # A commit that removes services.gitops must not kill the agent that is activating it.
      unitConfig.X-StopOnRemoval = false;

      serviceConfig = {
        Type = if timerMode then "oneshot" else "exec";
        ExecStart = "${lib.getExe cfg.package} ${command} --config ${configFile}";
        Restart = if daemonMode then "on-failure" else "no";
        RestartSec = "30s";
        # The JVM exits 143 after SIGTERM (systemctl stop). In timer mode exit 3 means another
        # cycle (a manual run) holds the lock: nothing happened, nothing failed. A daemon exits 75
        # after recording a cycle that deployed a system carrying another build of the agent: a
        # clean stop that systemd must follow with a start of the new build.
        SuccessExitStatus = [ "143" ] ++ lib.optional timerMode "3" ++ lib.optional daemonMode "75";
        RestartForceExitStatus = lib.mkIf daemonMode [ "75" ];
        # SIGTERM goes to the JVM only: it cancels evaluation and builds (killing their process
        # trees itself) but lets an activation under way finish; SIGKILL for the rest only
        # after TimeoutStopSec.
        KillMode = "mixed";
        TimeoutStopSec = helpers.stopTimeout cfg.settings.deploy.activation_timeout;

        LoadCredential = lib.mapAttrsToList (name: file: "${name}:${file}") cfg.credentials;
        EnvironmentFile = lib.optional (cfg.environmentFile != null) cfg.environmentFile;

        StateDirectory = lib.mkIf stateUnderVarLib (lib.removePrefix "/var/lib/" stateDir);
        StateDirectoryMode = "0700";
        # $RUNTIME_DIRECTORY: scratch files holding upload credentials for cache tools.
        RuntimeDirectory = "gitops-sync";
        RuntimeDirectoryMode = "0700";

        # Hardening that activation tolerates (docs/nixos.md, "Hardening", explains each
        # setting, and the ones that are deliberately absent). The agent runs as root because
        # activation needs root, and with deploy.method = "profile" switch-to-configuration runs
        # inside this unit: nothing here may create a namespace (no ProtectSystem, ProtectHome,
        # PrivateTmp, PrivateDevices, ProtectHostname, ...), or mounts and hostname changes made
        # by activation would stay inside it instead of reaching the host.
        UMask = "0077"; # the agent's files are private; activation scripts set their own umask 0022
        NoNewPrivileges = true; # root gains nothing from setuid binaries; services are started by PID 1
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ]; # D-Bus, nix-daemon, git/https/ssh, netlink for getaddrinfo and ip
        RestrictRealtime = true;
        # builds that need another personality or syscall ABI (i686 on x86_64) run in
        # nix-daemon (NIX_REMOTE above), not in this unit
        LockPersonality = lib.mkIf config.nix.enable true;
        SystemCallArchitectures = lib.mkIf config.nix.enable "native";
      };
    };

    # Brings a running agent up to date after an activation changed its unit (see
    # restartIfChanged above): switch-to-configuration restarts this oneshot when the stamp
    # changes; if the agent process runs an older definition, it gets a non-blocking restart, so
    # the stop waits (KillMode=mixed, TimeoutStopSec) for the cycle that is activating to finish.
    # A timer-mode run is left alone: it exits by itself and the next one uses the new unit.
    systemd.services.gitops-sync-restart = {
      description = "Restart gitops-sync when an activation changed its unit";
      wantedBy = [ "multi-user.target" ];
      # No After=gitops-sync.service: in timer mode the oneshot's start job lasts as long as its
      # cycle, so a start of this unit ordered after it, requested by the very activation that
      # cycle is running, would wait for itself. Unordered, it only looks at what runs now.
      restartTriggers = [ stamp ];
      path = [ config.systemd.package pkgs.coreutils pkgs.gnused ];
      serviceConfig = {
        Type = "oneshot";
        RemainAfterExit = true;
      };
      script = ''
        pid=$(systemctl show --property=MainPID --value gitops-sync.service)
        if [ -z "$pid" ] || [ "$pid" = 0 ]; then
          exit 0
        fi
        running=$(tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | sed -n 's/^NIXOS_GITOPS_STAMP=//p') || exit 0
        if [ -z "$running" ] || [ "$running" = ${lib.escapeShellArg stamp} ]; then
          exit 0
        fi
        case "$running" in
          timer-*) exit 0 ;;
        esac
        echo "gitops-sync.service (pid $pid) runs an older definition; restarting it when its current cycle ends"
        systemctl try-restart --no-block gitops-sync.service
      '';
    };

    systemd.timers.gitops-sync = lib.mkIf timerMode {
      description = "Run gitops-sync on schedule";
      wantedBy = [ "timers.target" ];
      timerConfig = helpers.timerConfig {
        inherit (cfg) frequency randomizedDelaySec persistent;
      } // {
        Unit = "gitops-sync.service";
      };
    };
  };
}
