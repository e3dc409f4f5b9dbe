package org.hotline.notification.delivery;

import java.util.concurrent.atomic.AtomicInteger;

import org.hotline.notification.rest.NotificationView;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The live side of the CONSOLE channel: every console notification this instance delivers is
 * broadcast to the command-room screens subscribed to its street (SSE). A screen that connects
 * later reads what it missed from GET /api/notifications?street=.
 */
@ApplicationScoped
public class ConsoleHub {

    private final BroadcastProcessor<NotificationView> processor = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();

    public ConsoleHub(MeterRegistry registry) {
        Gauge.builder("notification.console.subscribers", subscribers, AtomicInteger::get)
                .description("Command-room screens connected to the console stream").register(registry);
    }

    /** Called from several worker threads: serialised, as Reactive Streams requires. */
    public synchronized void publish(NotificationView view) {
        processor.onNext(view);
    }

    public Multi<NotificationView> stream(String street) {
        return processor.filter(v -> street == null || street.equals(v.street()))
                .onSubscription().invoke(s -> subscribers.incrementAndGet())
                .onTermination().invoke(subscribers::decrementAndGet);
    }

    /** Screens connected now. */
    public int subscribers() {
        return subscribers.get();
    }
}
