package org.gitopssync.cli;

import picocli.CommandLine;

/** {@code --version}: the version Maven stamped into the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = getClass().getPackage().getImplementationVersion();
        return new String[] {"gitops-sync " + (v == null ? "development build" : v)};
    }
}
