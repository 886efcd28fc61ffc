# Test fixture for the VM tests: a local bare repository, /var/lib/fleet.git, holding
# examples/demo-flake. Its host "demo" is a stand-in system whose switch-to-configuration records
# each activation under /var/lib/gitops-demo/machine (activations.log, etc/motd,
# run/current-system) instead of changing the VM, so the agent's real deploy path
# (deploy.method = "profile": nix-env --set on a private profile, then switch-to-configuration)
# runs without touching the test machine's own system.
#
# The stand-in switch-to-configuration also runs /run/gitops-test/on-activate when a test has
# put an executable there: a way to make the agent's own activation do something to the real VM
# (sync.nix switches the VM to a specialisation that changes the agent's unit).
#
# `fleet-commit TEXT` makes TEXT (which must start with "Welcome") the demo host's motd, commits,
# pushes to the bare repository and prints the new commit.
{ pkgs, ... }:

let
  demoFlake = ../../examples/demo-flake;
  localNix = pkgs.writeText "local.nix" ''
    { root = "/var/lib/gitops-demo/machine"; system = "${pkgs.stdenv.hostPlatform.system}"; }
  '';
  gitIdentity = "-c user.name=test -c user.email=test@example.invalid -c commit.gpgsign=false";

  fleetCommit = pkgs.writeShellScriptBin "fleet-commit" ''
    set -euo pipefail
    case "''${1:-}" in
      Welcome*) ;;
      *) echo "usage: fleet-commit 'Welcome ...'" >&2; exit 2 ;;
    esac
    cd /root/fleet
    sed -i "s|text = \"Welcome[^\"]*\";|text = \"$1\\\\n\";|" flake.nix
    grep -qF "text = \"$1" flake.nix
    git ${gitIdentity} commit -q -a -m "motd: $1"
    git push -q origin main
    git rev-parse HEAD
  '';
in
{
  environment.systemPackages = [ pkgs.git pkgs.curl pkgs.jq fleetCommit ];

  systemd.services.gitops-test-fleet = {
    description = "Create the test fleet repository";
    wantedBy = [ "multi-user.target" ];
    before = [ "gitops-sync.service" ];
    requiredBy = [ "gitops-sync.service" ];
    unitConfig.ConditionPathExists = "!/var/lib/fleet.git";
    path = [ pkgs.git pkgs.coreutils ];
    serviceConfig = {
      Type = "oneshot";
      RemainAfterExit = true;
    };
    script = ''
      mkdir -p /root/fleet /var/lib/gitops-demo/profiles
      cp ${demoFlake}/flake.nix ${demoFlake}/tar.nix /root/fleet/
      cp ${localNix} /root/fleet/local.nix
      chmod u+w /root/fleet/*
      sed -i 's|>> "$root/activations.log"$|>> "$root/activations.log"; if [ -x /run/gitops-test/on-activate ]; then /run/gitops-test/on-activate; fi|' /root/fleet/flake.nix
      grep -q /run/gitops-test/on-activate /root/fleet/flake.nix
      cd /root/fleet
      git init -q -b main
      git add -A
      git ${gitIdentity} commit -q -m "initial demo system"
      git clone -q --bare /root/fleet /var/lib/fleet.git
      git remote add origin /var/lib/fleet.git
    '';
  };

  # Offline VM: no binary caches to wait for, no global flake registry to download.
  nix.settings = {
    substituters = pkgs.lib.mkForce [ ];
    flake-registry = "";
  };

  virtualisation.memorySize = 2048;
  virtualisation.cores = 2;
}
