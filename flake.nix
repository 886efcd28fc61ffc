{
  description = "gitops-sync: keep NixOS hosts converged on a flake in git";

  # The package, overlay and NixOS module land with their own issue; until then this flake gives
  # a development shell with what bin/gitops-sync and bin/test need.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAll = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      devShells = forAll (pkgs: {
        default = pkgs.mkShell { packages = [ pkgs.jdk17_headless pkgs.git pkgs.age pkgs.nix ]; };
      });
    };
}
