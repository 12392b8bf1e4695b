package netkit.tcp;

/** A connection's 4-tuple, the key of the one hash lookup per segment. */
record ConnectionKey(int localAddress, int localPort, int remoteAddress, int remotePort) {
}
