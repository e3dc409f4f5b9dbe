package org.hotline.notification;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server on a random port, playing the webhook receiver (/webhook) and the SMS
 * provider (/sms). It records every request it receives (when, headers, body) and answers as the
 * test scripts it: a status and an optional delay per request.
 */
public class ProviderServer implements QuarkusTestResourceLifecycleManager {

    public record Received(String path, long atNanos, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** A scripted answer; {@code body} null means the default ({"ok":true} or a scripted failure). */
    public record Reply(int status, long delayMs, String body) {
        public static final Reply OK = new Reply(200, 0);

        public Reply(int status, long delayMs) {
            this(status, delayMs, null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer server;
    private static ExecutorService executor;
    private static final List<Received> RECEIVED = new ArrayList<>();
    private static volatile Function<Received, Reply> behaviour = r -> Reply.OK;
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger MOST_IN_FLIGHT = new AtomicInteger();

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // slow answers must not hold up the others: one thread per request
            executor = Executors.newCachedThreadPool();
            server.setExecutor(executor);
            server.createContext("/webhook", ProviderServer::handle);
            server.createContext("/sms", ProviderServer::handle);
            server.start();
        }
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("notification.webhook.url", base + "/webhook", "notification.sms.url", base + "/sms");
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; the daemon-less executor dies with the JVM
    }

    private static void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = ex.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), e -> e.getValue().get(0), (a, b) -> a));
        Received r = new Received(ex.getRequestURI().getPath(), System.nanoTime(), headers, body);
        synchronized (RECEIVED) {
            RECEIVED.add(r);
        }
        MOST_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
        try {
            answer(ex, behaviour.apply(r));
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }

    private static void answer(HttpExchange ex, Reply reply) {
        if (reply.delayMs() > 0) {
            try {
                Thread.sleep(reply.delayMs()); // the slow provider under test, not a test waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String text = reply.body() != null ? reply.body() : reply.status() < 300 ? "{\"ok\":true}" : "{\"error\":\"scripted failure\"}";
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        try {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        } finally {
            ex.close();
        }
    }

    public static void behave(Function<Received, Reply> b) {
        behaviour = b;
    }

    public static void reset() {
        behaviour = r -> Reply.OK;
        MOST_IN_FLIGHT.set(0);
    }

    /** The most requests this server was answering at once since the last reset. */
    public static int mostInFlight() {
        return MOST_IN_FLIGHT.get();
    }

    public static List<Received> received() {
        synchronized (RECEIVED) {
            return List.copyOf(RECEIVED);
        }
    }

    /** Requests whose JSON body mentions the ticket (webhook: ticketId; SMS: via the row id is not enough, so the text). */
    public static List<Received> about(String ticketId) {
        return received().stream().filter(r -> r.body().contains(ticketId) || r.body().contains(ticketId.substring(0, 8)))
                .toList();
    }

    public static List<Received> at(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }
}
