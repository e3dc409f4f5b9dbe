package org.hotline.backbone.event;

/**
 * A record that can never be processed, whatever the retries: malformed JSON, a missing envelope
 * field, data that does not map. The consumer's failure strategy sends it to the dead-letter topic
 * with this message as the reason, and the consumer carries on.
 */
public class PoisonEventException extends RuntimeException {
    public PoisonEventException(String reason) {
        super(reason);
    }

    public PoisonEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
