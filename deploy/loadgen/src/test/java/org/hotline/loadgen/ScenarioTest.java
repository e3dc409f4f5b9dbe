package org.hotline.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    static final List<Scenario.Grid> GRIDS = List.of(new Scenario.Grid("wukang-01", 30.55, 119.96),
            new Scenario.Grid("wukang-02", 30.54, 119.97));

    static Scenario scenario(long seed, String tag) {
        Map<String, String> cats = new LinkedHashMap<>();
        cats.put("NOISE", "SIMPLE");
        cats.put("ROAD_DAMAGE", "GENERAL");
        cats.put("WAGE_ARREARS", "GENERAL");
        cats.put("OTHER", "SIMPLE");
        return new Scenario(seed, tag, "wukang", GRIDS, cats,
                new Scenario.Settings(0.6, 0.2, 0.2, 0.05, 0.02, 0.02, 0.3, 0.1, 0.05, 1.0, 0.1, 200));
    }

    @Test
    void theSameSeedGivesTheSameMix() {
        Scenario a = scenario(42, "T1");
        Scenario b = scenario(42, "T1");
        for (long i = 0; i < 2_000; i++) {
            assertEquals(a.report(i), b.report(i));
            assertEquals(a.behaviour(i), b.behaviour(i));
            assertEquals(a.field(i, 0), b.field(i, 0));
        }
        // asked in another order, still the same
        assertEquals(a.report(1_234), scenario(42, "T1").report(1_234));
    }

    @Test
    void anotherSeedGivesAnotherMix() {
        Scenario a = scenario(42, "T1");
        Scenario b = scenario(43, "T1");
        int same = 0;
        for (long i = 0; i < 500; i++) {
            if (a.report(i).category().equals(b.report(i).category()) && a.report(i).channel() == b.report(i).channel()) {
                same++;
            }
        }
        assertTrue(same < 400, "mixes of two seeds should differ, " + same + " of 500 alike");
    }

    @Test
    void sharesFollowTheSettings() {
        Scenario s = scenario(7, "T1");
        Map<Scenario.Channel, Integer> channels = new HashMap<>();
        Map<String, Integer> categories = new HashMap<>();
        int n = 20_000;
        int repeats = 0;
        for (long i = 0; i < n; i++) {
            Scenario.Report r = s.report(i);
            channels.merge(r.channel(), 1, Integer::sum);
            categories.merge(r.category(), 1, Integer::sum);
            repeats += r.repeatCaller() ? 1 : 0;
        }
        assertEquals(0.6, channels.get(Scenario.Channel.REST) / (double) n, 0.02);
        assertEquals(0.2, channels.get(Scenario.Channel.FEED_110) / (double) n, 0.02);
        assertEquals(0.05, repeats / (double) n, 0.01);
        // NOISE weighs 18 against 7 + 4 + 1
        assertEquals(18.0 / 30, categories.get("NOISE") / (double) n, 0.02);
    }

    @Test
    void repeatCallersUseAnEarlierCallersPhoneAndOthersTheirOwn() {
        Scenario s = scenario(42, "T1");
        Set<String> phones = new HashSet<>();
        int repeats = 0;
        for (long i = 0; i < 5_000; i++) {
            Scenario.Report r = s.report(i);
            assertTrue(r.phone().matches("1[3-9][0-9]{9}"), r.phone());
            if (r.repeatCaller()) {
                assertTrue(phones.contains(r.phone()), "report " + i + " repeats a phone never used before");
                repeats++;
            } else {
                assertTrue(phones.add(r.phone()), "report " + i + " reuses a phone without being a repeat");
            }
        }
        assertTrue(repeats > 150);
        // another run of the same seed gets other numbers (it must not "repeat" the first run's tickets)
        assertNotEquals(s.report(0).phone(), scenario(42, "T2").report(0).phone());
    }

    @Test
    void upstreamReferencesNameTheirReport() {
        Scenario s = scenario(42, "20261205010203");
        for (long i = 0; i < 300; i++) {
            Scenario.Report r = s.report(i);
            if (r.channel() == Scenario.Channel.REST) {
                assertEquals(null, r.upstreamRef());
            } else {
                assertTrue(r.upstreamRef().matches("[A-Za-z0-9_.:/-]+"), r.upstreamRef());
                assertEquals(i, s.indexOfRef(r.upstreamRef()));
            }
        }
        assertEquals(-1, s.indexOfRef("LG19990101000000-110-5"));
        assertEquals(-1, s.indexOfRef(null));
    }

    @Test
    void delaysFollowTheScaledPolicy() {
        Scenario s = scenario(42, "T1"); // sla scale 0.1: RESPOND 6 s
        int late = 0;
        for (long i = 0; i < 5_000; i++) {
            Scenario.Behaviour b = s.behaviour(i);
            if (b.lateTake()) {
                late++;
                assertTrue(b.takeDelayMs() > 6_000);
            } else {
                assertTrue(b.takeDelayMs() < 6_000);
            }
        }
        assertEquals(0.02, late / 5_000.0, 0.01);
    }
}
