package org.gitopssync.cache;

import org.gitopssync.nix.Command;

/** One upload tool: turns a job into the command that uploads its paths; secrets go in the environment or private files. */
interface CachePusher {

    /** The command for one attempt; may write private files into {@code job.scratch()}. */
    Command command(UploadJob job);
}
