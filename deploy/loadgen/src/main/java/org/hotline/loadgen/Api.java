package org.hotline.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The services' public HTTP APIs as the load's people use them: every call carries a bearer token,
 * is counted in {@link Stats} under its kind, and never throws for an HTTP status (the caller
 * decides). HTTP/1.1 on purpose: the JDK client's h2c upgrade multiplexes everything over one
 * connection, which a browser or a phone fleet would not do.
 */
public final class Api {

    public record Resp(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Stats stats;
    private final Duration timeout;

    public Api(Stats stats, Executor executor, Duration timeout) {
        this.stats = stats;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Sends asynchronously; the future always completes normally (status 0 for an I/O failure). */
    public CompletableFuture<Resp> send(String kind, String method, String url, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        long start = System.nanoTime();
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
            long micros = (System.nanoTime() - start) / 1_000;
            Resp resp = e != null ? new Resp(0, String.valueOf(e.getMessage())) : new Resp(r.statusCode(), r.body());
            if (kind != null) {
                stats.record(kind, resp.status(), micros);
            }
            return resp;
        });
    }

    /** A blocking call for set-up steps; any status other than 2xx (or one of {@code alsoOk}) fails. */
    public JsonNode call(String method, String url, String token, String json, int... alsoOk) throws IOException {
        Resp r = send(null, method, url, token, json).join();
        boolean fine = r.ok();
        for (int s : alsoOk) {
            fine |= r.status() == s;
        }
        if (!fine) {
            throw new IOException(method + " " + url + " answered " + (r.status() == 0 ? "nothing" : r.status())
                    + ": " + abbreviate(r.body(), 400));
        }
        return r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    public int status(String url) {
        return send(null, "GET", url, null, null).join().status();
    }

    static String abbreviate(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
