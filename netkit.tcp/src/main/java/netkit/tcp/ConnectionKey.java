package netkit.tcp;

/** A connection's 4-tuple, the key of the one hash lookup per segment. */
record ConnectionKey(int localAddress, int localPort, int remoteAddress, int remotePort) {
    @Override
    public int hashCode() {
        return hash(localAddress, localPort, remoteAddress, remotePort);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionKey k && k.localAddress == localAddress && k.localPort == localPort
                && k.remoteAddress == remoteAddress && k.remotePort == remotePort;
    }

    /** The hash of a 4-tuple, the same for a key and a {@link Probe} of it. */
    static int hash(int localAddress, int localPort, int remoteAddress, int remotePort) {
        int h = localAddress;
        h = 31 * h + localPort;
        h = 31 * h + remoteAddress;
        return 31 * h + remotePort;
    }

    /**
     * A reusable 4-tuple for looking a received segment up in a map keyed by {@link ConnectionKey}
     * without a key object per segment: it hashes as the key of the same 4-tuple and equals it (a
     * map calls the argument's {@code equals}). Only for {@code get}; never stored, never a map key.
     */
    static final class Probe {
        private int localAddress;
        private int localPort;
        private int remoteAddress;
        private int remotePort;

        Probe set(int localAddress, int localPort, int remoteAddress, int remotePort) {
            this.localAddress = localAddress;
            this.localPort = localPort;
            this.remoteAddress = remoteAddress;
            this.remotePort = remotePort;
            return this;
        }

        /** A key of this 4-tuple, to keep. */
        ConnectionKey key() {
            return new ConnectionKey(localAddress, localPort, remoteAddress, remotePort);
        }

        @Override
        public int hashCode() {
            return hash(localAddress, localPort, remoteAddress, remotePort);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ConnectionKey k && k.localAddress() == localAddress && k.localPort() == localPort
                    && k.remoteAddress() == remoteAddress && k.remotePort() == remotePort;
        }
    }
}
