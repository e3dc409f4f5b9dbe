package org.hotline.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The system tests' brokers are formatted with a fresh cluster id each: one starting with '-' made
 * the storage tool fail ("argument --cluster-id/-t: expected one argument") and a whole CI run red.
 */
class KafkaClusterIdTest {

    @Test
    void aClusterIdIsTwentyTwoUrlSafeCharactersAndNeverStartsWithADash() {
        for (int i = 0; i < 20_000; i++) { // about 300 would start with '-' if nothing prevented it
            String id = KafkaProcess.base64Uuid();
            assertEquals(22, id.length(), id);
            assertFalse(id.startsWith("-"), id);
            assertFalse(id.contains("+") || id.contains("/") || id.contains("="), id);
        }
    }
}
