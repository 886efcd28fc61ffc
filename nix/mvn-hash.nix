# The fixed-output hash of the Maven dependencies of nix/package.nix (the local repository that
# `mvn package` fills from Maven Central). Recompute it after every change to pom.xml:
# nix/update-mvn-hash.sh (with nixpkgs: reads the hash from Nix's mismatch message), or
# nix/mvn-hash-local.sh (without nixpkgs: replays buildMavenPackage's fetch step twice with the
# Maven wrapper and takes the NAR hash; this value was computed that way).
# Both scripts stamp the pom.xml it is for (a test fails when pom.xml has changed since):
# pom.xml sha256 40e695089860174cad4143ed613ad65bf0322f60e5b6786e98c96100f9a29a7a
"sha256-eIFNkQboanICWdOH1x0/7RLKGTEmRsjxB3rBdAHgZfI="
