package org.hotline.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for the processes a system test starts. Not from the kernel's ephemeral range (Linux:
 * 32768-60999): a port found free there and handed to a process that binds it seconds later could
 * meanwhile become the local end of some outgoing connection (a Kafka or JDBC client's), and the
 * process then failed to start ("Port ... seems to be in use", seen in CI). Below that range only
 * listeners take ports, and this JVM never hands out the same one twice.
 */
final class Ports {

    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH);
    }
}
