package org.hotline.dispatch.service;

import java.util.UUID;

/** Fired in a transaction that changed a ticket; consoles hear of it after commit. */
public record QueueChanged(UUID ticketId, String street) {
}
