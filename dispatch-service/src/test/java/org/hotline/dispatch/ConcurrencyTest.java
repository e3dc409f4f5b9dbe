package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Truly concurrent requests (threads released together by a barrier) on one ticket. */
@QuarkusTest
@WithTestResource(InfraResource.class)
class ConcurrencyTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    static List<Integer> race(List<Callable<Integer>> actions) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(actions.size());
        ExecutorService pool = Executors.newFixedThreadPool(actions.size());
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> a : actions) {
                futures.add(pool.submit(() -> {
                    barrier.await();
                    return a.call();
                }));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : futures) {
                codes.add(f.get());
            }
            return codes;
        } finally {
            pool.shutdown();
        }
    }

    /** Dispatches with the dispatcher's token (signed beforehand, so racing requests leave together). */
    static int dispatch(String ticket, String token, String unit) {
        return TestTokens.as(token).contentType(ContentType.JSON).body(Map.of("units",
                List.of(Map.of("unitId", unit, "role", "LEAD")))).post("/api/dispatch/tickets/" + ticket + "/dispatch")
                .then().extract().statusCode();
    }

    @Test
    void twoDispatchersDispatchingOneTicketAtOnceNeverMakeTwoLeads() throws Exception {
        String street = StreetFixture.street();
        String a = StreetFixture.unit(street, "a", "OTHER", List.of("CONSUMER_DISPUTE"), 20, StreetFixture.LAT, StreetFixture.LON);
        String b = StreetFixture.unit(street, "b", "OTHER", List.of("CONSUMER_DISPUTE"), 20, StreetFixture.LAT, StreetFixture.LON);
        String zhang = TestTokens.dispatcher("wk-zhang", street);
        String wang = TestTokens.dispatcher("wk-wang", street);
        for (int round = 0; round < 6; round++) {
            String ticket = StreetFixture.ticket(probe(), street, "CONSUMER_DISPUTE");
            List<Integer> codes = race(List.of(() -> dispatch(ticket, zhang, a), () -> dispatch(ticket, wang, b)));
            codes.sort(Integer::compare);
            assertEquals(List.of(200, 409), codes, "round " + round);
            List<String> leads = StreetFixture.ticketView(ticket).extract().path("assignments.findAll { it.role == 'LEAD' }.unitId");
            assertEquals(1, leads.size(), leads.toString());
            await().atMost(StreetFixture.WAIT).until(() -> probe().ofType(ticket, "assignment.created").size() == 1);
        }
    }

    @Test
    void anAcknowledgementRacingAReDispatchIsNeverLost() throws Exception {
        String street = StreetFixture.street();
        String first = StreetFixture.unit(street, "a", "OTHER", List.of("CONSUMER_DISPUTE"), 20, StreetFixture.LAT, StreetFixture.LON);
        String second = StreetFixture.unit(street, "b", "OTHER", List.of("CONSUMER_DISPUTE"), 20, StreetFixture.LAT, StreetFixture.LON);
        String zhang = TestTokens.dispatcher("wk-zhang", street);
        String wang = TestTokens.dispatcher("wk-wang", street);
        String member = TestTokens.field(first + "-m1", first);
        for (int round = 0; round < 8; round++) {
            String ticket = StreetFixture.ticket(probe(), street, "CONSUMER_DISPUTE");
            assertEquals(200, dispatch(ticket, zhang, first));
            String offered = StreetFixture.assignmentOf(ticket, first);
            List<Integer> codes = race(List.of(
                    () -> StreetFixture.fieldAs(member, offered, "acknowledge", null).extract().statusCode(),
                    () -> TestTokens.as(wang).contentType(ContentType.JSON).body(Map.of("unitId", second))
                            .post("/api/dispatch/tickets/" + ticket + "/redispatch").then().extract().statusCode()));
            assertEquals(200, codes.get(1), "the re-dispatch always goes through");
            var view = StreetFixture.ticketView(ticket).extract();
            List<Map<String, Object>> as = view.path("assignments");
            Map<String, Object> old = as.stream().filter(x -> x.get("id").equals(offered)).findFirst().orElseThrow();
            assertEquals("WITHDRAWN", old.get("status"));
            List<Object> openLeads = as.stream().filter(x -> "LEAD".equals(x.get("role"))
                    && List.of("OFFERED", "ACKNOWLEDGED", "ON_SCENE").contains(x.get("status"))).map(x -> x.get("unitId"))
                    .toList();
            assertEquals(List.of(second), openLeads);
            if (codes.get(0) == 200) {
                // the ack committed first: it is recorded and published, then the re-dispatch withdrew it
                assertNotNull(old.get("ackedAt"));
                await().atMost(StreetFixture.WAIT).until(() -> probe().ofType(ticket, "assignment.acknowledged").size() == 1);
            } else {
                assertEquals(409, codes.get(0));
                assertEquals(null, old.get("ackedAt"));
            }
            // either way the withdrawal follows whatever the ack did, in the ticket's event order
            await().atMost(StreetFixture.WAIT).until(() -> probe().ofType(ticket, "assignment.withdrawn").size() == 1);
            List<String> types = probe().about(ticket).stream().map(EventProbe.Seen::type).toList();
            if (codes.get(0) == 200) {
                assertTrue(types.indexOf("assignment.acknowledged") < types.indexOf("assignment.withdrawn"), types.toString());
            }
        }
    }

    @Test
    void concurrentCreatesOfOneUnitOrOneMemberAreOneSuccessAndConflictsNeverA500() throws Exception {
        String street = StreetFixture.street();
        String id = street + "-x";
        Map<String, Object> unit = Map.of("id", id, "name", "单位 x", "type", "OTHER", "street", street, "grids",
                List.of(street + "-01"), "categories", List.of("NOISE"), "capacity", 3);
        Callable<Integer> create = () -> StreetFixture.admin().contentType(ContentType.JSON).body(unit).post("/api/units").then()
                .extract().statusCode();
        List<Integer> codes = race(List.of(create, create, create));
        codes.sort(Integer::compare);
        assertEquals(List.of(201, 409, 409), codes);

        String other = StreetFixture.unit(street, "y", "OTHER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String member = street + "-shared";
        java.util.function.Function<String, Callable<Integer>> join = u -> () -> StreetFixture.admin().contentType(ContentType.JSON)
                .body(List.of(Map.of("memberId", member, "name", "李四", "phone", "13900000002", "role", "队员")))
                .put("/api/units/" + u + "/members").then().extract().statusCode();
        List<Integer> joined = race(List.of(join.apply(id), join.apply(other)));
        joined.sort(Integer::compare);
        assertEquals(List.of(200, 409), joined);
    }
}
