package org.hotline.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The load's script, a pure function of the seed: report {@code i} (its channel, category,
 * complexity, grid, caller, whether the caller calls again about an open ticket) and how the
 * people around ticket {@code i} behave (when the command room takes it and contacts the caller,
 * how fast the field team acknowledges, arrives and resolves, whether the caller is followed up and
 * dissatisfied, which units never arrive). Every decision draws from a generator seeded by
 * (seed, i, purpose), so the mix does not depend on timing, threads or what the system answers.
 *
 * <p>Only the run tag (part of every upstream reference and of the callers' phone numbers, so that
 * a second run against the same database neither replays nor "repeats" the first) varies between
 * runs of one seed.
 */
public final class Scenario {

    public enum Channel {
        REST, FEED_110, FEED_12345
    }

    public enum FollowUp {
        NONE, SATISFIED, DISSATISFIED
    }

    /** A grid of the street, with a point inside it (the mean base of the units covering it). */
    public record Grid(String id, double lat, double lng) {
    }

    /** One citizen's report as sent. {@code complexity} null means "the category's default". */
    public record Report(long index, Channel channel, String category, String complexity, String grid,
            String callerName, String phone, Double lat, Double lng, String address, String description,
            boolean repeatCaller, String upstreamRef, long reportedAgoMs) {
    }

    /**
     * The command room and the caller around one ticket (delays in ms from the previous step; a late
     * take's delay counts from receipt).
     */
    public record Behaviour(long takeDelayMs, boolean lateTake, long contactDelayMs, long closeDelayMs,
            FollowUp followUp, long followUpDelayMs) {
    }

    /** A field team's delays for one assignment (ms from the previous step). */
    public record FieldPlan(long ackDelayMs, long arriveDelayMs, long resolveDelayMs) {
    }

    /** What the script is made of; the defaults are the command's. */
    public record Settings(double restShare, double feed110Share, double feed12345Share, double repeatShare,
            double coordsShare, double lateTakeShare, double followUpShare, double dissatisfiedShare,
            double noShowShare, double fieldPace, double slaScale, double rate) {
    }

    // How often each category is reported (relative weights); codes not listed weigh 1. Roughly the
    // shape of a street's 12345 load: noise, neighbours, sanitation, roads and parking dominate.
    static final Map<String, Integer> CATEGORY_WEIGHTS = Map.ofEntries(
            Map.entry("NOISE", 18), Map.entry("NEIGHBOR_DISPUTE", 10), Map.entry("SANITATION", 9),
            Map.entry("ROAD_DAMAGE", 7), Map.entry("TRAFFIC_PARKING", 7), Map.entry("FACILITY_DAMAGE", 5),
            Map.entry("PROPERTY_MANAGEMENT", 5), Map.entry("ILLEGAL_CONSTRUCTION", 4), Map.entry("WAGE_ARREARS", 4),
            Map.entry("CONSUMER_DISPUTE", 4), Map.entry("STREET_VENDING", 3), Map.entry("FAMILY_DISPUTE", 3),
            Map.entry("PUBLIC_ORDER", 3), Map.entry("DRAINAGE_FLOODING", 2), Map.entry("STREET_LIGHT", 2),
            Map.entry("MANHOLE_COVER", 2), Map.entry("WATER_POWER_SUPPLY", 2));

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "沈", "朱", "姚"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "建国", "丽华", "志强"};
    private static final String[] ROADS = {"英溪北路", "永安街", "千秋街", "北湖街", "余英坊", "武源街", "兴康路", "塔山街", "东门路", "群安路"};
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("NOISE", "楼上深夜装修噪音，影响休息"),
            Map.entry("NEIGHBOR_DISPUTE", "邻居在楼道堆放杂物引发纠纷"),
            Map.entry("SANITATION", "小区门口垃圾未及时清运"),
            Map.entry("ROAD_DAMAGE", "人行道地砖大面积松动"),
            Map.entry("TRAFFIC_PARKING", "车辆长期占用消防通道"),
            Map.entry("FACILITY_DAMAGE", "公园健身器材损坏"),
            Map.entry("WAGE_ARREARS", "工地拖欠工资两个月"),
            Map.entry("CONSUMER_DISPUTE", "商家拒绝退还预付卡余额"),
            Map.entry("MANHOLE_COVER", "路口窨井盖缺失，存在安全隐患"));

    private final long seed;
    private final String runTag;
    private final long phoneBase;
    private final Settings s;
    private final List<Grid> grids;
    private final String streetName;
    private final String[] categories;
    private final long[] cumulative;
    private final Map<String, String> defaultComplexity;

    public Scenario(long seed, String runTag, String streetName, List<Grid> grids,
            Map<String, String> categoriesWithDefaultComplexity, Settings settings) {
        if (grids.isEmpty()) {
            throw new IllegalArgumentException("the street has no grid");
        }
        if (categoriesWithDefaultComplexity.isEmpty()) {
            throw new IllegalArgumentException("the catalogue is empty");
        }
        this.seed = seed;
        this.runTag = runTag;
        this.streetName = streetName;
        this.grids = List.copyOf(grids);
        this.s = settings;
        this.defaultComplexity = new LinkedHashMap<>(categoriesWithDefaultComplexity);
        this.categories = defaultComplexity.keySet().toArray(String[]::new);
        this.cumulative = new long[categories.length];
        long sum = 0;
        for (int i = 0; i < categories.length; i++) {
            sum += CATEGORY_WEIGHTS.getOrDefault(categories[i], 1);
            cumulative[i] = sum;
        }
        // phones of this run: a block of 10^9 numbers shifted by the run tag, so two runs differ
        this.phoneBase = Math.floorMod(mix(seed, runTag.hashCode(), 0x5EED), 1_000_000_000L);
    }

    public String runTag() {
        return runTag;
    }

    public Settings settings() {
        return s;
    }

    /** The i-th report, always the same for the same seed and run tag. */
    public Report report(long i) {
        SplittableRandom r = rng(i, 1);
        double u = r.nextDouble();
        double total = s.restShare() + s.feed110Share() + s.feed12345Share();
        Channel channel = u < s.restShare() / total ? Channel.REST
                : u < (s.restShare() + s.feed110Share()) / total ? Channel.FEED_110 : Channel.FEED_12345;
        String category = pickCategory(r.nextLong(cumulative[cumulative.length - 1]));
        double c = r.nextDouble();
        String complexity = c < 0.75 ? "SIMPLE" : c < 0.95 ? "GENERAL" : "COMPLEX";
        Grid grid = grids.get(r.nextInt(grids.size()));
        boolean coords = r.nextDouble() < s.coordsShare();
        Double lat = coords ? round6(grid.lat() + (r.nextDouble() - 0.5) * 0.008) : null;
        Double lng = coords ? round6(grid.lng() + (r.nextDouble() - 0.5) * 0.008) : null;
        boolean repeat = repeatCaller(i);
        String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
        String address = streetName + ROADS[r.nextInt(ROADS.length)] + " " + (1 + r.nextInt(300)) + " 号";
        String description = "[loadgen " + runTag + " #" + i + "] "
                + DESCRIPTIONS.getOrDefault(category, "市民反映" + category + "类问题，请尽快处理");
        long ago = (long) ((2_000 + r.nextInt(28_000)) * s.slaScale());
        String ref = switch (channel) {
            case REST -> null;
            case FEED_110 -> "LG" + runTag + "-110-" + i;
            case FEED_12345 -> "LG" + runTag + "-12345-" + i;
        };
        return new Report(i, channel, category, complexity, grid.id(), name, phone(i), lat, lng, address,
                description, repeat, ref, ago);
    }

    /**
     * The caller's phone of report i: a number of its own, or (a repeat caller) the number of a
     * report made up to about 20 seconds earlier, whose ticket is most likely still open.
     */
    public String phone(long i) {
        long owner = i;
        for (int hops = 0; hops < 64 && repeatCaller(owner); hops++) {
            long window = Math.max(1, Math.min(owner, (long) Math.max(1, s.rate() * 20)));
            owner = owner - 1 - rng(owner, 2).nextLong(window);
        }
        long n = Math.floorMod(phoneBase + owner * 7_919L, 1_000_000_000L); // 7919 is prime: no two owners share
        return "1" + (3 + Math.floorMod(phoneBase, 7L)) + String.format("%09d", n);
    }

    /** Whether report i comes from someone who called before (about a ticket most likely still open). */
    public boolean repeatCaller(long i) {
        return i > 0 && rng(i, 4).nextDouble() < s.repeatShare();
    }

    /** Ticket i's command room and caller. */
    public Behaviour behaviour(long i) {
        SplittableRandom r = rng(i, 3);
        long respond = (long) (60_000 * s.slaScale());
        boolean late = r.nextDouble() < s.lateTakeShare();
        // late: taken 1.1–1.5 × the RESPOND limit after receipt; otherwise 1–5 s after the ticket shows
        // in the command room's queue; the caller is called 0.5–3 s after the take
        long take = late ? (long) (respond * (1.1 + 0.4 * r.nextDouble())) : pace(1_000 + r.nextInt(4_000));
        long contact = pace(500 + r.nextInt(2_500));
        long close = pace(500 + r.nextInt(2_500));
        FollowUp f = FollowUp.NONE;
        if (r.nextDouble() < s.followUpShare()) {
            f = r.nextDouble() < s.dissatisfiedShare() ? FollowUp.DISSATISFIED : FollowUp.SATISFIED;
        }
        long followUp = pace(1_000 + r.nextInt(4_000));
        return new Behaviour(take, late, contact, close, f, followUp);
    }

    /** A field team's delays for the n-th assignment of ticket i. */
    public FieldPlan field(long i, int n) {
        SplittableRandom r = rng(i, 100 + n);
        return new FieldPlan(pace(500 + r.nextInt(2_500)), pace(1_000 + r.nextInt(4_000)), pace(1_000 + r.nextInt(5_000)));
    }

    /** A unit whose members acknowledge but never arrive: their tickets breach ON_SCENE and escalate. */
    public boolean noShow(String unitId) {
        return new SplittableRandom(mix(seed, unitId.hashCode(), 0xA11)).nextDouble() < s.noShowShare();
    }

    /** The complexity intake will give a report that names none. */
    public String defaultComplexity(String category) {
        return defaultComplexity.get(category);
    }

    /** The report index of one of this run's upstream references, or -1. */
    public long indexOfRef(String upstreamRef) {
        if (upstreamRef == null || !upstreamRef.startsWith("LG" + runTag + "-")) {
            return -1;
        }
        try {
            return Long.parseLong(upstreamRef.substring(upstreamRef.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Counts of channels, categories, complexities and repeats over the first n reports (for the report). */
    public Map<String, Long> mixOf(long n) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            Report rep = report(i);
            counts.merge("channel " + rep.channel(), 1L, Long::sum);
            counts.merge("complexity " + rep.complexity(), 1L, Long::sum);
            if (rep.repeatCaller()) {
                counts.merge("repeat callers", 1L, Long::sum);
            }
            if (rep.lat() != null) {
                counts.merge("with coordinates", 1L, Long::sum);
            }
        }
        return counts;
    }

    public List<String> categories() {
        return new ArrayList<>(List.of(categories));
    }

    private String pickCategory(long x) {
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return categories[i];
            }
        }
        return categories[categories.length - 1];
    }

    private long pace(long ms) {
        return (long) (ms * s.fieldPace());
    }

    private SplittableRandom rng(long i, int purpose) {
        return new SplittableRandom(mix(seed, i, purpose));
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** SplitMix64-style mixing of (seed, index, purpose) into one seed. */
    static long mix(long seed, long i, long purpose) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
