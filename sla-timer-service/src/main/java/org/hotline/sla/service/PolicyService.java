package org.hotline.sla.service;

import java.time.Clock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.sla.messaging.TicketReceived;
import org.hotline.sla.model.Anchor;
import org.hotline.sla.model.Policy;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.PolicyRule;
import org.hotline.sla.repository.PolicyRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Policies as data. A ticket gets the first matching rule's policy, in its newest version, and
 * keeps that version: editing a policy adds a version and never rewrites running clocks.
 */
@ApplicationScoped
public class PolicyService {

    private static final Set<String> ACTIONS = Set.of("REDISPATCH", "ADD_BACKUP");

    private final PolicyRepository repository;
    private final TransactionReads reads;
    private final Clock clock;

    public PolicyService(PolicyRepository repository, TransactionReads reads, Clock clock) {
        this.repository = repository;
        this.reads = reads;
        this.clock = clock;
    }

    /**
     * The policy version a new ticket gets. The rules and each policy's newest version are read once
     * per transaction: a batch of ticket.received asks once, not once per ticket.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Policy select(TicketReceived t) {
        for (PolicyRule r : reads.get(PolicyRule.class, this::rules)) {
            if (matches(r.source(), t.source()) && matches(r.category(), t.category())
                    && matches(r.complexity(), t.complexity()) && matches(r.street(), t.street())) {
                return reads.get(List.of(Policy.class, r.policyCode()), () -> current(r.policyCode()));
            }
        }
        throw new IllegalStateException("no policy rule matches and no default rule exists");
    }

    public List<PolicyRule> rules() {
        return repository.rules();
    }

    /** Replaces the rule list; every rule must name an existing policy and one must match anything. */
    @Transactional
    public List<PolicyRule> replaceRules(List<PolicyRule> rules) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<Integer> ordinals = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule r = rules.get(i);
            if (!ordinals.add(r.ordinal())) {
                errors.add(new Problem.FieldError("[" + i + "].ordinal", "duplicate ordinal " + r.ordinal()));
            }
            if (r.policyCode() == null || versions(r.policyCode()).isEmpty()) {
                errors.add(new Problem.FieldError("[" + i + "].policyCode", "no policy " + r.policyCode()));
            }
        }
        if (rules.stream().noneMatch(r -> r.source() == null && r.category() == null && r.complexity() == null
                && r.street() == null)) {
            errors.add(new Problem.FieldError("rules", "a default rule (source, category, complexity and street all empty) is required"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "Invalid policy rules", errors.get(0).field() + ": "
                    + errors.get(0).reason(), errors);
        }
        repository.replaceRules(rules);
        return rules();
    }

    public Policy current(String code) {
        return repository.current(code).orElseThrow(() -> ProblemException.notFound("policy", code));
    }

    public List<Policy> versions(String code) {
        return repository.versions(code);
    }

    /** The newest version of every policy. */
    public List<Policy> currentAll() {
        return repository.currentAll();
    }

    /** Adds a version (the first one for a new code). Running clocks keep the version they have. */
    @Transactional
    public Policy publish(String code, PolicyDefinition definition) {
        validate(code, definition);
        int next = versions(code).stream().mapToInt(p -> p.version).max().orElse(0) + 1;
        Policy p = new Policy();
        p.code = code;
        p.version = next;
        p.definition = new PolicyDefinition(code, definition.name(), definition.stages());
        p.createdAt = clock.instant();
        repository.persist(p);
        return p;
    }

    static void validate(String code, PolicyDefinition d) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (d.code() != null && !d.code().equals(code)) {
            errors.add(new Problem.FieldError("code", "must be " + code + " (the policy being edited) or absent"));
        }
        if (d.stages() == null || d.stages().isEmpty()) {
            errors.add(new Problem.FieldError("stages", "at least one stage is required"));
        } else {
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < d.stages().size(); i++) {
                PolicyDefinition.StageRule s = d.stages().get(i);
                String at = "stages[" + i + "]";
                if (s == null) {
                    errors.add(new Problem.FieldError(at, "must not be null"));
                    continue;
                }
                if (s.stage() == null || !seen.add(s.stage())) {
                    errors.add(new Problem.FieldError(at + ".stage", "missing or repeated"));
                }
                if (s.anchor() == null || (i == 0 && s.anchor() == Anchor.PREVIOUS_STAGE)) {
                    errors.add(new Problem.FieldError(at + ".anchor", "RECEIPT or PREVIOUS_STAGE (not for the first stage)"));
                }
                boolean byTime = s.duration() != null;
                boolean byDays = s.workingDays() != null;
                if (byTime == byDays) {
                    errors.add(new Problem.FieldError(at, "exactly one of duration and workingDays"));
                } else if (byTime && (s.duration().isNegative() || s.duration().isZero())) {
                    errors.add(new Problem.FieldError(at + ".duration", "must be positive"));
                } else if (byDays && s.workingDays() < 1) {
                    errors.add(new Problem.FieldError(at + ".workingDays", "must be at least 1"));
                }
                if (s.warnAt() != null && (s.warnAt() <= 0 || s.warnAt() >= 1)) {
                    errors.add(new Problem.FieldError(at + ".warnAt", "a fraction of the time allowed, between 0 and 1"));
                }
                int last = 0;
                for (int j = 0; s.ladder() != null && j < s.ladder().size(); j++) {
                    PolicyDefinition.Level l = s.ladder().get(j);
                    String lat = at + ".ladder[" + j + "]";
                    if (l == null) {
                        errors.add(new Problem.FieldError(lat, "must not be null"));
                        continue;
                    }
                    if (l.level() <= last) {
                        errors.add(new Problem.FieldError(lat + ".level", "levels start at 1 and ascend"));
                    }
                    last = l.level();
                    if (l.recipient() == null || l.recipient().isBlank()) {
                        errors.add(new Problem.FieldError(lat + ".recipient", "who is to be told"));
                    }
                    if (l.after() == null || l.after().isNegative()) {
                        errors.add(new Problem.FieldError(lat + ".after", "a delay after the breach, zero or more"));
                    }
                    if (l.action() != null && !ACTIONS.contains(l.action())) {
                        errors.add(new Problem.FieldError(lat + ".action", "one of " + ACTIONS));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "Invalid policy", errors.get(0).field() + ": " + errors.get(0).reason(),
                    errors);
        }
    }

    private static boolean matches(String rule, String value) {
        return rule == null || Objects.equals(rule, value);
    }

}
