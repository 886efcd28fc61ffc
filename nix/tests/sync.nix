# NixOS VM test, timer mode: a host follows a local repository with services.gitops. The first
# run deploys the demo system (recorded activation, profile generation 1, `status --json`); a
# pushed commit is deployed by the next run (generation 2, new motd); a run without changes does
# nothing. Also checks what the module promises about the unit: credentials via LoadCredential
# and not in the configuration file, hardening, and that an activation run by the agent itself
# that changes the agent's own units (a switch of the real VM to a specialisation, from inside the
# cycle) neither restarts nor deadlocks it.
#
# Needs a NixOS builder with KVM: nix build .#checks.x86_64-linux.vm-sync
{ pkgs, module, package }:

pkgs.testers.runNixOSTest {
  name = "gitops-sync-timer";

  nodes.machine = { lib, ... }: {
    imports = [ module ./fleet.nix ];

    # a credential the agent loads (it is not needed for file://, but the unit must start with
    # it and the configuration file must not contain it)
    systemd.tmpfiles.rules = [
      "d /run/gitops-test 0700 root root -"
      "f /run/gitops-test/git-token 0400 root root - not-a-real-token"
    ];

    services.gitops = {
      enable = true;
      inherit package;
      repository = "file:///var/lib/fleet.git";
      branch = "main";
      mode = "timer";
      frequency = "hourly"; # the test starts each run itself
      credentials.git-token = "/run/gitops-test/git-token";
      settings = {
        hostname = "demo";
        repository.credentials = { systemd-credential = "git-token"; };
        deploy = {
          method = "profile";
          operation = "switch";
          profile = "/var/lib/gitops-demo/profiles/system";
          current_system = "/var/lib/gitops-demo/machine/run/current-system";
        };
        nix.options.substituters = "";
      };
    };

    # the same host with a changed agent configuration (so its units change)
    specialisation.changed.configuration = {
      services.gitops.settings.repository.fetch_timeout = lib.mkForce "11m";
    };
  };

  testScript = ''
    import json


    def status():
        return json.loads(machine.succeed("gitops-sync status --json 2>/dev/null"))


    def activations():
        return machine.succeed("cat /var/lib/gitops-demo/machine/activations.log").splitlines()


    machine.wait_for_unit("multi-user.target")
    machine.wait_for_unit("gitops-test-fleet.service")

    with subtest("the module installs a timer, a private state directory and a tmpfs secrets root"):
        machine.succeed("systemctl is-active gitops-sync.timer")
        machine.succeed("systemctl is-active gitops-sync-restart.service")
        machine.fail("systemctl is-active gitops-sync.service")
        machine.succeed("test -L /etc/gitops-sync/gitops.toml")
        machine.succeed("grep -q 'systemd-credential' /etc/gitops-sync/gitops.toml")
        machine.fail("grep -Rq not-a-real-token /etc/gitops-sync/ /etc/systemd/system/gitops-sync.service")
        machine.succeed("test \"$(stat -c %a /run/gitops-secrets)\" = 751")
        machine.succeed("test \"$(stat -c %T -f /run/gitops-secrets)\" = tmpfs")

    with subtest("the unit is hardened and never restarted by an activation"):
        unit = machine.succeed("systemctl cat gitops-sync.service")
        for line in ["X-RestartIfChanged=false", "X-StopIfChanged=false", "X-StopOnRemoval=false",
                     "KillMode=mixed", "UMask=0077", "NoNewPrivileges=true",
                     "LoadCredential=git-token:/run/gitops-test/git-token"]:
            assert line in unit, f"{line} missing from the unit:\n{unit}"
        assert "ProtectSystem" not in unit, unit
        assert "PrivateTmp" not in unit, unit

    rev1 = machine.succeed("git -C /root/fleet rev-parse HEAD").strip()

    with subtest("the first run deploys the repository's demo system"):
        machine.succeed("systemctl start gitops-sync.service")
        log = activations()
        assert len(log) == 1 and log[0].startswith("switch /nix/store/"), log
        first_system = log[0].split()[1]
        machine.succeed("grep -q 'Welcome to the gitops-sync demo host.' /var/lib/gitops-demo/machine/etc/motd")
        machine.succeed("test -d /var/lib/gitops-sync && test \"$(stat -c %a /var/lib/gitops-sync)\" = 700")
        s = status()
        assert s["host"] == "demo", s
        assert s["deployed"]["commit"] == rev1, s
        assert s["deployed"]["outPath"] == first_system, s
        assert s["profileGeneration"] == 1, s
        assert s["runningMatchesDeployed"], s
        assert s["lastCycle"]["outcome"] == "DEPLOYED", s

    with subtest("a pushed commit is deployed by the next run"):
        rev2 = machine.succeed("fleet-commit 'Welcome to generation two.'").strip()
        assert rev2 != rev1
        machine.succeed("systemctl start gitops-sync.service")
        log = activations()
        assert len(log) == 2, log
        second_system = log[1].split()[1]
        assert second_system != first_system, log
        machine.succeed("grep -q 'Welcome to generation two.' /var/lib/gitops-demo/machine/etc/motd")
        s = status()
        assert s["deployed"]["commit"] == rev2, s
        assert s["deployed"]["outPath"] == second_system, s
        assert s["profileGeneration"] == 2, s
        assert s["lastCycle"]["outcome"] == "DEPLOYED", s

    with subtest("a run without a new commit changes nothing"):
        machine.succeed("systemctl start gitops-sync.service")
        assert len(activations()) == 2
        s = status()
        assert s["lastCycle"]["outcome"] == "UNCHANGED", s
        assert s["profileGeneration"] == 2, s

    with subtest("an activation run by the agent that changes the agent's own units completes"):
        # the stand-in activation switches the real VM to the specialisation, from inside the
        # agent's cycle (as a profile-method deployment of the host's real system would):
        # gitops-sync.service must be left running, and nothing may wait for the cycle that is
        # itself waiting for the switch (a bounded wait turns a deadlock into a failure)
        machine.succeed(
            "mkdir -p /run/gitops-test",
            "printf '%s\\n' '#!/bin/sh'"
            " 'timeout 300 /run/booted-system/specialisation/changed/bin/switch-to-configuration test > /run/gitops-test/switch.log 2>&1'"
            " 'echo $? > /run/gitops-test/switch.status'"
            " > /run/gitops-test/on-activate",
            "chmod +x /run/gitops-test/on-activate",
        )
        stamp_before = machine.succeed("systemctl show --property=Environment gitops-sync.service")
        rev3 = machine.succeed("fleet-commit 'Welcome to generation three.'").strip()
        machine.succeed("timeout 900 systemctl start gitops-sync.service")
        machine.succeed("rm /run/gitops-test/on-activate")
        switch_log = machine.succeed("cat /run/gitops-test/switch.log")
        assert machine.succeed("cat /run/gitops-test/switch.status").strip() == "0", switch_log
        assert "gitops-sync-restart.service" in switch_log, switch_log
        s = status()
        assert s["deployed"]["commit"] == rev3, s
        assert s["profileGeneration"] == 3, s
        assert s["lastCycle"]["outcome"] == "DEPLOYED", s
        # the unit now has the specialisation's definition, for the next run
        stamp_after = machine.succeed("systemctl show --property=Environment gitops-sync.service")
        assert stamp_after != stamp_before, stamp_after
        machine.succeed("grep -q '11m' /etc/gitops-sync/gitops.toml")
        machine.succeed("systemctl start gitops-sync.service")
        assert status()["lastCycle"]["outcome"] == "UNCHANGED"

    with subtest("the timer starts the same unit"):
        machine.succeed("systemctl start gitops-sync.timer")
        machine.succeed("systemctl list-timers gitops-sync.timer | grep -q gitops-sync.service")
  '';
}
