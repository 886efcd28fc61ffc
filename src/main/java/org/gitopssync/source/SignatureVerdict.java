package org.gitopssync.source;

/** Whether a commit's signature is trusted, who made it ("unsigned" when nobody did) and why it is refused. */
public record SignatureVerdict(boolean trusted, String signer, String detail) {

    static SignatureVerdict unsigned() {
        return new SignatureVerdict(false, "unsigned", "the commit carries no signature");
    }
}
