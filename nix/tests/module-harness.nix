# The checks of module-eval.nix, run by the real module system (nixpkgs' lib.evalModules) with
# stand-ins for the handful of NixOS options the module reads or defines, and for the packages it
# refers to. For machines that have nixpkgs' lib but not all of nixpkgs: what is checked here is
# the module itself (option types and defaults, merging, mkIf, the generated units' attributes,
# assertions, warnings), not NixOS (unit file rendering, switch-to-configuration) - that is what
# the flake's module-eval check and the VM tests do on a NixOS builder.
#
#   nix-instantiate --eval --strict --json nix/tests/module-harness.nix --arg lib 'import /path/to/nixpkgs/lib' -A report
{ lib }:

let
  inherit (lib) mkOption types;

  fakeDrv = name: {
    type = "derivation";
    inherit name;
    outPath = "${builtins.storeDir}/00000000000000000000000000000000-${name}";
    meta.mainProgram = name;
  };

  # what pkgs.formats.toml provides: the JSON-like value type and a file "generated" from a value
  tomlFormat = {
    type =
      let
        valueType = types.nullOr (types.oneOf [
          types.bool
          types.int
          types.float
          types.str
          types.path
          (types.attrsOf valueType)
          (types.listOf valueType)
        ]) // { description = "TOML value"; };
      in
      valueType;
    generate = name: value: fakeDrv name // { inherit value; };
  };

  pkgs = {
    inherit lib;
    formats.toml = _: tomlFormat;
    git = fakeDrv "git";
    coreutils = fakeDrv "coreutils";
    gnused = fakeDrv "gnused";
    cachix = fakeDrv "cachix";
    attic-client = fakeDrv "attic-client";
    niks3 = fakeDrv "niks3";
    callPackage = _: _: throw "module-harness: services.gitops.package must be set";
  };

  # systemd's option values: atoms or lists of them (lists of definitions are concatenated)
  unitOption = types.oneOf [ types.bool types.int types.str (types.listOf (types.oneOf [ types.bool types.int types.str ])) ];

  unitModule = {
    options = {
      description = mkOption { type = types.str; default = ""; };
      wants = mkOption { type = types.listOf types.str; default = [ ]; };
      after = mkOption { type = types.listOf types.str; default = [ ]; };
      before = mkOption { type = types.listOf types.str; default = [ ]; };
      requiredBy = mkOption { type = types.listOf types.str; default = [ ]; };
      wantedBy = mkOption { type = types.listOf types.str; default = [ ]; };
      unitConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      restartTriggers = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    };
  };

  serviceModule = {
    imports = [ unitModule ];
    options = {
      path = mkOption { type = types.listOf (types.either types.package types.str); default = [ ]; };
      environment = mkOption { type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ])); default = { }; };
      restartIfChanged = mkOption { type = types.bool; default = true; };
      stopIfChanged = mkOption { type = types.bool; default = true; };
      serviceConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
      script = mkOption { type = types.lines; default = ""; };
    };
  };

  timerModule = {
    imports = [ unitModule ];
    options.timerConfig = mkOption { type = types.attrsOf unitOption; default = { }; };
  };

  nixosStandIn = {
    options = {
      assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
      warnings = mkOption { type = types.listOf types.str; default = [ ]; };
      networking.hostName = mkOption { type = types.str; default = "nixos"; };
      networking.firewall.allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; };
      networking.proxy.envVars = mkOption { type = types.attrs; default = { }; };
      environment.etc = mkOption {
        type = types.attrsOf (types.submodule { options.source = mkOption { type = types.path; }; });
        default = { };
      };
      environment.systemPackages = mkOption { type = types.listOf types.package; default = [ ]; };
      systemd.package = mkOption { type = types.package; default = fakeDrv "systemd"; };
      systemd.tmpfiles.rules = mkOption { type = types.listOf types.str; default = [ ]; };
      systemd.services = mkOption { type = types.attrsOf (types.submodule serviceModule); default = { }; };
      systemd.timers = mkOption { type = types.attrsOf (types.submodule timerModule); default = { }; };
      nix.enable = mkOption { type = types.bool; default = true; };
      nix.package = mkOption { type = types.package; default = fakeDrv "nix"; };
      programs.ssh.package = mkOption { type = types.package; default = fakeDrv "openssh"; };
      services.prometheus.exporters.node = {
        enable = mkOption { type = types.bool; default = false; };
        extraFlags = mkOption { type = types.listOf types.str; default = [ ]; };
        enabledCollectors = mkOption { type = types.listOf types.str; default = [ ]; };
      };
      system.build = mkOption { type = types.lazyAttrsOf types.unspecified; default = { }; };
    };
    config = {
      _module.args.pkgs = pkgs;
      networking.hostName = "web1";
      system.build.nixos-rebuild = fakeDrv "nixos-rebuild";
    };
  };

  evalHost = modules: (lib.evalModules {
    modules = [
      nixosStandIn
      ../module.nix
      { services.gitops.package = fakeDrv "gitops-sync"; }
    ] ++ modules;
  }).config;
in
{
  inherit (import ./module-eval.nix { inherit pkgs evalHost; module = ../module.nix; }) report;
}
