package org.hotline.backbone.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The JSON Schemas and example documents that docs/events.md lists, read from docs/schemas in the
 * repository: producers' tests validate what they published against them and consumers' tests
 * feed the same examples, so the docs cannot drift from the code.
 */
public final class EventSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private EventSchemas() {
    }

    public static Path schemasDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs/schemas");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("docs/schemas not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Validates a published event: the envelope against cloudevent.schema.json and its data
     * against {@code <type>.schema.json}. Returns the violations, empty when valid.
     */
    public static Set<String> violations(String eventJson) {
        JsonNode event = read(eventJson);
        Set<String> out = validate("cloudevent", event);
        String type = event.path("type").asText();
        Path dataSchema = schemasDir().resolve(type + ".schema.json");
        if (!Files.exists(dataSchema)) {
            return Set.of("no schema documented for event type '" + type + "' (" + dataSchema + ")");
        }
        out.addAll(validate(type, event.path("data")));
        return out;
    }

    /** Validates any document against {@code <name>.schema.json}. */
    public static Set<String> validate(String name, JsonNode document) {
        try (InputStream in = Files.newInputStream(schemasDir().resolve(name + ".schema.json"))) {
            JsonSchema schema = FACTORY.getSchema(in);
            Set<ValidationMessage> messages = schema.validate(document);
            return messages.stream().map(m -> name + ": " + m.getMessage()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read schema " + name, e);
        }
    }

    /** An example document from docs/schemas/examples, as text. */
    public static String example(String fileName) {
        try {
            return Files.readString(schemasDir().resolve("examples").resolve(fileName));
        } catch (IOException e) {
            throw new IllegalStateException("no example " + fileName, e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
