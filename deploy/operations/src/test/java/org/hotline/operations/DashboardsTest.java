package org.hotline.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Issue #15 item 1: the dashboards are code. Three of them (command-room wall, county supervisor,
 * operators) with zh-CN titles, the street and policy variables where SLA figures are shown, every
 * panel on the provisioned datasource, every query valid PromQL (promtool parses it) that reads
 * only recording rules or metrics the rules read (deploy's MonitoringSystemTest then runs each one
 * against a real Prometheus scraping the four services), and the committed JSON is what the
 * generator makes.
 */
class DashboardsTest {

    static final Path ROOT = Promtool.root();
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void threeDashboardsWithChineseTitlesOnTheProvisionedDatasource() throws Exception {
        JsonNode ds = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml").toFile());
        String uid = ds.at("/datasources/0/uid").asText();
        JsonNode provider = YAML.readTree(ROOT.resolve("deploy/grafana/provisioning/dashboards/hotline.yml").toFile());
        assertEquals("file", provider.at("/providers/0/type").asText());
        Set<String> uids = new HashSet<>();
        Set<String> titles = new TreeSet<>();
        for (Path f : Dashboards.files(ROOT)) {
            JsonNode d = JSON.readTree(f.toFile());
            assertTrue(uids.add(d.get("uid").asText()), "unique uid " + f);
            titles.add(d.get("title").asText());
            assertTrue(hasCjk(d.get("title").asText()), f + " title in Chinese");
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.get("panels")) {
                assertTrue(ids.add(p.get("id").asInt()), f + " panel ids unique");
                assertTrue(hasCjk(p.get("title").asText()), f + ": panel title in Chinese: " + p.get("title"));
                if (!"row".equals(p.get("type").asText())) {
                    assertEquals(uid, p.at("/datasource/uid").asText(), p.get("title").asText());
                    assertFalse(p.get("targets").isEmpty(), p.get("title").asText());
                    JsonNode pos = p.get("gridPos");
                    assertTrue(pos.get("x").asInt() + pos.get("w").asInt() <= 24, p.get("title") + " fits the grid");
                }
            }
        }
        assertEquals(Set.of("hotline-wall", "hotline-county", "hotline-operators"), uids);
        assertEquals(3, titles.size());
    }

    @Test
    void slaDashboardsFilterByStreetAndPolicy() throws Exception {
        for (String name : List.of("command-room-wall", "county-supervisor")) {
            JsonNode d = JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/" + name + ".json").toFile());
            List<String> vars = new ArrayList<>();
            d.at("/templating/list").forEach(v -> vars.add(v.get("name").asText()));
            assertEquals(List.of("street", "policy"), vars, name);
            // every on-time and breach panel honours both variables
            for (Dashboards.Query q : Dashboards.queries(ROOT)) {
                if (q.expr().contains("hotline:sla_stage_outcome:count") || q.expr().contains("hotline:sla_breaches")) {
                    assertTrue(q.expr().contains("$street") && q.expr().contains("$policy"), q.panel() + ": " + q.expr());
                }
            }
        }
    }

    @Test
    void issueFiguresAreAllCharted() throws Exception {
        String all = String.join("\n", Dashboards.queries(ROOT).stream().map(q -> q.panel() + " " + q.expr()).toList());
        for (String figure : List.of("响应率", "按时办结率", "满意率", "重复来电率", "各阶段按时率", "按政策", "超时 按街道",
                "超时 按单位类型", "超时 按政策", "在办工单 按阶段", "升级", "通知失败", "死信通知", "Kafka 消费积压",
                "发件箱最早等待事件", "计时器触发延迟 p99", "计时器触发延迟分布", "堆内存", "HTTP", "数据库连接池")) {
            assertTrue(all.contains(figure), "no panel for " + figure);
        }
    }

    @Test
    void everyQueryIsValidPromqlOverRecordedOrRuleReadMetrics() throws Exception {
        // the names a query may read: the recording rules, and the raw metrics the rules themselves read
        // (which MonitoringSystemTest finds on the services' /q/metrics)
        Set<String> recorded = new TreeSet<>();
        Set<String> raw = new TreeSet<>();
        for (String file : List.of("recording.yml", "alerts.yml")) {
            for (JsonNode g : YAML.readTree(ROOT.resolve("deploy/prometheus/rules/" + file).toFile()).get("groups")) {
                for (JsonNode r : g.get("rules")) {
                    if (r.has("record")) {
                        recorded.add(r.get("record").asText());
                    }
                    raw.addAll(Dashboards.metricNames(r.get("expr").asText()));
                }
            }
        }
        raw.removeAll(recorded);
        assertTrue(raw.contains("sla_stage_outcome_total") && raw.contains("hotline_outbox_oldest_waiting_seconds"), raw.toString());

        List<Dashboards.Query> queries = Dashboards.queries(ROOT);
        assertTrue(queries.size() >= 40, "queries: " + queries.size());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int i = 0;
        for (Dashboards.Query q : queries) {
            Set<String> names = Dashboards.metricNames(q.resolved());
            assertFalse(names.isEmpty(), q.panel() + ": " + q.expr());
            for (String n : names) {
                assertTrue(recorded.contains(n) || raw.contains(n),
                        q.dashboard() + " / " + q.panel() + " reads " + n + ", neither recorded nor read by a rule");
            }
            rules.append("      - record: dashboard:query_").append(i++).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(q.resolved())).append('\n');
        }
        // promtool parses each query as the expression of a rule: a syntax error fails here
        Path tmp = Files.createTempFile("dashboard-queries", ".yml");
        try {
            Files.writeString(tmp, rules);
            Promtool.Result r = Promtool.run(tmp.getParent(), "check", "rules", tmp.toString());
            assertEquals(0, r.exit(), r.output());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    void theCommittedJsonIsTheGeneratorsOutput() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            return; // the generator is a convenience; the checks above hold either way
        }
        Process p = new ProcessBuilder(python.toString(), "deploy/grafana/generate.py", "--check")
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    static boolean hasCjk(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }
}
