package org.hotline.notification.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The configured rules ({@code notification.rules}), parsed once at start so a typo fails the boot
 * rather than silently telling nobody.
 */
@ApplicationScoped
public class Rules {

    /** Who a target names. */
    public enum Who {
        /**
         * The members dispatch named on the order of the event's unit, else of the ticket's lead unit
         * (assignment.created notifyMemberIds: its duty roster decides who is on duty).
         */
        UNIT_ON_DUTY,
        /** The members dispatch named on the orders of every unit actively assigned to the ticket. */
        ASSIGNED_UNITS_ON_DUTY,
        /** The unit itself, as an addressee on the street's console. */
        UNIT,
        /** The street's command-room screen. */
        COMMAND_ROOM,
        /** Directory people whose role is the escalation's recipient (sla.escalated). */
        ESCALATION_RECIPIENT,
        /** Directory people of a named role, e.g. ROLE(DISPATCHER). */
        ROLE
    }

    public record Target(Who who, String role, List<Channel> channels) {
    }

    private static final Pattern TARGET = Pattern.compile("\\s*([A-Z_]+)(?:\\(([A-Za-z0-9_-]+)\\))?\\s*->\\s*([A-Z+ ]+)\\s*");

    private final Map<String, List<Target>> rules;

    public Rules(NotificationConfig config) {
        Map<String, List<Target>> parsed = new java.util.HashMap<>();
        config.rules().forEach((type, targets) -> {
            List<Target> list = new ArrayList<>();
            for (String t : targets) {
                if (!t.isBlank()) {
                    list.add(parse(type, t));
                }
            }
            parsed.put(type, List.copyOf(list));
        });
        this.rules = Map.copyOf(parsed);
    }

    static Target parse(String type, String text) {
        Matcher m = TARGET.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("notification.rules.\"" + type + "\": '" + text
                    + "' is not WHO->CHANNEL[+CHANNEL], e.g. UNIT_ON_DUTY->SMS or ROLE(DISPATCHER)->CONSOLE+WEBHOOK");
        }
        Who who;
        try {
            who = Who.valueOf(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("notification.rules.\"" + type + "\": unknown recipient '" + m.group(1) + "'");
        }
        if ((who == Who.ROLE) != (m.group(2) != null)) {
            throw new IllegalArgumentException("notification.rules.\"" + type + "\": ROLE needs a role, e.g. ROLE(DISPATCHER); '" + text + "'");
        }
        List<Channel> channels = new ArrayList<>();
        for (String c : m.group(3).split("\\+")) {
            channels.add(Channel.valueOf(c.trim().toUpperCase(Locale.ROOT)));
        }
        return new Target(who, m.group(2), List.copyOf(channels));
    }

    /** The targets for an event: {@code <type>.<level>} when configured and a level is given, else {@code <type>}. */
    public List<Target> targets(String type, Integer level) {
        if (level != null && rules.containsKey(type + "." + level)) {
            return rules.get(type + "." + level);
        }
        return rules.getOrDefault(type, List.of());
    }

    public boolean handles(String type) {
        return rules.keySet().stream().anyMatch(k -> k.equals(type) || k.startsWith(type + "."));
    }
}
