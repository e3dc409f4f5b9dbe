package org.hotline.backbone.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A console's Server-Sent Events stream, open in a test: every {@code data:} payload it pushed, in
 * order, readable while it streams. {@code try (SseStream s = SseStream.open(url, token)) { ... s.data() }}.
 */
public final class SseStream implements AutoCloseable {

    private final List<String> data = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private volatile boolean ended;
    private CompletableFuture<HttpResponse<Void>> response;

    private SseStream() {
    }

    /** Opens the stream with the token as bearer and waits (10 s at most) for a 200. */
    public static SseStream open(String url, String token) throws Exception {
        SseStream s = new SseStream();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", TestTokens.bearer(token)).build();
        s.response = HttpClient.newHttpClient().sendAsync(request, info -> {
            s.status.complete(info.statusCode());
            return BodySubscribers.fromLineSubscriber(s.new Lines());
        });
        int code = s.status.get(10, TimeUnit.SECONDS);
        if (code != 200) {
            s.close();
            throw new AssertionError("the stream " + url + " answered " + code);
        }
        return s;
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    /** The payloads pushed so far. */
    public List<String> data() {
        return data;
    }

    @Override
    public void close() {
        response.cancel(true);
    }

    private final class Lines implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:")) {
                data.add(line.substring(5).trim());
            }
        }

        @Override
        public void onError(Throwable t) {
            ended = true; // also when the test closes it
        }

        @Override
        public void onComplete() {
            ended = true;
        }
    }
}
