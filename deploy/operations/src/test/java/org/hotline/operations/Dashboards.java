package org.hotline.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The dashboards of deploy/grafana and their panels' queries, as Grafana would send them. */
public final class Dashboards {

    /** One query of one panel. */
    public record Query(String dashboard, String panel, String expr) {
        /** The query with the dashboard's variables as "All" and a one-hour range. */
        public String resolved() {
            return expr.replace("$street", ".*").replace("$policy", ".*").replace("$__range", "1h")
                    .replace("$__rate_interval", "1m").replace("$__interval", "15s");
        }
    }

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern GROUPING = Pattern
            .compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private Dashboards() {
    }

    public static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("deploy/grafana/dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    public static List<Query> queries(Path root) throws IOException {
        List<Query> out = new ArrayList<>();
        for (Path f : files(root)) {
            JsonNode d = new ObjectMapper().readTree(f.toFile());
            for (JsonNode p : d.get("panels")) {
                for (JsonNode t : p.path("targets")) {
                    out.add(new Query(d.get("title").asText(), p.get("title").asText(), t.get("expr").asText()));
                }
            }
        }
        return out;
    }

    /** The metric names a PromQL expression selects (not functions, labels, keywords or numbers). */
    public static Set<String> metricNames(String expr) {
        String s = STRINGS.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < s.length() && s.charAt(after) == ' ') {
                after++;
            }
            boolean function = after < s.length() && s.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(id)) {
                names.add(id);
            }
        }
        return names;
    }
}
