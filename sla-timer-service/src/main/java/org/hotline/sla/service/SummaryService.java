package org.hotline.sla.service;

import java.time.Instant;
import java.util.List;

import org.hotline.backbone.web.ProblemException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * On-time rates for the console, recounted from each stage's decided outcome (the same decision
 * the metrics count): per street or per lead unit type, per stage.
 */
@ApplicationScoped
public class SummaryService {

    private final EntityManager em;

    public SummaryService(EntityManager em) {
        this.em = em;
    }

    public record Row(String group, String stage, long onTime, long breached, Double onTimeRate) {
    }

    @SuppressWarnings("unchecked")
    public List<Row> summary(String by, Instant from, Instant to) {
        String column = switch (by == null ? "street" : by) {
            case "street" -> "street";
            case "unitType" -> "coalesce(unit_type, 'none')";
            case "policy" -> "policy_code";
            default -> throw ProblemException.badRequest("by", "one of street, unitType, policy");
        };
        List<Object[]> rows = em.createNativeQuery("select " + column + " as grp, stage,"
                + " count(*) filter (where outcome = 'ON_TIME'), count(*) filter (where outcome = 'BREACHED')"
                + " from stage_clock where outcome is not null"
                + " and started_at >= ?1 and started_at < ?2 group by grp, stage"
                + " order by grp, array_position(array['RESPOND','DISPATCH_CONTACT','ON_SCENE','RESOLVE'], stage)")
                .setParameter(1, from == null ? Instant.EPOCH : from)
                .setParameter(2, to == null ? Instant.parse("9999-01-01T00:00:00Z") : to).getResultList();
        return rows.stream().map(r -> {
            long onTime = ((Number) r[2]).longValue();
            long breached = ((Number) r[3]).longValue();
            return new Row((String) r[0], (String) r[1], onTime, breached,
                    onTime + breached == 0 ? null : (double) onTime / (onTime + breached));
        }).toList();
    }
}
