package org.gitopssync.events;

/** One event of the live stream: its sequence number in this process, its type and its one-line JSON data. */
public record LiveEvent(long id, String type, String data) {

    /** The event in Server-Sent Events form, the blank line that ends it included. */
    public String sse() {
        return "id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n";
    }
}
