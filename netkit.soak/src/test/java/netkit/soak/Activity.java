package netkit.soak;

/**
 * Traffic between two nodes: started at a simulated time, then stepped with non-blocking calls
 * until it finishes. A protocol restart on either node while it runs disturbs it: from then on
 * failures with the errno values of that situation are expected, not findings.
 */
abstract class Activity {
    final Scenario sc;
    final int id;
    final Node client;
    final Node server;
    final boolean tcp;
    boolean started;
    boolean finished;
    boolean disturbed;

    Activity(Scenario sc, int id, Node client, Node server, boolean tcp) {
        this.sc = sc;
        this.id = id;
        this.client = client;
        this.server = server;
        this.tcp = tcp;
    }

    /** Opens the sockets (the protocols may be absent: then it is disturbed from the start). */
    final void start() {
        started = true;
        if (!client.up(tcp) || !server.up(tcp)) {
            disturbed = true;
        }
        open();
    }

    abstract void open();

    /** Makes progress; sets {@link #finished} once every socket of it is closed. */
    abstract void step();

    boolean involves(Node n, boolean tcpProtocol) {
        return tcpProtocol == tcp && (n == client || n == server);
    }

    abstract String describe();
}
