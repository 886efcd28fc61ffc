# Written by `gitops-sync demo` for the scratch copy of this flake: where activations are
# recorded and which platform the machine is. These defaults keep the flake evaluable as is.
{
  root = "/tmp/gitops-sync-demo";
  system = "x86_64-linux";
}
