package org.hotline.sla.service;

import java.util.Objects;

import org.hotline.sla.messaging.TicketReceived;
import org.hotline.sla.model.Policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Chooses a ticket's policy: the first matching rule wins, and its newest version is pinned. */
@ApplicationScoped
public class PolicyService {

    private final EntityManager em;

    public PolicyService(EntityManager em) {
        this.em = em;
    }

    public Policy select(TicketReceived t) {
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rules = em.createNativeQuery(
                "select source, category, complexity, street, policy_code from policy_rule order by ordinal")
                .getResultList();
        for (Object[] r : rules) {
            if (matches(r[0], t.source()) && matches(r[1], t.category()) && matches(r[2], t.complexity())
                    && matches(r[3], t.street())) {
                return current((String) r[4]);
            }
        }
        throw new IllegalStateException("no policy rule matches and no default rule exists");
    }

    public Policy current(String code) {
        return em.createQuery("from Policy where code = :code order by version desc", Policy.class)
                .setParameter("code", code).setMaxResults(1).getResultStream().findFirst()
                .orElseThrow(() -> new IllegalStateException("policy " + code + " does not exist"));
    }

    private static boolean matches(Object rule, String value) {
        return rule == null || Objects.equals(rule, value);
    }
}
