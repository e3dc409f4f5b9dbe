package org.hotline.backbone.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log line the service writes while open (logger name, formatted message and the causes'
 * messages), for tests that prove what never reaches the logs:
 * {@code try (LogCapture logs = LogCapture.start()) { ...; logs.all() }}.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** The captured lines, in order; safe to read while the service still logs. */
    public final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** All lines joined by newlines. */
    public String all() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord r) {
        String message = r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
        StringBuilder line = new StringBuilder(r.getLoggerName() + " " + message);
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
