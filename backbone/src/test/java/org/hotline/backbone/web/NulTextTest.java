package org.hotline.backbone.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** PostgreSQL cannot store U+0000: every service refuses it at the door, naming where it was. */
class NulTextTest {

    record Caller(String name, List<String> aliases) {
    }

    record Report(Caller caller, String description) {
    }

    static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper();
        new NulText().customize(m);
        return m;
    }

    @Test
    void aJsonStringWithANulIsRefusedWithItsPath() {
        ObjectMapper m = mapper();
        JsonMappingException e = assertThrows(NulText.NulException.class,
                () -> m.readValue("{\"caller\":{\"name\":\"张\\u0000三\"},\"description\":\"x\"}", Report.class));
        assertEquals("caller.name", e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                .reduce((a, b) -> a + "." + b).orElse(""));
        assertTrue(e.getOriginalMessage().contains("U+0000"), e.getOriginalMessage());
        assertThrows(NulText.NulException.class,
                () -> m.readValue("{\"caller\":{\"name\":\"a\",\"aliases\":[\"ok\",\"b\\u0000\"]}}", Report.class));
        assertThrows(NulText.NulException.class, () -> m.copy().readValue("{\"description\":\"\\u0000\"}", Report.class));
    }

    @Test
    void otherTextStillReads() throws Exception {
        Report r = mapper().readValue("{\"caller\":{\"name\":\"张三\",\"aliases\":[\"a\"]},\"description\":\"tab\\there \\u0001\"}",
                Report.class);
        assertEquals("张三", r.caller().name());
        assertEquals("tab\there \u0001", r.description());
        assertNull(mapper().readValue("{\"description\":null}", Report.class).description());
    }

    @Test
    void aNulInTheQueryPathOrAHeaderIsNamed() {
        List<Map.Entry<String, String>> none = List.of();
        assertEquals("street", NulText.offendingPart("/api/tickets", "size=5&street=wu%00kang", none));
        assertEquals("street", NulText.offendingPart("/api/tickets", "street=wu%00", none));
        assertEquals("path", NulText.offendingPart("/api/categories/NO%00ISE", null, none));
        assertEquals("Idempotency-Key", NulText.offendingPart("/api/tickets", null,
                List.of(Map.entry("Accept", "*/*"), Map.entry("Idempotency-Key", "k\0"))));
        assertNull(NulText.offendingPart("/api/tickets", "street=wukang&size=100%25", none));
        assertNull(NulText.offendingPart("/api/tickets", "street=%zz", none), "malformed encoding is the resource's business");
    }

    @Test
    void theDatabasesOwnRefusalIsRecognisedThroughWrappers() {
        SQLException pg = new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        assertTrue(NulText.refusedByTheDatabase(new RuntimeException("tx", new IllegalStateException(pg))));
        RuntimeException suppressing = new RuntimeException("rollback");
        suppressing.addSuppressed(new RuntimeException(pg));
        assertTrue(NulText.refusedByTheDatabase(suppressing));
        assertTrue(!NulText.refusedByTheDatabase(new SQLException("deadlock", "40P01")));
    }
}
