package org.hotline.sla.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.repository.StageClockRepository;
import org.hotline.sla.repository.TicketRepeatRepository;
import org.hotline.sla.rest.StageClockView;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The command room's deadline board (issue #14): a street's tickets that still have a clock
 * counting (running, breached and not yet met, or a chained stage waiting), each with its stages'
 * clocks (the newest round of each) and ordered by the nearest real deadline among its unmet stages,
 * breached ones first. The deadlines are the pinned policy's, moved by approved extensions: the
 * console never recomputes 13830.
 */
@ApplicationScoped
public class DeadlineBoard {

    private final StageClockRepository stageClocks;
    private final TicketRepeatRepository ticketRepeats;
    private final Clock clock;

    public DeadlineBoard(StageClockRepository stageClocks, TicketRepeatRepository ticketRepeats, Clock clock) {
        this.stageClocks = stageClocks;
        this.ticketRepeats = ticketRepeats;
        this.clock = clock;
    }

    /** One ticket on the board. */
    public record Entry(UUID ticketId, String street, String category, String policy, int policyVersion,
            Instant nextDeadline, String nextStage, String light, int escalationLevel, int repeats,
            List<StageClockView> clocks) {
    }

    /** The board and the server's time, so a screen can tick its countdowns in step. */
    public record Board(Instant now, int count, List<Entry> tickets) {
    }

    @Transactional
    public Board board(String street, int limit) {
        Instant now = clock.instant();
        List<UUID> ids = stageClocks.ticketsWithOpenClocks(street);
        if (ids.isEmpty()) {
            return new Board(now, 0, List.of());
        }
        Map<UUID, Integer> repeats = ticketRepeats.counts(ids);
        Map<UUID, Map<String, StageClock>> newest = new LinkedHashMap<>();
        for (StageClock c : stageClocks.ofTickets(ids)) {
            newest.computeIfAbsent(c.ticketId, k -> new LinkedHashMap<>()).merge(c.stage.name(), c,
                    (a, b) -> b.round >= a.round ? b : a);
        }
        List<Entry> entries = new ArrayList<>();
        newest.forEach((ticket, stages) -> {
            int rep = repeats.getOrDefault(ticket, 0);
            List<StageClockView> views = stages.values().stream().map(c -> StageClockView.of(c, now, rep)).toList();
            StageClock next = stages.values().stream()
                    .filter(c -> (c.state == ClockState.RUNNING || c.state == ClockState.BREACHED) && c.deadline != null)
                    .min(Comparator.comparing((StageClock c) -> c.deadline)).orElse(null);
            StageClock any = stages.values().iterator().next();
            String light = worst(views);
            int level = stages.values().stream().mapToInt(c -> c.escalationLevel).max().orElse(0);
            entries.add(new Entry(ticket, any.street, any.category, any.policyCode, any.policyVersion,
                    next == null ? null : next.deadline, next == null ? null : next.stage.name(), light, level, rep,
                    views));
        });
        entries.sort(Comparator.comparing(Entry::nextDeadline, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Entry::ticketId));
        List<Entry> shown = entries.size() > limit ? entries.subList(0, limit) : entries;
        return new Board(now, shown.size(), List.copyOf(shown));
    }

    /** The light of the stage the ticket waits on: red if any unmet stage is breached, else the next one's. */
    private static String worst(List<StageClockView> views) {
        String light = "GREY";
        for (StageClockView v : views) {
            if (v.state() == ClockState.BREACHED || v.state() == ClockState.RUNNING && "RED".equals(v.light())) {
                return "RED";
            }
            if (v.state() == ClockState.RUNNING) {
                if ("YELLOW".equals(v.light())) {
                    light = "YELLOW";
                } else if (!"YELLOW".equals(light)) {
                    light = "GREEN";
                }
            }
        }
        return light;
    }
}
