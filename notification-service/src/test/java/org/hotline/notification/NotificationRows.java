package org.hotline.notification;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** The notification rows as the tests read them, and the wait for delivery to settle. */
final class NotificationRows {

    private NotificationRows() {
    }

    /** The ticket's rows, in order. */
    static List<Notification> rows(String ticket) {
        return QuarkusTransaction.requiringNew().call(
                () -> Notification.<Notification>list("ticketId = ?1 order by seq", UUID.fromString(ticket)));
    }

    static List<Notification> rows(String ticket, DeliveryStatus status) {
        return rows(ticket).stream().filter(n -> n.status == status).toList();
    }

    /** Nothing left to deliver, so one test's retries never run into the next. */
    static void awaitQuiet() {
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> Notification.count("status in ?1", List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING))) == 0);
    }
}
