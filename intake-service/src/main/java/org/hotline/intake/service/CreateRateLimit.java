package org.hotline.intake.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.jboss.logging.Logger;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-user rate limit on ticket creation over REST ({@code intake.rate-limit.*}): one bucket4j
 * token bucket per token user, in this replica's memory (N replicas behind a balancer allow up to
 * N times the rate; enough against a runaway script, not an exact quota). At most
 * {@code max-clients} buckets are held; the least recently used one is dropped beyond that, which
 * only ever gives its user a fresh, full bucket.
 */
@ApplicationScoped
public class CreateRateLimit {

    private static final Logger LOG = Logger.getLogger(CreateRateLimit.class);

    private final IntakeConfig.RateLimit config;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets;

    public CreateRateLimit(IntakeConfig config, Clock clock) {
        this.config = config.rateLimit();
        // bucket time from the injected clock, like every other time in the service
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        int max = this.config.maxClients();
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > max;
            }
        };
    }

    /** Takes one create from {@code user}'s bucket, or refuses with 429 and Retry-After (seconds). */
    public void acquire(String user) {
        if (!config.enabled()) {
            return;
        }
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(user, u -> newBucket());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
            LOG.infof("ticket creation by %s refused: over %d per minute (retry in %d s)", user,
                    config.refillPerMinute(), seconds);
            throw ProblemException.tooManyRequests("too many tickets created by " + user + ": at most "
                    + config.capacity() + " at once and " + config.refillPerMinute() + " per minute", seconds);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(l -> l.capacity(config.capacity()).refillGreedy(config.refillPerMinute(), Duration.ofMinutes(1)))
                .withCustomTimePrecision(time).build();
    }
}
