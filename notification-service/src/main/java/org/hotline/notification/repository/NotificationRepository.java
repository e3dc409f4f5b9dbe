package org.hotline.notification.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** The notification rows: the API's reads, the console's, and the delivery worker's claims and leases. */
@ApplicationScoped
public class NotificationRepository implements PanacheRepositoryBase<Notification, UUID> {

    private static final List<DeliveryStatus> OPEN = List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING);

    /** Any of the filters may be null; {@code recipient} limits a field member to his own messages. */
    public List<Notification> search(UUID ticketId, DeliveryStatus status, String street, String recipient, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (ticketId != null) {
            q.append(" and ticketId = :ticket");
            p.and("ticket", ticketId);
        }
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (street != null) {
            q.append(" and street = :street");
            p.and("street", street);
        }
        if (recipient != null) {
            q.append(" and recipient = :recipient");
            p.and("recipient", recipient);
        }
        // one ticket: its story, oldest first; a status or street: the latest first
        String order = ticketId != null ? " order by seq" : " order by seq desc";
        return find(q + order, p).page(Page.ofSize(limit)).list();
    }

    /** The CONSOLE rows an event made, in the order they were written. */
    public List<Notification> consoleRowsOf(String eventId) {
        return list("eventId = ?1 and channel = ?2 order by createdAt", eventId, Channel.CONSOLE);
    }

    /**
     * Due rows of these channels, at most {@code limit}, locked and skipped by other claimers. A row
     * waits while an earlier open row (lower seq) of the same ticket, recipient and channel exists.
     */
    @SuppressWarnings("unchecked")
    public List<UUID> lockDue(Instant now, List<String> channels, int limit) {
        return getEntityManager().createNativeQuery("""
                select n.id from notification n
                 where n.status in ('PENDING', 'RETRYING') and n.next_attempt_at <= :now and n.channel in (:channels)
                   and not exists (select 1 from notification e
                                    where e.ticket_id = n.ticket_id and e.recipient = n.recipient
                                      and e.channel = n.channel and e.status in ('PENDING', 'RETRYING')
                                      and e.seq < n.seq)
                 order by n.next_attempt_at, n.seq
                 limit :batch
                 for update of n skip locked""")
                .setParameter("now", now).setParameter("channels", channels)
                .setParameter("batch", limit).getResultList();
    }

    /** Marks the rows as this claim's ({@code token}) until {@code lease}. */
    public void lease(List<UUID> ids, UUID token, Instant lease) {
        update("nextAttemptAt = ?1, claimToken = ?2 where id in ?3", lease, token, ids);
    }

    /** Moves the lease of an open row still held by this claim; false when it is not (sent, dead, re-claimed). */
    public boolean renewLease(UUID id, UUID token, Instant lease) {
        return update("nextAttemptAt = ?1 where id = ?2 and claimToken = ?3 and status in ?4", lease, id, token, OPEN) > 0;
    }

    /** The row, locked for writing its outcome. */
    public Notification lockedById(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The earliest next attempt of an open row after {@code now}; null when none waits. */
    public Instant nextAttemptAfter(Instant now) {
        return getEntityManager().createQuery(
                "select min(n.nextAttemptAt) from Notification n where n.status in :open and n.nextAttemptAt > :now",
                Instant.class).setParameter("open", OPEN).setParameter("now", now).getSingleResult();
    }
}
