package netkit.soak;

import java.io.IOException;
import java.util.Set;
import netkit.api.spi.link.Link;
import netkit.api.spi.link.LinkConfig;
import netkit.api.spi.link.LinkDriver;
import netkit.api.spi.link.LinkReceiver;

/** Another driver (by name) for the same wire segments: swapping to it changes the interface's driver. */
final class AliasDriver implements LinkDriver {
    private final String name;
    private final LinkDriver inner;

    AliasDriver(String name, LinkDriver inner) {
        this.name = name;
        this.inner = inner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> parameterKeys() {
        return inner.parameterKeys();
    }

    @Override
    public Link open(LinkConfig config, LinkReceiver receiver) throws IOException {
        return inner.open(config, receiver);
    }
}
