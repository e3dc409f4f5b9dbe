package org.hotline.loadgen;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the run reads and prepares through the public APIs before the first report: the category
 * catalogue (intake), the street's units and grids (dispatch), the load's own units if asked for
 * (admin: the demo street's 13 units take 2 to 4 open assignments each, far too few for hundreds of
 * tickets a second), and, only when asked, a time-compressed copy of the 13830 policy (admin) so
 * that warnings, breaches and escalations fall inside a short run.
 */
public final class Setup {

    public static final String SCALED_POLICY = "LOAD-13830";

    private final Api api;
    private final Tokens tokens;
    private final String intakeUrl;
    private final String dispatchUrl;
    private final String slaUrl;

    public Setup(Api api, Tokens tokens, String intakeUrl, String dispatchUrl, String slaUrl) {
        this.api = api;
        this.tokens = tokens;
        this.intakeUrl = intakeUrl;
        this.dispatchUrl = dispatchUrl;
        this.slaUrl = slaUrl;
    }

    /** Active categories in catalogue order, with their default complexity and unit types. */
    public record Category(String code, String defaultComplexity, List<String> unitTypes) {
    }

    public List<Category> catalogue() throws IOException {
        JsonNode list = api.call("GET", intakeUrl + "/api/categories", tokens.operator("op-chen"), null);
        List<Category> out = new ArrayList<>();
        for (JsonNode c : list) {
            List<String> types = new ArrayList<>();
            c.path("unitTypes").forEach(t -> types.add(t.asText()));
            out.add(new Category(c.get("code").asText(), c.path("defaultComplexity").asText("SIMPLE"), types));
        }
        if (out.isEmpty()) {
            throw new IOException("the category catalogue is empty");
        }
        return out;
    }

    /** The street's units as dispatch serves them (admin reads every street). */
    public JsonNode units(String street) throws IOException {
        return api.call("GET", dispatchUrl + "/api/units?street=" + street, tokens.admin(), null);
    }

    /** The street's grids, each placed at the mean base of the units that cover it. */
    public static List<Scenario.Grid> grids(JsonNode units) {
        Map<String, double[]> sums = new TreeMap<>();
        for (JsonNode u : units) {
            if (u.path("unitId").asText("").startsWith("lg-")) {
                continue; // the load's own units cover every grid from the street's centre
            }
            for (JsonNode g : u.path("grids")) {
                double[] s = sums.computeIfAbsent(g.asText(), k -> new double[3]);
                if (u.hasNonNull("latitude") && u.hasNonNull("longitude")) {
                    s[0] += u.get("latitude").asDouble();
                    s[1] += u.get("longitude").asDouble();
                    s[2]++;
                }
            }
        }
        List<Scenario.Grid> grids = new ArrayList<>();
        sums.forEach((id, s) -> grids.add(new Scenario.Grid(id, s[2] > 0 ? s[0] / s[2] : 30.5450, s[2] > 0 ? s[1] / s[2] : 119.9680)));
        return grids;
    }

    /**
     * Creates (or updates) {@code count} units of the load, named {@code lg-<type>-<n>}, spread over the
     * unit types the catalogue names, each handling every category of its type, covering every grid,
     * with {@code capacity} open assignments, two members and the first on duty round the clock
     * (as in the demo data, so notifications reach someone). Idempotent: a second run updates them.
     */
    public List<String> provisionUnits(String street, List<Scenario.Grid> grids, List<Category> catalogue, int count,
            int capacity) throws IOException {
        Map<String, Set<String>> byType = new LinkedHashMap<>();
        for (Category c : catalogue) {
            List<String> types = c.unitTypes().isEmpty() ? List.of("OTHER") : c.unitTypes();
            for (String t : types) {
                byType.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(c.code());
            }
        }
        List<String> types = new ArrayList<>(byType.keySet());
        double lat = grids.stream().mapToDouble(Scenario.Grid::lat).average().orElse(30.545);
        double lng = grids.stream().mapToDouble(Scenario.Grid::lng).average().orElse(119.968);
        List<String> ids = new ArrayList<>();
        String admin = tokens.admin();
        for (int n = 0; n < count; n++) {
            String type = types.get(n % types.size());
            String id = "lg-" + type.toLowerCase(Locale.ROOT).replace('_', '-') + "-" + (n / types.size() + 1);
            ObjectNode unit = Api.JSON.createObjectNode();
            unit.put("id", id).put("name", "压测单位 " + id).put("type", type).put("street", street);
            ArrayNode g = unit.putArray("grids");
            grids.forEach(x -> g.add(x.id()));
            ArrayNode cats = unit.putArray("categories");
            byType.get(type).stream().limit(50).forEach(cats::add);
            unit.put("status", "AVAILABLE").put("capacity", capacity).put("latitude", lat).put("longitude", lng);
            Api.Resp created = api.send(null, "POST", dispatchUrl + "/api/units", admin, unit.toString()).join();
            if (created.status() == 409) {
                api.call("PUT", dispatchUrl + "/api/units/" + id, admin, unit.toString());
            } else if (!created.ok()) {
                throw new IOException("POST /api/units " + id + " answered " + created.status() + ": "
                        + Api.abbreviate(created.body(), 300));
            }
            ArrayNode members = Api.JSON.createArrayNode();
            for (int m = 1; m <= 2; m++) {
                members.addObject().put("memberId", id + "-m" + m).put("name", "压测队员" + m)
                        .put("phone", String.format("1385800%04d", (n * 2 + m) % 10_000)).put("role", m == 1 ? "组长" : "队员");
            }
            api.call("PUT", dispatchUrl + "/api/units/" + id + "/members", admin, members.toString());
            ArrayNode shifts = Api.JSON.createArrayNode();
            ObjectNode s = shifts.addObject().put("memberId", id + "-m1").put("start", "00:00").put("end", "00:00");
            ArrayNode days = s.putArray("days");
            List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").forEach(days::add);
            api.call("PUT", dispatchUrl + "/api/units/" + id + "/shifts", admin, shifts.toString());
            ids.add(id);
        }
        return ids;
    }

    /**
     * Publishes {@value #SCALED_POLICY}: the current 13830 with every duration and escalation delay
     * multiplied by {@code scale}, and puts a rule in front of the others choosing it for the
     * street's SIMPLE tickets (the rule 13830 has). Returns the stage limits (ms) of the copy.
     */
    public Map<String, Long> compressPolicy(String street, double scale) throws IOException {
        String admin = tokens.admin();
        JsonNode current = api.call("GET", slaUrl + "/api/sla/policies/13830", admin, null);
        ObjectNode def = (ObjectNode) current.get("definition").deepCopy();
        def.put("code", SCALED_POLICY);
        ObjectNode name = def.putObject("name");
        name.put("zh", "13830 压测时间压缩 ×" + scale);
        name.put("en", "13830 compressed ×" + scale + " for load runs");
        Map<String, Long> limits = new LinkedHashMap<>();
        for (JsonNode stage : def.path("stages")) {
            ObjectNode st = (ObjectNode) stage;
            if (st.hasNonNull("duration")) {
                Duration d = scaled(st.get("duration"), scale);
                st.put("duration", d.toString());
                limits.put(st.path("stage").asText(), d.toMillis());
            }
            for (JsonNode level : st.path("ladder")) {
                if (level.hasNonNull("after")) {
                    ((ObjectNode) level).put("after", scaled(level.get("after"), scale).toString());
                }
            }
        }
        api.call("PUT", slaUrl + "/api/sla/policies/" + SCALED_POLICY, admin, def.toString());
        JsonNode rules = api.call("GET", slaUrl + "/api/sla/policy-rules", admin, null);
        ArrayNode out = Api.JSON.createArrayNode();
        out.addObject().put("ordinal", 1).putNull("source").putNull("category").put("complexity", "SIMPLE")
                .put("street", street).put("policyCode", SCALED_POLICY);
        int ordinal = 2;
        for (JsonNode r : rules) {
            if (SCALED_POLICY.equals(r.path("policyCode").asText())) {
                continue; // an earlier run's rule
            }
            ObjectNode copy = r.deepCopy();
            copy.put("ordinal", ordinal++);
            out.add(copy);
        }
        api.call("PUT", slaUrl + "/api/sla/policy-rules", admin, out.toString());
        return limits;
    }

    /** Reads a duration as Jackson writes it: ISO-8601 ("PT1M") or seconds ("60.000000000"). */
    static Duration scaled(JsonNode node, double scale) {
        Duration d;
        String text = node.asText();
        if (text.startsWith("P") || text.startsWith("-P")) {
            d = Duration.parse(text);
        } else {
            d = Duration.ofNanos((long) (Double.parseDouble(text) * 1e9));
        }
        long ms = Math.round(d.toMillis() * scale);
        return Duration.ofMillis(ms <= 0 && !d.isZero() ? 1 : ms);
    }
}
