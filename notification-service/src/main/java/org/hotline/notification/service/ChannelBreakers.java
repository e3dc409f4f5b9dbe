package org.hotline.notification.service;

import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One circuit breaker per channel, from SmallRye Fault Tolerance's programmatic {@link Guard} API
 * (the annotations cannot key a breaker by a runtime value; a Guard per channel can). A channel
 * whose receiver keeps failing is left alone for {@code notification.breaker.delay}: the worker
 * does not claim its rows meanwhile (they keep their attempts), then one trial call decides.
 * 4xx refusals ({@link PermanentDeliveryException}) do not count as failures of the receiver.
 */
@ApplicationScoped
public class ChannelBreakers {

    private static final Logger LOG = Logger.getLogger(ChannelBreakers.class);

    private final Map<Channel, Guard> guards = new EnumMap<>(Channel.class);
    private final Map<Channel, CircuitBreakerState> states = new ConcurrentHashMap<>();
    /** When an open breaker lets a trial call through (System.nanoTime: the breaker uses real time too). */
    private final Map<Channel, Long> openUntil = new ConcurrentHashMap<>();
    private final long delayNanos;

    public ChannelBreakers(NotificationConfig config, MeterRegistry registry) {
        NotificationConfig.Breaker b = config.breaker();
        this.delayNanos = b.delay().toNanos();
        for (Channel c : Channel.values()) {
            states.put(c, CircuitBreakerState.CLOSED);
            guards.put(c, Guard.create().withDescription("notification channel " + c)
                    .withCircuitBreaker()
                    .name(name(c))
                    .requestVolumeThreshold(b.requestVolumeThreshold())
                    .failureRatio(b.failureRatio())
                    .delay(b.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(b.successThreshold())
                    .skipOn(PermanentDeliveryException.class)
                    .onStateChange(s -> changed(c, s))
                    .done()
                    .build());
            Gauge.builder("notification.breaker.open", () -> states.get(c) == CircuitBreakerState.CLOSED ? 0 : 1)
                    .description("1 while the channel's circuit breaker is open or half-open").tag("channel", c.name())
                    .register(registry);
        }
    }

    static String name(Channel c) {
        return "notification-" + c.name().toLowerCase();
    }

    private void changed(Channel c, CircuitBreakerState s) {
        states.put(c, s);
        if (s == CircuitBreakerState.OPEN) {
            openUntil.put(c, System.nanoTime() + delayNanos);
            LOG.warnf("circuit breaker of channel %s opened: no calls for %d ms", c, delayNanos / 1_000_000);
        } else {
            openUntil.remove(c);
            LOG.infof("circuit breaker of channel %s is %s", c, s);
        }
    }

    /** Calls the sender through the channel's breaker; CircuitBreakerOpenException when it is open. */
    public void send(ChannelSender sender, Delivery d) throws Exception {
        guards.get(sender.channel()).call(() -> {
            sender.send(d);
            return null;
        }, Void.class);
    }

    /** False while the breaker is open and its delay has not passed: the worker leaves the channel's rows alone. */
    public boolean callable(Channel c) {
        Long until = openUntil.get(c);
        return until == null || System.nanoTime() - until >= 0;
    }

    public CircuitBreakerState state(Channel c) {
        return states.get(c);
    }

    /** Closes every breaker (operations; tests start each case from closed breakers). */
    public void resetAll() {
        for (Channel c : Channel.values()) {
            CircuitBreakerMaintenance.get().reset(name(c));
            states.put(c, CircuitBreakerState.CLOSED);
            openUntil.remove(c);
        }
    }
}
