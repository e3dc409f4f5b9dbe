package org.hotline.system;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hotline.system.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotline.backbone.testing.TestInfra;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/**
 * Issue #15 item 3: the four services and a real Prometheus (Debian's /usr/bin/prometheus, with
 * deploy/prometheus' rules) scraping them every second. After a short scenario (stages met and
 * breached, a repeat report, a satisfied and a dissatisfied follow-up, notifications that fail to a
 * dead webhook) every panel query of every dashboard in deploy/grafana returns series without
 * error, and the 三率, the repeat-call rate and the per-stage on-time figures Prometheus reports
 * equal a recount from the services' databases, to the ticket.
 */
class MonitoringSystemTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static String database;
    /** A broker of its own: the counters must see this scenario only (TestInfra.startBroker). */
    static KafkaClusterTestKit broker;
    static final List<ServiceProcess> services = new ArrayList<>();
    static ServiceProcess intake;
    static ServiceProcess dispatch;
    static ServiceProcess sla;
    static ServiceProcess notification;
    static Process prometheus;
    static String prometheusUrl;
    static Path promDir;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " missing: apt-get install prometheus (.ci/run does)");
        database = TestInfra.createDatabase("hl_monitoring");
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", (broker = TestInfra.startBroker()).bootstrapServers(), "DB_HOST",
                TestInfra.pgHost(), "DB_PORT", String.valueOf(TestInfra.pgPort()), "DB_NAME", database, "DB_USER",
                TestInfra.pgUser(), "DB_PASSWORD", TestInfra.pgPassword(), "HOTLINE_DEMO_DATA", "true");
        intake = new ServiceProcess("intake-service", env).start(Map.of());
        dispatch = new ServiceProcess("dispatch-service", env).start(Map.of());
        sla = new ServiceProcess("sla-timer-service", env).start(Map.of());
        // the webhook provider is down (nothing listens): its deliveries fail, then go dead after two tries
        notification = new ServiceProcess("notification-service", env).start(Map.of("NOTIFICATION_WEBHOOK_URL",
                "http://127.0.0.1:" + freePort() + "/hook", "NOTIFICATION_DELIVERY_MAX_ATTEMPTS", "2",
                "NOTIFICATION_DELIVERY_BASE_DELAY", "200ms"));
        services.addAll(List.of(intake, dispatch, sla, notification));
        startPrometheus();
        for (ServiceProcess p : services) {
            p.awaitReady();
        }
    }

    static void startPrometheus() throws IOException {
        Path rules = ServiceProcess.root().resolve("deploy/prometheus/rules");
        promDir = Files.createTempDirectory("hl-prometheus");
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                  - %s
                scrape_configs:
                """.formatted(rules.resolve("recording.yml"), rules.resolve("alerts.yml")));
        for (ServiceProcess s : services) {
            config.append("""
                      - job_name: %s
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                            labels: {service: %s}
                    """.formatted(s.name, s.port, s.name));
        }
        Files.writeString(promDir.resolve("prometheus.yml"), config);
        int port = freePort();
        prometheusUrl = "http://127.0.0.1:" + port;
        Path logs = ServiceProcess.root().resolve("deploy/target/system-logs");
        Files.createDirectories(logs);
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + promDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs.toFile(), "prometheus.log"))).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
        ServiceProcess.stopAll(services);
        if (database != null) {
            TestInfra.dropDatabase(database);
        }
        if (broker != null) {
            TestInfra.close(broker, Duration.ofSeconds(30));
        }
        if (promDir != null) {
            try (Stream<Path> s = Files.walk(promDir)) {
                s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void everyDashboardPanelHasDataAndTheRatesEqualTheDatabasesRecount() throws Exception {
        // a ticket reported 4 minutes ago: RESPOND (1 min) and DISPATCH_CONTACT (3 min) are breached at
        // once and escalated, ON_SCENE (8 min, whose ladder would re-dispatch) and RESOLVE are met; its
        // caller is dissatisfied at the follow-up (the ticket reopens)
        String late = postTicket("13900002201", "wukang-03", Instant.now().minus(4, ChronoUnit.MINUTES));
        // a ticket the command room handles at once: every stage met; its caller is satisfied
        String prompt = postTicket("13900002202", "wukang-01", null);
        for (String id : List.of(late, prompt)) {
            workThrough(id);
        }
        // the same caller again about the open ticket: a repeat report (重复件), no second dispatch
        given().baseUri(intake.url()).contentType(ContentType.JSON).body(ticketJson("13900002202", "wukang-01", null))
                .post("/api/tickets").then().statusCode(200).body("outcome", equalTo("REPEAT"));
        followUp(prompt, "SATISFIED");
        followUp(late, "DISSATISFIED");

        // Prometheus' counts reach the databases' (scraped every second, rules evaluated every second)
        await("Prometheus' counts equal the databases'").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertEquals(show(recountStages()), show(promStages()));
                    assertEquals(recountFollowUps(), promFollowUps());
                    assertEquals(recountReports(), promReports());
                });
        Map<String, long[]> stages = recountStages();
        assertEquals(4, stages.size(), "every stage decided at least once: " + stages.keySet());
        assertTrue(stages.get("RESPOND")[0] < stages.get("RESPOND")[1], "some stages breached");
        assertTrue(stages.get("RESOLVE")[0] > 0, "some stages met");

        // every panel query of every dashboard: no error, at least one series
        List<String> failures = new ArrayList<>();
        Map<String, Double> figures = new TreeMap<>();
        for (Path f : dashboards()) {
            JsonNode d = JSON.readTree(f.toFile());
            for (JsonNode panel : d.get("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.get("expr").asText().replace("$street", ".*").replace("$policy", ".*")
                            .replace("$__range", "1h");
                    String where = d.get("title").asText() + " / " + panel.get("title").asText();
                    try {
                        JsonNode result = awaitSeries(expr);
                        if (result.size() == 1 && panel.get("type").asText().equals("stat")) {
                            figures.putIfAbsent(d.get("uid").asText() + ":" + panel.get("title").asText(),
                                    result.get(0).at("/value/1").asDouble());
                        }
                        if (panel.get("title").asText().equals("各阶段按时率")) {
                            for (JsonNode series : result) {
                                figures.put("stage:" + series.at("/metric/stage").asText(),
                                        series.at("/value/1").asDouble());
                            }
                        }
                    } catch (AssertionError | Exception e) {
                        failures.add(where + ": " + e.getMessage() + "\n    " + expr);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), "panels without data or with errors:\n" + String.join("\n", failures));

        // the figures the panels show are the databases' recount, to the ticket
        for (String board : List.of("hotline-wall", "hotline-county")) {
            assertEquals(ratio(stages.get("RESPOND")), figures.get(board + ":响应率"), 1e-9, board + " 响应率");
            assertEquals(ratio(stages.get("RESOLVE")), figures.get(board + ":按时办结率"), 1e-9, board + " 按时办结率");
            assertEquals(ratio(recountFollowUps().get("satisfied"), recountFollowUps().get("reached")),
                    figures.get(board + ":满意率"), 1e-9, board + " 满意率");
            Map<String, Long> reports = recountReports();
            assertEquals(ratio(reports.get("repeat"), reports.get("repeat") + reports.get("ticket")),
                    figures.get(board + ":重复来电率"), 1e-9, board + " 重复来电率");
        }
        for (Map.Entry<String, long[]> e : stages.entrySet()) {
            assertEquals(ratio(e.getValue()), figures.get("stage:" + e.getKey()), 1e-9, "on-time rate of " + e.getKey());
        }
    }

    // ---------------------------------------------------------------- the scenario

    static String ticketJson(String phone, String grid, Instant reportedAt) {
        return """
                {"source":"HOTLINE_12345","caller":{"name":"王五","phone":"%s"},
                 "location":{"address":"武康街道英溪北路 %s 号","latitude":%s,"longitude":119.9676,"street":"wukang","grid":"%s"},
                 "category":"NOISE","complexity":"SIMPLE","description":"深夜装修噪音"%s}
                """.formatted(phone, phone.substring(9), grid.endsWith("01") ? "30.5502" : "30.5391", grid,
                reportedAt == null ? "" : ",\"reportedAt\":\"" + reportedAt.truncatedTo(ChronoUnit.SECONDS) + "\"");
    }

    static String postTicket(String phone, String grid, Instant reportedAt) {
        return given().baseUri(intake.url()).contentType(ContentType.JSON).body(ticketJson(phone, grid, reportedAt))
                .post("/api/tickets").then().statusCode(201).extract().path("id");
    }

    /** The command room takes it and calls the caller; the lead unit acknowledges, arrives and resolves. */
    static void workThrough(String id) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(dispatch.url())
                .get("/api/dispatch/tickets/" + id).then().statusCode(200).body("assignments", hasSize(1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(sla.url())
                .get("/api/sla/tickets/" + id + "/clocks").then().statusCode(200).body("", hasSize(4)));
        for (String action : List.of("take", "caller-contacted")) {
            given().baseUri(dispatch.url()).post("/api/dispatch/tickets/" + id + "/" + action).then().statusCode(200);
        }
        String aid = given().baseUri(dispatch.url()).get("/api/dispatch/tickets/" + id).then().extract()
                .path("assignments[0].id");
        String unit = given().baseUri(dispatch.url()).get("/api/dispatch/tickets/" + id).then().extract()
                .path("assignments[0].unitId");
        String member = TestTokens.field(unit + "-m1", unit);
        TestTokens.as(member).baseUri(dispatch.url()).post("/api/field/assignments/" + aid + "/acknowledge").then()
                .statusCode(200);
        TestTokens.as(member).baseUri(dispatch.url()).contentType(ContentType.JSON)
                .body("{\"latitude\":30.5453,\"longitude\":119.9676}")
                .post("/api/field/assignments/" + aid + "/arrive").then().statusCode(200);
        TestTokens.as(member).baseUri(dispatch.url()).contentType(ContentType.JSON)
                .body("{\"outcome\":\"SOLVED\",\"note\":\"已劝导施工方停工\"}")
                .post("/api/field/assignments/" + aid + "/resolve").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(sla.url())
                .get("/api/sla/tickets/" + id + "/clocks").then().statusCode(200)
                .body("state", not(hasItem("RUNNING"))));
    }

    static void followUp(String id, String satisfaction) {
        given().baseUri(intake.url()).contentType(ContentType.JSON)
                .body("{\"reached\":true,\"satisfaction\":\"" + satisfaction + "\",\"comment\":\"回访\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(200);
    }

    // ---------------------------------------------------------------- the databases' recount

    /** Per stage: {on time, decided}. */
    static Map<String, long[]> recountStages() throws Exception {
        Map<String, long[]> out = new TreeMap<>();
        try (Connection c = db(); ResultSet r = c.createStatement().executeQuery(
                "select stage, count(*) filter (where outcome = 'ON_TIME'), count(*) from sla.stage_clock"
                        + " where outcome is not null group by stage")) {
            while (r.next()) {
                out.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
            }
        }
        return out;
    }

    static Map<String, Long> recountFollowUps() throws Exception {
        try (Connection c = db(); ResultSet r = c.createStatement().executeQuery(
                "select count(*) filter (where satisfaction in ('SATISFIED', 'BASICALLY_SATISFIED')), count(*)"
                        + " from intake.follow_up where reached")) {
            r.next();
            return Map.of("satisfied", r.getLong(1), "reached", r.getLong(2));
        }
    }

    static Map<String, Long> recountReports() throws Exception {
        try (Connection c = db(); ResultSet r = c.createStatement().executeQuery(
                "select (select count(*) from intake.ticket), (select count(*) from intake.repeat_report)")) {
            r.next();
            return Map.of("ticket", r.getLong(1), "repeat", r.getLong(2));
        }
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + TestInfra.pgHost() + ":" + TestInfra.pgPort() + "/"
                + database, TestInfra.pgUser(), TestInfra.pgPassword());
    }

    // ---------------------------------------------------------------- what Prometheus says

    static Map<String, long[]> promStages() throws Exception {
        Map<String, long[]> out = new TreeMap<>();
        for (JsonNode s : query("sum by (stage) (hotline:sla_stage_outcome:count)")) {
            out.put(s.at("/metric/stage").asText(), new long[] {0, Math.round(s.at("/value/1").asDouble())});
        }
        for (JsonNode s : query("sum by (stage) (hotline:sla_stage_outcome:count{outcome=\"on_time\"})")) {
            out.get(s.at("/metric/stage").asText())[0] = Math.round(s.at("/value/1").asDouble());
        }
        return out;
    }

    static Map<String, Long> promFollowUps() throws Exception {
        Map<String, Long> out = new HashMap<>(Map.of("satisfied", 0L, "reached", 0L));
        for (JsonNode s : query("sum by (satisfaction) (hotline:intake_follow_ups:count)")) {
            String sat = s.at("/metric/satisfaction").asText();
            long n = Math.round(s.at("/value/1").asDouble());
            if (!sat.equals("unreached")) {
                out.merge("reached", n, Long::sum);
            }
            if (sat.equals("SATISFIED") || sat.equals("BASICALLY_SATISFIED")) {
                out.merge("satisfied", n, Long::sum);
            }
        }
        return out;
    }

    static Map<String, Long> promReports() throws Exception {
        Map<String, Long> out = new HashMap<>(Map.of("ticket", 0L, "repeat", 0L));
        for (JsonNode s : query("sum by (outcome) (hotline:intake_reports:count)")) {
            out.put(s.at("/metric/outcome").asText(), Math.round(s.at("/value/1").asDouble()));
        }
        return out;
    }

    /** The query's series once there are any (windows fill within a few scrapes); fails on an error. */
    static JsonNode awaitSeries(String expr) {
        JsonNode[] last = new JsonNode[1];
        await(expr).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = query(expr);
            return last[0].size() > 0;
        });
        return last[0];
    }

    static JsonNode query(String expr) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus refused the query (" + r.statusCode() + "): " + r.body());
        }
        return body.at("/data/result");
    }

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> s = Files.list(ServiceProcess.root().resolve("deploy/grafana/dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** "on time/decided" per stage, comparable (arrays compare by identity). */
    static Map<String, String> show(Map<String, long[]> stages) {
        Map<String, String> out = new TreeMap<>();
        stages.forEach((stage, n) -> out.put(stage, n[0] + "/" + n[1]));
        return out;
    }

    static double ratio(long[] onTimeAndDecided) {
        return ratio(onTimeAndDecided[0], onTimeAndDecided[1]);
    }

    static double ratio(long part, long whole) {
        return (double) part / whole;
    }

    static int freePort() {
        return Ports.free();
    }
}
