package org.hotline.sla;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.hotline.backbone.testing.EventSchemas;
import org.hotline.sla.messaging.SlaEventRouter;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SLA service skips, unread, every record whose type it does not list
 * ({@link SlaEventRouter#handles}); dispatch decides which of its events end a stage. The contract
 * between the two is docs/schemas: an event type whose schema has {@code stageEnded} (dispatch's
 * tests validate every event they publish against its schema, which refuses unknown fields) must
 * be read here, else its stage would breach falsely. A new stage-ending type fails this test until
 * the SLA service reads it.
 */
class StageEndingTypesTest {

    @Test
    void everyEventTypeThatCanEndAStageIsReadByTheSlaService() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> stageEnding = new TreeSet<>();
        try (Stream<Path> files = Files.list(EventSchemas.schemasDir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".schema.json")).toList()) {
                JsonNode schema = json.readTree(f.toFile());
                if (schema.path("properties").has("stageEnded")) {
                    stageEnding.add(f.getFileName().toString().replace(".schema.json", ""));
                }
            }
        }
        // the schemas are read at all: the stage-ending types of today are found among them
        assertTrue(stageEnding.containsAll(List.of("assignment.arrived", "assignment.created", "assignment.resolved",
                "caller.contacted", "ticket.taken")), stageEnding.toString());
        for (String type : stageEnding) {
            assertTrue(SlaEventRouter.handles(type), type + " can end a stage but the SLA service skips it unread");
        }
    }
}
