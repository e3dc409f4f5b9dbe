package org.hotline.backbone.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;

/**
 * A batch as the Kafka connector would hand it to a batch consumer (records of one partition,
 * offsets 0, 1, ...), recording what the consumer then tells the connector: the offsets it
 * acknowledged (to be committed) and those it dead-lettered. For tests of backbone's BatchInbox.
 */
public final class PolledBatch implements KafkaCommitHandler, KafkaFailureHandler {

    public final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    public final List<Long> deadLettered = new CopyOnWriteArrayList<>();
    private final IncomingKafkaRecordBatch<String, String> batch;

    /** The values, all keyed by {@code key} (may be null), on partition 0 of {@code topic}. */
    public static PolledBatch of(String topic, String key, List<String> values) {
        return keyed(topic, values.stream().map(v -> new String[] {key, v}).toList());
    }

    /** Records given as {key, value}, on partition 0 of {@code topic}. */
    public static PolledBatch keyed(String topic, List<String[]> keyedValues) {
        return new PolledBatch(topic, keyedValues);
    }

    private PolledBatch(String topic, List<String[]> keyedValues) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String[] kv : keyedValues) {
            records.add(new ConsumerRecord<>(topic, 0, records.size(), kv[0], kv[1]));
        }
        batch = new IncomingKafkaRecordBatch<>(new ConsumerRecords<>(Map.of(tp, records)), topic, 0, this, this,
                false, false);
    }

    public IncomingKafkaRecordBatch<String, String> batch() {
        return batch;
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        acknowledged.add(record.getOffset());
        return Uni.createFrom().voidItem();
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
        deadLettered.add(record.getOffset());
        return Uni.createFrom().voidItem();
    }
}
