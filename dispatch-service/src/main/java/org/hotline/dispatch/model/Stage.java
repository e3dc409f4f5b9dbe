package org.hotline.dispatch.model;

/**
 * Where a ticket stands in the command room's queue. The queue shows NEW..RESOLVED; CLOSED and
 * CANCELLED tickets have left it.
 */
public enum Stage {
    NEW, TAKEN, DISPATCHED, ON_SCENE, RESOLVED, CLOSED, CANCELLED;

    public boolean open() {
        return this != CLOSED && this != CANCELLED;
    }
}
