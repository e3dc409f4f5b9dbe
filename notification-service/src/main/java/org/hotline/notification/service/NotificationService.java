package org.hotline.notification.service;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.messaging.AssignmentCreated;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Decides who is told what. The walking skeleton tells the assigned unit on the console channel. */
@ApplicationScoped
public class NotificationService {

    private final Clock clock;

    public NotificationService(Clock clock) {
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onAssignmentCreated(String eventId, AssignmentCreated a) {
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.ticketId = a.ticketId();
        n.eventId = eventId;
        n.eventType = "assignment.created";
        n.recipient = "unit:" + a.unitId();
        n.channel = Channel.CONSOLE;
        // 【派单】{街道}{类别}：{地址}
        n.text = "【派单】" + a.street() + " " + a.category() + "：" + a.address() + "（" + a.unitName()
                + ("LEAD".equals(a.role()) ? "，主办" : "，协办") + "）";
        n.status = DeliveryStatus.PENDING;
        n.createdAt = clock.instant();
        n.persist();
    }

    public List<Notification> forTicket(UUID ticketId) {
        return Notification.list("ticketId = ?1 order by createdAt", ticketId);
    }
}
