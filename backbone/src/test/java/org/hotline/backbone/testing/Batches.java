package org.hotline.backbone.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Records sent the way a batch consumer should meet them: in one producer flush, so the consumer
 * usually polls them as one batch (tests of backbone's BatchInbox in the services).
 */
public final class Batches {

    /** A record as an outbox relay writes it ({@code ce_type} header), or without the header (type null). */
    public record Out(String type, String value) {
    }

    private Batches() {
    }

    /** A record with its own key (records of many tickets in one flush). */
    public record Keyed(String key, String type, String value) {
    }

    public static void sendTogether(String bootstrap, String topic, String key, List<Out> records) {
        sendTogether(bootstrap, topic, records.stream().map(o -> new Keyed(key, o.type(), o.value())).toList());
    }

    /** Each record keyed as the producers key them (a ticket's events by ticket id), in one flush. */
    public static void sendTogether(String bootstrap, String topic, List<Keyed> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Keyed o : records) {
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, o.key(), o.value());
                if (o.type() != null) {
                    r.headers().add("ce_type", o.type().getBytes(StandardCharsets.UTF_8));
                }
                producer.send(r);
            }
            producer.flush();
        }
    }
}
