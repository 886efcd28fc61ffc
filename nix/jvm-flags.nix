# The JVM flags of gitops-sync, in one place for Nix: nix/package.nix puts `oneShot` in the wrapper (every
# command), nix/module.nix adds `daemon` for the daemon service. bin/setup.sh holds the same two lists for the
# launcher (JAVA_FLAGS, DAEMON_JAVA_FLAGS); JvmFlagsTest checks that they agree. Measured with bench/run.
{
  # C1 only and the serial collector: fastest start, least memory; the work itself happens in nix.
  # One compiler thread: a start queues ~850 compilations, and with two threads the main thread waits on the
  # queue's lock (the JVM accepts 1 only with C1 only: adding -XX:TieredStopAtLevel=4 needs -XX:CICompilerCount=2).
  # cds=off: an archive that does not match (another JVM) is skipped without a warning on stderr.
  oneShot = [ "-XX:TieredStopAtLevel=1" "-XX:CICompilerCount=1" "-XX:+UseSerialGC" "-Xlog:cds=off" "-Xlog:cds+dynamic=off" ];
  # An agent's live heap is ~15 MiB between cycles: start small and grow on demand (a large CI evaluation or
  # sops file), give memory back after a full collection, and cap what a runaway could take. Small thread
  # stacks; no direct buffers to speak of (one web server, few requests).
  daemon = [
    "-Xms8m"
    "-Xmx256m"
    "-XX:MinHeapFreeRatio=10"
    "-XX:MaxHeapFreeRatio=30"
    "-Xss512k"
    "-XX:MaxMetaspaceSize=128m"
    "-XX:ReservedCodeCacheSize=32m"
    "-XX:MaxDirectMemorySize=32m"
  ];
}
