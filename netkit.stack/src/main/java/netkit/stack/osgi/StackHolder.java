package netkit.stack.osgi;

import netkit.stack.Stack;

/** Bundle-internal service giving the other components of this bundle the running stack. */
public interface StackHolder {
    /** The stack. */
    Stack stack();
}
