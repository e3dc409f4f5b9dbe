package org.hotline.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in SMS provider and webhook receiver on 127.0.0.1: answers every POST with 200 and counts
 * them by path, so notification-service's delivery does its real HTTP work during a load run
 * ({@code NOTIFICATION_SMS_URL=http://127.0.0.1:<port>/sms}, {@code NOTIFICATION_WEBHOOK_URL=…/webhook}).
 */
public final class Sink implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    private Sink(HttpServer server) {
        this.server = server;
    }

    public static Sink start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        Sink sink = new Sink(server);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            sink.counts.computeIfAbsent(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                    k -> new LongAdder()).increment();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "loadgen-sink");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return sink;
    }

    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
