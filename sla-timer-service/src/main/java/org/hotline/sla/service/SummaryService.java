package org.hotline.sla.service;

import java.time.Instant;
import java.util.List;

import org.hotline.backbone.web.ProblemException;
import org.hotline.sla.repository.StageClockRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * On-time rates for the console, recounted from each stage's decided outcome (the same decision
 * the metrics count): per street, per lead unit type or per policy, per stage.
 */
@ApplicationScoped
public class SummaryService {

    private final StageClockRepository stageClocks;

    public SummaryService(StageClockRepository stageClocks) {
        this.stageClocks = stageClocks;
    }

    public record Row(String group, String stage, long onTime, long breached, Double onTimeRate) {
    }

    public List<Row> summary(String by, Instant from, Instant to) {
        String column = switch (by == null ? "street" : by) {
            case "street" -> StageClockRepository.GROUPS.get(0);
            case "unitType" -> StageClockRepository.GROUPS.get(1);
            case "policy" -> StageClockRepository.GROUPS.get(2);
            default -> throw ProblemException.badRequest("by", "one of street, unitType, policy");
        };
        return stageClocks.outcomes(column, from == null ? Instant.EPOCH : from,
                to == null ? Instant.parse("9999-01-01T00:00:00Z") : to).stream()
                .map(r -> new Row(r.group(), r.stage(), r.onTime(), r.breached(), r.onTime() + r.breached() == 0 ? null
                        : (double) r.onTime() / (r.onTime() + r.breached())))
                .toList();
    }
}
