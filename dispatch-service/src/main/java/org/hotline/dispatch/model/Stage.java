package org.hotline.dispatch.model;

/** Where a ticket stands in the command room's queue. */
public enum Stage {
    NEW, TAKEN, DISPATCHED, ON_SCENE, RESOLVED, CANCELLED
}
