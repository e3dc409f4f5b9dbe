package org.hotline.intake;

import static org.hotline.intake.Api.given;

import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.persistence.EntityManager;

/**
 * Reports that never match one another by accident: each gets its own caller phone and a place
 * about 1 km from every other (repeat matching looks at phone, category and distance).
 */
final class TestData {

    private static final AtomicInteger N = new AtomicInteger();

    private TestData() {
    }

    /** A fresh mainland mobile number, 139 + 8 digits. */
    static String phone() {
        return "139" + String.format("%08d", 10_000_000 + N.incrementAndGet() * 7919 % 89_999_999);
    }

    /** A fresh place: latitude/longitude steps of 0.01° (about 1 km). */
    static double[] place() {
        int n = N.incrementAndGet();
        return new double[] {20.0 + (n % 1000) * 0.01, 100.0 + (n / 1000) * 0.01};
    }

    static String report(String phone, double lat, double lon, String category) {
        return """
                {"source":"HOTLINE_12345",
                 "caller":{"name":"张三","phone":"%s"},
                 "location":{"address":"武康街道英溪北路 88 号","latitude":%s,"longitude":%s,"street":"wukang","grid":"wukang-03"},
                 "category":"%s","complexity":"SIMPLE",
                 "description":"楼上深夜装修噪音"}
                """.formatted(phone, lat, lon, category);
    }

    /** A report that matches nothing else. */
    static String report() {
        double[] p = place();
        return report(phone(), p[0], p[1], "NOISE");
    }

    static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/tickets").then();
    }

    static String create() {
        return post(report()).statusCode(201).extract().path("id");
    }

    static long count(String table) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.arc.Arc.container()
                .instance(EntityManager.class).get().createNativeQuery("select count(*) from " + table)
                .getSingleResult()).longValue());
    }

    /**
     * A street of the test's own (streets are reference data: a report naming an unknown one is
     * refused), and the report moved into it, without a grid (wukang's grids are not of it).
     */
    static String inStreet(String report, String street) {
        QuarkusTransaction.requiringNew().run(() -> io.quarkus.arc.Arc.container().instance(EntityManager.class).get()
                .createNativeQuery("insert into street (code, name_zh, name_en) values (?1, ?1, ?1) on conflict do nothing")
                .setParameter(1, street).executeUpdate());
        return report.replace("\"wukang\"", "\"" + street + "\"").replace(",\"grid\":\"wukang-03\"", "");
    }

    /** A statement run as the operator would in psql (reference data has no write API). */
    static void sql(String statement, Object... parameters) {
        QuarkusTransaction.requiringNew().run(() -> {
            var query = io.quarkus.arc.Arc.container().instance(EntityManager.class).get().createNativeQuery(statement);
            for (int i = 0; i < parameters.length; i++) {
                query.setParameter(i + 1, parameters[i]);
            }
            query.executeUpdate();
        });
    }

    /** Rows in every table a report can write to, and events waiting or published. */
    static long writes() {
        return count("ticket") + count("repeat_report") + count("outbox_event") + count("ticket_history")
                + count("idempotency_key") + count("upstream_ref");
    }
}
