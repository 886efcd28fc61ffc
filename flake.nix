{
  description = "gitops-sync: keep NixOS hosts converged on a flake in git";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  # Package, overlay and NixOS module: docs/nixos.md. Everything but this file is under nix/.
  outputs = { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAll = f: lib.genAttrs systems (system: f system nixpkgs.legacyPackages.${system});
    in
    {
      # pkgs.gitops-sync, built with the pkgs it is applied to
      overlays.default = final: _prev: {
        gitops-sync = final.callPackage ./nix/package.nix { };
      };

      packages = forAll (_system: pkgs: rec {
        gitops-sync = pkgs.callPackage ./nix/package.nix { };
        default = gitops-sync;
      });

      apps = forAll (system: _pkgs: {
        default = {
          type = "app";
          program = "${self.packages.${system}.gitops-sync}/bin/gitops-sync";
          meta.description = "gitops-sync command line (sync, daemon, status, config check, reset, demo)";
        };
      });

      # services.gitops; its package defaults to pkgs.gitops-sync (the overlay) or else is built
      # from this repository with the host's pkgs
      nixosModules = {
        gitops = ./nix/module.nix;
        default = self.nixosModules.gitops;
      };

      # nix flake check: the package, the module evaluated with sample configurations, and two
      # NixOS VM tests (need KVM) that sync a host from a local repository
      checks = forAll (system: pkgs:
        let
          args = {
            inherit pkgs;
            module = self.nixosModules.gitops;
            package = self.packages.${system}.gitops-sync;
          };
        in
        {
          package = self.packages.${system}.gitops-sync;
          module-eval = (import ./nix/tests/module-eval.nix args).check;
          vm-sync = import ./nix/tests/sync.nix args;
          vm-daemon = import ./nix/tests/daemon.nix args;
        });

      # what bin/gitops-sync and bin/test need
      devShells = forAll (_system: pkgs: {
        default = pkgs.mkShell { packages = [ pkgs.jdk17_headless pkgs.git pkgs.age pkgs.nix ]; };
      });

      formatter = forAll (_system: pkgs: pkgs.nixpkgs-fmt);
    };
}
