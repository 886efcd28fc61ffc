# Evaluates the NixOS module (no VM, no build) with sample configurations and checks what it
# generates: the service and timer units, firewall, credentials, the rendered settings, and the
# assertions and warnings for impossible or unsafe combinations.
#
#   report  plain data, for `nix-instantiate --eval --strict --json -A report`
#           (src/test/java/org/gitopssync/packaging/ModuleEvalTest.java, where nixpkgs exists)
#   check   a derivation for the flake's checks: fails evaluation on any failed check, then
#           validates the generated TOML files with the program itself (`gitops-sync config check`)
{ pkgs
, module
, package ? null
  # how a host is evaluated; the default is NixOS itself (nixos/lib/eval-config.nix). The test
  # suite passes the module system with stand-ins for the few NixOS options the module touches
  # (nix/tests/module-harness.nix), for machines that have nixpkgs' lib but not all of nixpkgs.
, evalHost ? null
}:

let
  inherit (pkgs) lib;
  helpers = import ../lib.nix;

  evalNixos = modules: (import (pkgs.path + "/nixos/lib/eval-config.nix") {
    system = null;
    modules = [
      (pkgs.path + "/nixos/modules/misc/nixpkgs/read-only.nix")
      { nixpkgs.pkgs = pkgs; }
      module
      ({ lib, ... }: {
        networking.hostName = "web1";
        system.stateVersion = lib.trivial.release;
        boot.loader.grub.enable = false;
        fileSystems."/" = { device = "none"; fsType = "tmpfs"; };
        documentation.enable = false;
      })
    ]
    ++ lib.optional (package != null) { services.gitops.package = package; }
    ++ modules;
  }).config;

  evalHost' = if evalHost != null then evalHost else evalNixos;

  # only the module's own assertions and warnings (they all name services.gitops): whatever the
  # rest of NixOS has to say about these minimal hosts is not this module's business
  ours = lib.filter (lib.hasInfix "services.gitops");
  failedAssertions = config: ours (map (a: a.message) (lib.filter (a: !a.assertion) config.assertions));
  warningsOf = config: ours config.warnings;
  anyContains = needle: lib.any (lib.hasInfix needle);

  # The host configuration docs/nixos.md shows, in timer mode.
  timer = evalHost' [{
    services.gitops = {
      enable = true;
      repository = "https://git.example.com/infra/fleet.git";
      credentials = {
        git-token = "/run/keys/git-token";
        cachix-token = "/run/keys/cachix-token";
        forge-token = "/run/keys/forge-token";
      };
      settings = {
        repository.credentials = { systemd-credential = "git-token"; };
        secrets.age_key_files = [ "/var/lib/gitops-sync/age.key" ];
        caches = [{
          id = "fleet";
          type = "cachix";
          destination = "example-fleet";
          credentials = { systemd-credential = "cachix-token"; };
          permissions.branches = [ "main" ];
        }];
        forges = [{
          type = "gitea";
          api_url = "https://git.example.com";
          credentials = { systemd-credential = "forge-token"; };
        }];
      };
    };
  }];

  daemon = evalHost' [{
    services.gitops = {
      enable = true;
      repository = "git@git.example.com:infra/fleet.git";
      branch = "production";
      mode = "daemon";
      openFirewall = true;
      environmentFile = "/run/keys/gitops-sync.env";
      settings = {
        repository.ssh.key = { file = "/etc/gitops-sync/deploy_key"; };
        deploy.activation_timeout = "10m";
        web = { enable = true; address = "0.0.0.0"; port = 8430; };
      };
    };
  }];

  spanTimer = evalHost' [{
    services.gitops = {
      enable = true;
      repository = "https://git.example.com/infra/fleet.git";
      frequency = "10min";
      randomizedDelaySec = null;
    };
  }];

  # the seed's four lines, as its README writes them
  seed = evalHost' [{
    services.gitops = {
      enable = true;
      repository = "https://git.example.com/infra/fleet.git";
      ref = "main"; # or a tag
      frequency = "30m";
    };
  }];
  tagHost = evalHost' [{
    services.gitops = { enable = true; repository = "https://h/x.git"; ref = "refs/tags/v1.2"; };
  }];

  # docs/nixos.md's fleet builder: typed [fleet] and [ci] remote-store keys, their secrets as systemd credentials
  fleetBuilder = evalHost' [{
    services.gitops = {
      enable = true;
      repository = "https://git.example.com/infra/fleet.git";
      credentials = {
        release-key = "/run/keys/builder-1.sec";
        releases-token = "/run/keys/releases-token";
        relay-token = "/run/keys/relay-token";
        forge-token = "/run/keys/forge-token";
      };
      settings = {
        ci = {
          hosts = "all";
          store = "ssh-ng://localhost?remote-program=nix-relay-client";
          eval_store = "auto";
          store_env.NIX_RELAY_TOKEN = { systemd-credential = "relay-token"; };
        };
        fleet = {
          role = "builder";
          signing_key = { systemd-credential = "release-key"; };
          releases = "https://cache.example.com/releases";
          releases_credentials = { systemd-credential = "releases-token"; };
        };
        forges = [{ type = "github"; repository = "acme/fleet"; credentials = { systemd-credential = "forge-token"; }; }];
      };
    };
  }];
  # docs/nixos.md's host of the second wave
  fleetHost = evalHost' [{
    services.gitops = {
      enable = true;
      repository = "https://git.example.com/infra/fleet.git";
      credentials.forge-token = "/run/keys/forge-token";
      settings = {
        fleet = {
          role = "host";
          trusted_keys = [ "builder-1:mtWWZbVABe/1nx18taeQjZ91xCPXHc7rSEY3bcM3JSU=" ];
          cache_keys = [ "cache-1:x3xKL2heb6i9ICju0QT7FskbTRas1L3Z6WF092+UJrE=" ];
          releases = "https://cache.example.com/releases";
          after = [ "canary-1" "canary-2" ];
          soak = "15m";
        };
        forges = [{ type = "github"; repository = "acme/fleet"; credentials = { systemd-credential = "forge-token"; }; }];
      };
    };
  }];

  # node-exporter on the host: its textfile collector gets the agent's families
  withNodeExporter = extra: evalHost' [
    { services.gitops = { enable = true; repository = "https://git.example.com/infra/fleet.git"; }; }
    { services.prometheus.exporters.node = { enable = true; } // extra; }
  ];
  nodeTextfiles = withNodeExporter { extraFlags = [ "--collector.textfile.directory=/var/lib/node-textfiles" ]; };
  nodeDefaultDir = withNodeExporter { };
  nodeDaemon = evalHost' [
    { services.gitops = { enable = true; repository = "https://h/x.git"; mode = "daemon"; }; }
    { services.prometheus.exporters.node.enable = true; }
  ];
  nodeExplicit = evalHost' [
    { services.gitops = { enable = true; repository = "https://h/x.git"; settings.metrics.textfile = "/srv/metrics/agent.prom"; }; }
    { services.prometheus.exporters.node = { enable = true; extraFlags = [ "--collector.textfile.directory=/srv/metrics" ]; }; }
  ];

  # each: what the configuration gets wrong, and a piece of the assertion message it must cause
  badConfigs = {
    no-repository = [{ services.gitops.enable = true; } "set services.gitops.repository"];
    c2-with-one-compiler-thread = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; javaOptions = [ "-XX:TieredStopAtLevel=4" ]; };
    } ''add "-XX:CICompilerCount=2"''];
    inline-secret = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.repository.credentials = "ghp_not_a_real_token"; };
    } "inline secret values are not allowed"];
    inline-read-token = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; mode = "daemon"; settings.web = { enable = true; read_token = "not-a-real-read-token"; }; };
    } "inline secret values are not allowed"];
    url-password = [{
      services.gitops = { enable = true; repository = "https://user:hunter2@h/x.git"; };
    } "URL with a password"];
    missing-credential = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.repository.credentials = { systemd-credential = "git-token"; }; };
    } ''has no "git-token"''];
    credential-in-store = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; credentials.git-token = "${builtins.storeDir}/0000000000000000000000000000000-token"; };
    } "must not be in the Nix store"];
    file-source-in-store = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.repository.credentials = { file = "${builtins.storeDir}/0000000000000000000000000000000-token"; }; };
    } "must not be in the Nix store"];
    two-sources = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.repository.credentials = { env = "A"; file = "/run/keys/a"; }; };
    } "exactly one of"];
    nix-access-tokens = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.nix.options.access-tokens = "github.com=ghp_x"; };
    } "access-tokens"];
    firewall-in-timer-mode = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; openFirewall = true; };
    } "openFirewall"];
    ref-and-branch = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; ref = "v1"; branch = "main"; };
    } "set either services.gitops.ref or its older name services.gitops.branch, not both"];
    settings-branch = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.repository.branch = "main"; };
    } "settings.repository.branch is the older name of repository.ref"];
    fleet-signing-key-inline = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.fleet = { role = "builder"; releases = "file:///srv/releases"; signing_key = "builder-1:notARealKey"; }; };
    } "settings.fleet.signing_key: inline secret values are not allowed"];
    fleet-builder-without-key = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.fleet = { role = "builder"; releases = "file:///srv/releases"; }; };
    } "settings.fleet.signing_key: required for role = \"builder\""];
    fleet-host-without-trusted-keys = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.fleet = { role = "host"; releases = "file:///srv/releases"; }; };
    } "settings.fleet.trusted_keys: required"];
    fleet-wave-without-forge = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.fleet.after = [ "canary-1" ]; };
    } "settings.forges is empty"];
    store-env-credential-not-loaded = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.ci = { store = "ssh-ng://relay"; store_env.NIX_RELAY_TOKEN = { systemd-credential = "relay-token"; }; }; };
    } ''settings.ci.store_env.NIX_RELAY_TOKEN reads the systemd credential "relay-token", but services.gitops.credentials has no "relay-token"''];
    firewall-without-web = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; mode = "daemon"; openFirewall = true; };
    } "settings.web.enable = true"];
  };

  # each: a configuration that works but deserves a warning, and a piece of that warning
  warnConfigs = {
    timer-option-in-daemon-mode = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; mode = "daemon"; frequency = "hourly"; };
    } "ignored in daemon mode (timer mode only): services.gitops.frequency"];
    secrets-on-disk = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.secrets.root = "/var/lib/secrets"; };
    } "not under /run"];
    secret-looking-environment = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; extraEnvironment.GIT_TOKEN = "x"; };
    } "looks like a secret"];
    webhook-in-timer-mode = [{
      services.gitops = {
        enable = true;
        repository = "https://h/x.git";
        credentials.hook = "/run/keys/hook";
        settings.forges = [{ type = "github"; credentials = { env = "GITHUB_TOKEN"; }; webhook_secret = { systemd-credential = "hook"; }; }];
      };
    } "nothing listens for webhooks"];
    webhook-without-web = [{
      services.gitops = {
        enable = true;
        repository = "https://h/x.git";
        mode = "daemon";
        settings.forges = [{ type = "github"; credentials = { env = "GITHUB_TOKEN"; }; webhook_secret = { env = "HOOK"; }; }];
      };
    } "webhooks cannot reach the daemon"];
    web-in-timer-mode = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; settings.web.enable = true; };
    } "no effect in timer mode"];
    firewall-on-loopback = [{
      services.gitops = { enable = true; repository = "https://h/x.git"; mode = "daemon"; openFirewall = true; settings.web.enable = true; };
    } "not reachable from other machines"];
  };

  svc = config: config.systemd.services.gitops-sync;
  rendered = config: helpers.clean config.services.gitops.settings;

  checks = {
    # timer mode
    timer-no-assertions = { got = failedAssertions timer; want = [ ]; };
    timer-type = { got = (svc timer).serviceConfig.Type; want = "oneshot"; };
    timer-execstart = {
      got = lib.hasInfix "/bin/gitops-sync sync --once --config ${builtins.storeDir}/" (svc timer).serviceConfig.ExecStart
        && lib.hasSuffix "-gitops.toml" (svc timer).serviceConfig.ExecStart;
      want = true;
    };
    timer-not-wanted-at-boot = { got = (svc timer).wantedBy; want = [ ]; };
    timer-calendar = {
      got = timer.systemd.timers.gitops-sync.timerConfig;
      want = { OnCalendar = "*:0/5"; Persistent = true; RandomizedDelaySec = "60s"; Unit = "gitops-sync.service"; };
    };
    timer-timer-wanted = { got = timer.systemd.timers.gitops-sync.wantedBy; want = [ "timers.target" ]; };
    timer-credentials = {
      got = (svc timer).serviceConfig.LoadCredential;
      want = [
        "cachix-token:/run/keys/cachix-token"
        "forge-token:/run/keys/forge-token"
        "git-token:/run/keys/git-token"
      ];
    };
    timer-not-restarted-by-activation = {
      got = { inherit ((svc timer)) restartIfChanged stopIfChanged; stopOnRemoval = (svc timer).unitConfig.X-StopOnRemoval; };
      want = { restartIfChanged = false; stopIfChanged = false; stopOnRemoval = false; };
    };
    timer-hardening = {
      got = lib.getAttrs [
        "KillMode" "TimeoutStopSec" "SuccessExitStatus" "UMask" "NoNewPrivileges" "StateDirectory" "StateDirectoryMode"
        "RuntimeDirectory" "RestrictAddressFamilies" "LockPersonality" "SystemCallArchitectures" "RestrictRealtime"
      ] (svc timer).serviceConfig;
      want = {
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
        LockPersonality = true;
        SystemCallArchitectures = "native";
        RestrictRealtime = true;
        KillMode = "mixed";
        TimeoutStopSec = "30m 30m 5min";
        SuccessExitStatus = [ "143" "3" ];
        UMask = "0077";
        NoNewPrivileges = true;
        StateDirectory = "gitops-sync";
        StateDirectoryMode = "0700";
        RuntimeDirectory = "gitops-sync";
      };
    };
    timer-no-namespaces = {
      got = lib.filter (k: (svc timer).serviceConfig ? ${k}) [ "ProtectSystem" "ProtectHome" "PrivateTmp" "PrivateDevices" "ProtectHostname" "RestrictNamespaces" "DynamicUser" ];
      want = [ ];
    };
    timer-environment = { got = (svc timer).environment.NIX_REMOTE; want = "daemon"; };
    timer-path = {
      got = map (p: lib.elem p (svc timer).path) [ timer.nix.package pkgs.git timer.system.build.nixos-rebuild pkgs.cachix ];
      want = [ true true true true ];
    };
    timer-settings = {
      got = let s = rendered timer; in {
        inherit (s) hostname state_dir;
        repository = { inherit (s.repository) url ref credentials; };
        secrets = s.secrets;
        has-ci = s ? ci;
        has-vault = s ? vault;
        cache = { inherit (builtins.head s.caches) id type credentials permissions; };
        forge = { inherit (builtins.head s.forges) type api_url credentials; };
      };
      want = {
        hostname = "web1";
        state_dir = "/var/lib/gitops-sync";
        repository = { url = "https://git.example.com/infra/fleet.git"; ref = "main"; credentials = { systemd-credential = "git-token"; }; };
        secrets = { age_key_files = [ "/var/lib/gitops-sync/age.key" ]; };
        has-ci = false;
        has-vault = false;
        cache = { id = "fleet"; type = "cachix"; credentials = { systemd-credential = "cachix-token"; }; permissions = { branches = [ "main" ]; }; };
        forge = { type = "gitea"; api_url = "https://git.example.com"; credentials = { systemd-credential = "forge-token"; }; };
      };
    };
    timer-etc = { got = timer.environment.etc."gitops-sync/gitops.toml".source == timer.services.gitops.configFile; want = true; };
    timer-secrets-root = { got = lib.elem "d /run/gitops-secrets 0751 root root -" timer.systemd.tmpfiles.rules; want = true; };
    timer-no-warnings = { got = warningsOf timer; want = [ ]; };
    timer-closed-firewall = { got = lib.elem 3030 timer.networking.firewall.allowedTCPPorts; want = false; };

    # daemon mode
    daemon-no-assertions = { got = failedAssertions daemon; want = [ ]; };
    daemon-no-warnings = { got = warningsOf daemon; want = [ ]; };
    daemon-unit = {
      got = {
        inherit ((svc daemon).serviceConfig) Type Restart TimeoutStopSec SuccessExitStatus RestartForceExitStatus
          EnvironmentFile;
        inherit ((svc daemon)) wantedBy;
        daemon = lib.hasInfix "/bin/gitops-sync daemon --config " (svc daemon).serviceConfig.ExecStart;
      };
      want = {
        Type = "exec";
        Restart = "on-failure";
        TimeoutStopSec = "10m 10m 5min";
        SuccessExitStatus = [ "143" "75" ];
        RestartForceExitStatus = [ "75" ];
        EnvironmentFile = [ "/run/keys/gitops-sync.env" ];
        wantedBy = [ "multi-user.target" ];
        daemon = true;
      };
    };
    daemon-no-timer = { got = daemon.systemd.timers ? gitops-sync; want = false; };
    daemon-firewall = { got = lib.elem 8430 daemon.networking.firewall.allowedTCPPorts; want = true; };
    daemon-restart-helper = {
      got = {
        triggers = daemon.systemd.services.gitops-sync-restart.restartTriggers == [ (svc daemon).environment.NIXOS_GITOPS_STAMP ];
        stamp = lib.hasPrefix "daemon-" (svc daemon).environment.NIXOS_GITOPS_STAMP;
        wantedBy = daemon.systemd.services.gitops-sync-restart.wantedBy;
        # ordered after the agent, a timer-mode activation would wait for itself
        after = daemon.systemd.services.gitops-sync-restart.after;
      };
      want = { triggers = true; stamp = true; wantedBy = [ "multi-user.target" ]; after = [ ]; };
    };
    daemon-settings = {
      got = let s = rendered daemon; in { inherit (s) web; inherit (s.repository) url ref ssh; has-branch = s.repository ? branch; };
      want = {
        web = { enable = true; address = "0.0.0.0"; port = 8430; };
        url = "git@git.example.com:infra/fleet.git";
        ref = "production";
        has-branch = false;
        ssh = { key = { file = "/etc/gitops-sync/deploy_key"; }; };
      };
    };

    # the seed's interface: ref (a branch or a tag) and frequency
    seed-host = {
      got = {
        assertions = failedAssertions seed;
        warnings = warningsOf seed;
        repository = lib.getAttrs [ "url" "ref" ] (rendered seed).repository;
        has-branch = (rendered seed).repository ? branch;
        timer = seed.systemd.timers.gitops-sync.timerConfig;
      };
      want = {
        assertions = [ ];
        warnings = [ ];
        repository = { url = "https://git.example.com/infra/fleet.git"; ref = "main"; };
        has-branch = false;
        timer = { OnBootSec = "30m"; OnUnitActiveSec = "30m"; RandomizedDelaySec = "60s"; Unit = "gitops-sync.service"; };
      };
    };
    tag-host = { got = (rendered tagHost).repository.ref; want = "refs/tags/v1.2"; };

    # metrics for node-exporter's textfile collector
    metrics-off-without-node-exporter = { got = (rendered timer) ? metrics; want = false; };
    metrics-node-exporter-directory = {
      got = {
        textfile = (rendered nodeTextfiles).metrics.textfile;
        directory = lib.elem "d /var/lib/node-textfiles 0755 root root -" nodeTextfiles.systemd.tmpfiles.rules;
        # writable without a mount namespace: the unit has no ProtectSystem, so no ReadWritePaths
        namespaces = lib.filter (k: (svc nodeTextfiles).serviceConfig ? ${k}) [ "ProtectSystem" "ReadWritePaths" "ReadOnlyPaths" ];
        warnings = warningsOf nodeTextfiles;
        assertions = failedAssertions nodeTextfiles;
      };
      want = {
        textfile = "/var/lib/node-textfiles/gitops-sync.prom";
        directory = true;
        namespaces = [ ];
        warnings = [ ];
        assertions = [ ];
      };
    };
    metrics-node-exporter-default-directory = {
      got = {
        textfile = (rendered nodeDefaultDir).metrics.textfile;
        directory = lib.elem "d /var/lib/prometheus-node-exporter 0755 root root -" nodeDefaultDir.systemd.tmpfiles.rules;
        warned = anyContains "--collector.textfile.directory=/var/lib/prometheus-node-exporter" (warningsOf nodeDefaultDir);
      };
      want = { textfile = "/var/lib/prometheus-node-exporter/gitops-sync.prom"; directory = true; warned = true; };
    };
    metrics-not-in-daemon-mode = { got = (rendered nodeDaemon) ? metrics; want = false; };
    metrics-explicit-textfile = {
      got = {
        textfile = (rendered nodeExplicit).metrics.textfile;
        directory = lib.elem "d /srv/metrics 0755 root root -" nodeExplicit.systemd.tmpfiles.rules;
      };
      want = { textfile = "/srv/metrics/agent.prom"; directory = true; };
    };

    # [fleet] and the [ci] remote-store keys, typed
    fleet-builder = {
      got = {
        assertions = failedAssertions fleetBuilder;
        warnings = warningsOf fleetBuilder;
        fleet = (rendered fleetBuilder).fleet;
        ci = (rendered fleetBuilder).ci;
        credentials = (svc fleetBuilder).serviceConfig.LoadCredential;
      };
      want = {
        assertions = [ ];
        warnings = [ ];
        fleet = {
          role = "builder";
          signing_key = { systemd-credential = "release-key"; };
          releases = "https://cache.example.com/releases";
          releases_credentials = { systemd-credential = "releases-token"; };
        };
        ci = {
          hosts = "all";
          store = "ssh-ng://localhost?remote-program=nix-relay-client";
          eval_store = "auto";
          store_env = { NIX_RELAY_TOKEN = { systemd-credential = "relay-token"; }; };
        };
        credentials = [
          "forge-token:/run/keys/forge-token"
          "relay-token:/run/keys/relay-token"
          "release-key:/run/keys/builder-1.sec"
          "releases-token:/run/keys/releases-token"
        ];
      };
    };
    fleet-host = {
      got = { assertions = failedAssertions fleetHost; fleet = (rendered fleetHost).fleet; };
      want = {
        assertions = [ ];
        fleet = {
          role = "host";
          trusted_keys = [ "builder-1:mtWWZbVABe/1nx18taeQjZ91xCPXHc7rSEY3bcM3JSU=" ];
          cache_keys = [ "cache-1:x3xKL2heb6i9ICju0QT7FskbTRas1L3Z6WF092+UJrE=" ];
          releases = "https://cache.example.com/releases";
          after = [ "canary-1" "canary-2" ];
          soak = "15m";
        };
      };
    };
    # typed: a value of the wrong type fails evaluation instead of reaching the agent
    fleet-and-ci-typed = {
      got = map
        (settings: (builtins.tryEval (builtins.deepSeq (rendered (evalHost' [{
          services.gitops = { enable = true; repository = "https://h/x.git"; inherit settings; };
        }])) true)).success)
        [
          { fleet.role = "leader"; }
          { fleet.trusted_keys = "builder-1:mtWWZbVABe/1nx18taeQjZ91xCPXHc7rSEY3bcM3JSU="; }
          { fleet.soak = 15; }
          { fleet.fallback = "retry"; }
          { ci.store_env.NIX_RELAY_TOKEN = 42; }
          { ci.builders = [ "ssh-ng://b x86_64-linux" ]; }
          { fleet = { role = "host"; wait = "1h"; fallback = "build"; after = [ "canary-1" ]; }; ci.eval_store = "auto"; }
        ];
      want = [ false false false false false false true ];
    };
    # the agent's defaults stay the agent's: no [fleet] written when nothing is set
    fleet-absent-by-default = { got = (rendered timer) ? fleet; want = false; };

    # a time span as frequency
    span-timer = {
      got = spanTimer.systemd.timers.gitops-sync.timerConfig;
      want = { OnBootSec = "10min"; OnUnitActiveSec = "10min"; Unit = "gitops-sync.service"; };
    };
  }
  // lib.mapAttrs'
    (name: spec: lib.nameValuePair "assertion-${name}" {
      got = anyContains (builtins.elemAt spec 1) (failedAssertions (evalHost' [ (builtins.head spec) ]));
      want = true;
    })
    badConfigs
  // lib.mapAttrs'
    (name: spec: lib.nameValuePair "warning-${name}" (
      let config = evalHost' [ (builtins.head spec) ]; in {
        got = { warned = anyContains (builtins.elemAt spec 1) (warningsOf config); assertions = failedAssertions config; };
        want = { warned = true; assertions = [ ]; };
      }))
    warnConfigs;

  failures = lib.filterAttrs (_: c: c.got != c.want) checks;

  report = {
    checks = lib.attrNames checks;
    failures = lib.mapAttrs (_: c: { inherit (c) got want; }) failures;
  };
in
{
  inherit report;

  check =
    if failures != { } then
      throw "module-eval: ${toString (lib.length (lib.attrNames failures))} check(s) failed:\n${builtins.toJSON report.failures}"
    else
      pkgs.runCommand "gitops-sync-module-eval"
        {
          nativeBuildInputs = [ pkgs.jq ] ++ lib.optional (package != null) package;
        }
        (''
          for file in ${timer.services.gitops.configFile} ${daemon.services.gitops.configFile}; do
            echo "== $file"
            cat "$file"
        '' + lib.optionalString (package != null) ''
          # the program itself accepts the file, without warnings (unknown keys, typos); until
          # the [secrets], [vault] and [ci] keys are merged into the agent, it reports those
          # sections as unknown, which is the only warning tolerated here
          gitops-sync config check --json --config "$file" > check.json
          jq -e '.valid == true and ([.warnings[] | select(test("unknown key (secrets|vault|ci)\\b") | not)] == [])' check.json
        '' + ''
          done
          echo "${toString (lib.length report.checks)} module checks passed" > $out
        '');
}
