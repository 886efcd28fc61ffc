{
  description = "gitops-sync demo: a NixOS-shaped flake with no inputs that builds offline";

  # Every derivation here is built by /bin/sh alone (no nixpkgs, no coreutils), so the demo
  # works on a fresh machine without network access, with or without the build sandbox.
  outputs = { self }:
    let
      local = import ./local.nix;
      inherit (local) system;
      mkTar = import ./tar.nix;

      # A "package": one file written with printf.
      package = { pname, version, text }: derivation {
        name = "${pname}-${version}";
        inherit system;
        builder = "/bin/sh";
        args = [ "-c" "printf '%s' \"$text\" > $out" ];
        inherit text;
      };

      # A check passes when its script succeeds (every command of it: set -e); it only has
      # shell builtins.
      check = name: script: derivation {
        inherit name system;
        builder = "/bin/sh";
        args = [ "-c" ("set -e\n" + script + "\necho ok > $out") ];
      };

      motd = package {
        pname = "demo-motd";
        version = "1.0";
        text = "Welcome to the gitops-sync demo host.\n";
      };

      greeter = package {
        pname = "demo-greeter";
        version = "2.1";
        text = "#!/bin/sh\necho \"hello from the demo greeter\"\n";
      };

      # Create a file named FAIL_ACTIVATION in this repository to see a failed activation
      # rolled back; its content is printed as the activation error.
      failActivation = builtins.pathExists ./FAIL_ACTIVATION;

      switchToConfiguration = ''
        #!/bin/sh
        # Demo stand-in for NixOS's switch-to-configuration: it records what it was asked to do
        # under the demo directory instead of touching the machine.
        set -e
        op="$1"
        toplevel="''${0%/bin/switch-to-configuration}"
        root='${local.root}'
        case "$op" in
          switch|boot|test|dry-activate) ;;
          *) echo "usage: $0 switch|boot|test|dry-activate" >&2; exit 1 ;;
        esac
        mkdir -p "$root/run" "$root/etc"
        echo "$op $toplevel" >> "$root/activations.log"
        if [ "$op" = dry-activate ]; then
          echo "would activate $toplevel"
          exit 0
        fi
        ${if failActivation then ''
          echo "activation failed: $(cat '${self}/FAIL_ACTIVATION' 2>/dev/null || echo FAIL_ACTIVATION present)" >&2
          exit 1
        '' else ""}
        if [ "$op" = switch ] || [ "$op" = test ]; then
          cat '${motd}' > "$root/etc/motd.tmp" && mv "$root/etc/motd.tmp" "$root/etc/motd"
          ln -sfn '${greeter}' "$root/run/greeter"
          ln -sfn "$toplevel" "$root/run/current-system"
        fi
        echo "demo system $op done: $toplevel"
      '';

      toplevel = derivation {
        name = "nixos-system-demo";
        system = "builtin";
        builder = "builtin:unpack-channel";
        channelName = "bin";
        src = mkTar {
          name = "demo-system";
          inherit system;
          dir = "bin";
          files = [{ name = "switch-to-configuration"; mode = 493; text = switchToConfiguration; }];
        };
      };
    in
    {
      packages.${system} = { inherit motd greeter; default = toplevel; };

      checks.${system} = {
        motd-not-empty = check "motd-not-empty" ''
          read -r first < ${motd}
          [ -n "$first" ]
        '';
        greeter-is-a-script = check "greeter-is-a-script" ''
          read -r shebang < ${greeter}
          [ "$shebang" = "#!/bin/sh" ]
        '';
        system-has-activation = check "system-has-activation" ''
          [ -x ${toplevel}/bin/switch-to-configuration ]
        '';
      };

      nixosConfigurations.demo = {
        config.system.build.toplevel = toplevel;
      };
    };
}
