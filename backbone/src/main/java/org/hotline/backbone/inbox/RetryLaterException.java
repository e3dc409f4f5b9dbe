package org.hotline.backbone.inbox;

/**
 * The event is valid but cannot be applied yet (e.g. it arrived before the event it depends on,
 * on another topic). The inbox retries it, without limit, with capped backoff.
 */
public class RetryLaterException extends RuntimeException {
    public RetryLaterException(String message) {
        super(message);
    }
}
