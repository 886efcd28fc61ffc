# NixOS VM test, daemon mode: the agent runs as a long-lived service with its web endpoint open
# in the firewall, deploys the local repository's demo system by polling, picks up a pushed
# commit, and, when an activation changes its own unit (here: switching to a specialisation),
# is not restarted by that activation but by gitops-sync-restart.service right after it.
#
# Needs a NixOS builder with KVM: nix build .#checks.x86_64-linux.vm-daemon
{ pkgs, module, package }:

pkgs.testers.runNixOSTest {
  name = "gitops-sync-daemon";

  nodes.machine = { lib, ... }: {
    imports = [ module ./fleet.nix ];

    services.gitops = {
      enable = true;
      inherit package;
      repository = "file:///var/lib/fleet.git";
      mode = "daemon";
      openFirewall = true;
      settings = {
        hostname = "demo";
        repository = {
          poll_interval = "5s";
          randomized_delay = "0s";
        };
        deploy = {
          method = "profile";
          profile = "/var/lib/gitops-demo/profiles/system";
          current_system = "/var/lib/gitops-demo/machine/run/current-system";
        };
        nix.options.substituters = "";
        web = {
          enable = true;
          address = "0.0.0.0";
          port = 3030;
        };
      };
    };

    # the same host with a changed agent configuration
    specialisation.changed.configuration = {
      services.gitops.settings.repository.poll_interval = lib.mkForce "6s";
    };
  };

  nodes.client = { pkgs, ... }: {
    environment.systemPackages = [ pkgs.curl ];
  };

  testScript = ''
    import json


    def status():
        return json.loads(machine.succeed("gitops-sync status --json 2>/dev/null"))


    def main_pid():
        return machine.succeed("systemctl show --property=MainPID --value gitops-sync.service").strip()


    start_all()
    machine.wait_for_unit("gitops-sync.service")
    machine.wait_for_open_port(3030)

    with subtest("the web endpoint answers, also from another machine (openFirewall)"):
        machine.succeed("curl -sf http://127.0.0.1:3030/healthz")
        client.wait_for_unit("multi-user.target")
        client.succeed("curl -sf --max-time 10 http://machine:3030/healthz")

    rev1 = machine.succeed("git -C /root/fleet rev-parse HEAD").strip()

    with subtest("the daemon deploys the repository by polling"):
        machine.wait_until_succeeds(f"gitops-sync status --json 2>/dev/null | jq -e '.deployed.commit == \"{rev1}\"'", timeout=300)
        machine.succeed("grep -q '^switch /nix/store/' /var/lib/gitops-demo/machine/activations.log")
        assert status()["profileGeneration"] == 1

    with subtest("a pushed commit reaches the daemon"):
        rev2 = machine.succeed("fleet-commit 'Welcome to the daemon.'").strip()
        machine.wait_until_succeeds(f"gitops-sync status --json 2>/dev/null | jq -e '.deployed.commit == \"{rev2}\"'", timeout=300)
        machine.succeed("grep -q 'Welcome to the daemon.' /var/lib/gitops-demo/machine/etc/motd")
        assert status()["profileGeneration"] == 2
        machine.succeed("curl -sf http://127.0.0.1:3030/api/status | jq -e .")

    with subtest("an activation that changes the agent's unit restarts it only afterwards"):
        before = main_pid()
        assert before != "0"
        out = machine.succeed("/run/current-system/specialisation/changed/bin/switch-to-configuration test 2>&1")
        assert "gitops-sync-restart.service" in out, out
        machine.wait_until_succeeds(f"test \"$(systemctl show --property=MainPID --value gitops-sync.service)\" != {before}")
        machine.wait_for_unit("gitops-sync.service")
        after = main_pid()
        assert after not in ("0", before), after
        machine.succeed(f"tr '\\0' '\\n' < /proc/{after}/cmdline | grep -q daemon")
        machine.wait_for_open_port(3030)
        machine.wait_until_succeeds(f"gitops-sync status --json 2>/dev/null | jq -e '.deployed.commit == \"{rev2}\"'")
  '';
}
