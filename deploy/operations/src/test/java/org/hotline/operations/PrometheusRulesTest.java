package org.hotline.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Issue #15 item 2: deploy/prometheus is what Prometheus loads. promtool accepts the scrape
 * configuration and every rule file, the rules' own unit tests pass (each alert fires when an
 * operator should act and not otherwise), and every alert carries a runbook section that exists.
 */
class PrometheusRulesTest {

    static final Path DIR = Promtool.root().resolve("deploy/prometheus");

    @Test
    void promtoolAcceptsTheScrapeConfigurationAndItsRuleFiles() throws Exception {
        Promtool.Result r = Promtool.run(DIR, "check", "config", "prometheus.yml");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("2 rule files found"), r.output());
    }

    @Test
    void promtoolAcceptsEveryRuleFileWithoutLintWarnings() throws Exception {
        try (Stream<Path> files = Files.list(DIR.resolve("rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                Promtool.Result r = Promtool.run(DIR, "check", "rules", "--lint=all", "--lint-fatal",
                        DIR.relativize(f).toString());
                assertEquals(0, r.exit(), f + ":\n" + r.output());
            }
        }
    }

    @Test
    void theRulesUnitTestsPass() throws Exception {
        try (Stream<Path> files = Files.list(DIR.resolve("tests"))) {
            List<String> tests = files.filter(p -> p.toString().endsWith("_test.yml")).sorted()
                    .map(p -> DIR.relativize(p).toString()).toList();
            assertTrue(tests.size() >= 2, "recording and alert rule tests: " + tests);
            String[] args = Stream.concat(Stream.of("test", "rules"), tests.stream()).toArray(String[]::new);
            Promtool.Result r = Promtool.run(DIR, args);
            assertEquals(0, r.exit(), r.output());
        }
    }

    @Test
    void everyServiceIsScrapedOnItsMetricsPath() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("prometheus.yml").toFile());
        Map<String, String> expected = Map.of("intake-service", "8101", "dispatch-service", "8102",
                "sla-timer-service", "8103", "notification-service", "8104");
        assertEquals(expected.size(), config.get("scrape_configs").size());
        for (JsonNode job : config.get("scrape_configs")) {
            String name = job.get("job_name").asText();
            assertTrue(expected.containsKey(name), name);
            assertEquals("/q/metrics", job.get("metrics_path").asText(), name);
            JsonNode target = job.get("static_configs").get(0);
            assertEquals("127.0.0.1:" + expected.get(name), target.get("targets").get(0).asText());
            assertEquals(name, target.get("labels").get("service").asText(), "the label the rules group by");
        }
    }

    @Test
    void everyAlertHasSeverityTextAndARunbookSectionThatExists() throws Exception {
        JsonNode alerts = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("rules/alerts.yml").toFile());
        String operations = Files.readString(Promtool.root().resolve("docs/operations.md"));
        int count = 0;
        for (JsonNode group : alerts.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.get("alert").asText();
                count++;
                assertTrue(List.of("warning", "critical").contains(rule.at("/labels/severity").asText()), name);
                assertTrue(rule.at("/annotations/summary").asText().length() > 5, name + " summary");
                assertTrue(rule.at("/annotations/description").asText().length() > 20, name + " description");
                String runbook = rule.at("/annotations/runbook_url").asText();
                assertEquals("docs/operations.md#" + name.toLowerCase(), runbook, name);
                // the section heading is the alert's name (GitHub's anchor: lower case)
                Matcher heading = Pattern.compile("(?m)^#{2,4} .*`?" + name + "`?\\s*$").matcher(operations);
                assertTrue(heading.find(), "docs/operations.md has no section for " + name);
            }
        }
        // the issue's list: on-time rate, breach burst, consumer lag, outbox, timer lateness, dead notifications, down
        assertTrue(count >= 7, "alerts: " + count);
    }
}
