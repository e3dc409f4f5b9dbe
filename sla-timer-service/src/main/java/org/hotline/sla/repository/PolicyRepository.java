package org.hotline.sla.repository;

import java.util.List;
import java.util.Optional;

import org.hotline.sla.model.Policy;
import org.hotline.sla.model.PolicyRule;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Every query of the policies (versions) and their selection rules. */
@ApplicationScoped
public class PolicyRepository implements PanacheRepositoryBase<Policy, Long> {

    /** The newest version of a policy. */
    public Optional<Policy> current(String code) {
        return find("code = ?1 order by version desc", code).firstResultOptional();
    }

    /** Every version of a policy, oldest first. */
    public List<Policy> versions(String code) {
        return list("code = ?1 order by version", code);
    }

    /** The newest version of every policy. */
    public List<Policy> currentAll() {
        return list("from Policy p where p.version = (select max(q.version) from Policy q where q.code = p.code)"
                + " order by p.code");
    }

    @SuppressWarnings("unchecked")
    public List<PolicyRule> rules() {
        List<Object[]> rows = getEntityManager().createNativeQuery(
                "select ordinal, source, category, complexity, street, policy_code from policy_rule order by ordinal")
                .getResultList();
        return rows.stream().map(r -> new PolicyRule(((Number) r[0]).intValue(), (String) r[1], (String) r[2],
                (String) r[3], (String) r[4], (String) r[5])).toList();
    }

    public void replaceRules(List<PolicyRule> rules) {
        getEntityManager().createNativeQuery("delete from policy_rule").executeUpdate();
        for (PolicyRule r : rules) {
            getEntityManager().createNativeQuery("insert into policy_rule (ordinal, source, category, complexity,"
                    + " street, policy_code) values (?1, ?2, ?3, ?4, ?5, ?6)").setParameter(1, r.ordinal())
                    .setParameter(2, r.source()).setParameter(3, r.category()).setParameter(4, r.complexity())
                    .setParameter(5, r.street()).setParameter(6, r.policyCode()).executeUpdate();
        }
    }
}
