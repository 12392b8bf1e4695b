package netkit.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SockAddrTest {
    @Test
    void parsesAndFormats() {
        SockAddr a = SockAddr.parse("10.0.0.1:8080");
        assertEquals(0x0a000001, a.address());
        assertEquals(8080, a.port());
        assertEquals("10.0.0.1:8080", a.toString());
        assertEquals("255.255.255.255", SockAddr.formatAddress(-1));
        assertEquals(a, SockAddr.of("10.0.0.1", 8080));
        assertSame(SockAddr.ANY, SockAddr.of(0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.-4", "1.2.3.4 ",
        "0001.2.3.4", ".1.2.3"})
    void rejectsMalformedAddresses(String s) {
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parseAddress(s));
    }

    @Test
    void rejectsBadPorts() {
        assertThrows(IllegalArgumentException.class, () -> SockAddr.of(1, 65536));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.of(1, -1));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("1.2.3.4"));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("1.2.3.4:x"));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("1.2.3.4:70000"));
    }

    @Test
    void errnoNumbersAreLinuxAndUnique() {
        assertEquals(9, Errno.EBADF.number());
        assertEquals(111, Errno.ECONNREFUSED.number());
        assertSame(Errno.EWOULDBLOCK, Errno.EAGAIN);
        assertEquals(Errno.EMFILE, Errno.of(24));
        assertEquals(Errno.values().length,
                java.util.Arrays.stream(Errno.values()).mapToInt(Errno::number).distinct().count());
        ErrnoException e = new ErrnoException(Errno.EPIPE, "detail");
        assertEquals(Errno.EPIPE, e.errno());
        assertEquals("EPIPE: Broken pipe (detail)", e.getMessage());
    }

    @Test
    void tokenSetActsLikeFdSet() {
        TokenSet s = TokenSet.of(0, 5, 100);
        assertEquals(3, s.size());
        s.clear(5);
        assertEquals(false, s.isSet(5));
        assertEquals(true, s.isSet(0));
        assertEquals(false, s.isSet(-1));
        assertThrows(IllegalArgumentException.class, () -> s.set(-1));
        s.zero();
        assertEquals(0, s.size());
    }

    @Test
    void convertsJavaSocketAddressesBothWays() throws Exception {
        java.net.InetSocketAddress j = new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.1.2.3"), 8080);
        SockAddr a = SockAddr.of(j);
        assertEquals(SockAddr.of("10.1.2.3", 8080), a);
        assertEquals(j, a.toInetSocketAddress());
        assertEquals(SockAddr.ANY, SockAddr.of(new java.net.InetSocketAddress(0)), "the wildcard");
        assertEquals(SockAddr.of(0, 7), SockAddr.of(new java.net.InetSocketAddress(java.net.InetAddress.getByName("::"), 7)),
                "the IPv6 wildcard is any");
        assertEquals(0xc0a80001, SockAddr.addressOf(SockAddr.inetAddress(0xc0a80001)));
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.of(java.net.InetSocketAddress.createUnresolved("example.org", 80)));
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.of(new java.net.InetSocketAddress(java.net.InetAddress.getByName("::2"), 80)));
    }
}
