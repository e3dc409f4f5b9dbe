package org.hotline.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.dispatch.messaging.AssignmentAckLapsed;
import org.hotline.dispatch.messaging.AssignmentAcknowledged;
import org.hotline.dispatch.messaging.AssignmentArrived;
import org.hotline.dispatch.messaging.AssignmentCreated;
import org.hotline.dispatch.messaging.AssignmentResolved;
import org.hotline.dispatch.messaging.AssignmentReturned;
import org.hotline.dispatch.messaging.AssignmentWithdrawn;
import org.hotline.dispatch.messaging.EscalationActionTaken;
import org.hotline.dispatch.messaging.ExtensionApproved;
import org.hotline.dispatch.messaging.ExtensionDenied;
import org.hotline.dispatch.messaging.ExtensionRequested;
import org.hotline.dispatch.messaging.ReturnDecided;
import org.hotline.dispatch.messaging.StageTransition;
import org.hotline.dispatch.messaging.TicketClosed;
import org.hotline.dispatch.messaging.TicketPingPong;
import org.hotline.dispatch.messaging.WhistleBlown;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.model.UnitType;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The typed payloads put the same bytes on the wire as the untyped builder they replaced (issue
 * #19: nothing changes for a consumer): for fixed input, each event type's data, written by the
 * application's own mapper, is the same JSON text, in the same field order, with the same fields
 * left out when null.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class PayloadBytesTest {

    static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456Z");
    static final Instant LATER = Instant.parse("2026-03-05T08:00:00Z");

    @Inject
    EventCodec codec;

    final DispatchTicket t = ticket();
    final Unit u = unit();
    final Assignment a = assignment(t, u);
    final Assignment bare = bareAssignment(t, u);
    final ExtensionRequest e = extension(t, a);

    @Test
    void assignmentCreated() {
        for (boolean calledIn : new boolean[] {true, false}) {
            for (SlaStage ended : new SlaStage[] {SlaStage.DISPATCH_CONTACT, null}) {
                for (Assignment x : List.of(a, bare)) {
                    same(LegacyEventData.of(t, AT, "wk-zhang").assignment(x, u)
                            .put("unitName", u.name).put("automatic", true).put("category", t.category)
                            .put("address", t.address).put("dispatchedAt", AT).put("reason", AssignmentReason.DISPATCH)
                            .put("recommended", false).put("callerPhoneMasked", t.callerPhoneMasked)
                            .put("ackDeadline", x.ackDeadline).put("summonId", x.summonId)
                            .put("notifyMemberIds", List.of("m1", "m2")).put("calledIn", calledIn ? Boolean.TRUE : null)
                            .put("stageEnded", ended),
                            AssignmentCreated.of(t, AT, "wk-zhang", x, u, true, AssignmentReason.DISPATCH, false,
                                    List.of("m1", "m2"), calledIn, ended));
                }
            }
        }
    }

    @Test
    void withdrawnAndReturnDecisions() {
        same(LegacyEventData.of(t, AT, "wk-zhang").assignment(a, u).put("reason", "REDISPATCH"),
                AssignmentWithdrawn.of(t, AT, "wk-zhang", a, u, "REDISPATCH"));
        for (Assignment x : List.of(a, bare)) {
            for (String note : new String[] {"not ours", null}) {
                same(LegacyEventData.of(t, AT, "wk-zhang").assignment(x, u).put("reasonCode", x.returnReasonCode)
                        .put("note", note), ReturnDecided.of(t, AT, "wk-zhang", x, u, note));
            }
        }
    }

    @Test
    void consoleTransitions() {
        for (SlaStage ended : new SlaStage[] {SlaStage.RESPOND, null}) {
            same(LegacyEventData.of(t, AT, "wk-zhang").put("stageEnded", ended),
                    StageTransition.of(t, AT, "wk-zhang", ended));
        }
        UUID summon = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        same(LegacyEventData.of(t, AT, "wk-zhang").put("summonId", summon).put("unitIds", List.of("u1", "u2")),
                WhistleBlown.of(t, AT, "wk-zhang", summon, List.of("u1", "u2")));
        same(LegacyEventData.of(t, AT, "wk-zhang").put("resolvedAt", t.resolvedAt),
                TicketClosed.of(t, AT, "wk-zhang"));
        DispatchTicket unresolved = ticket();
        unresolved.resolvedAt = null;
        same(LegacyEventData.of(unresolved, AT, "wk-zhang").put("resolvedAt", unresolved.resolvedAt),
                TicketClosed.of(unresolved, AT, "wk-zhang"));
    }

    @Test
    void extensions() {
        for (String note : new String[] {"ok", null}) {
            same(LegacyEventData.of(t, AT, "wk-sup").assignment(a, u).put("stage", e.stage).put("newDeadline", LATER)
                    .put("approvedBy", "wk-sup").put("reason", e.reason).put("extensionId", e.id)
                    .put("requestedBy", e.requestedBy).put("proposedDeadline", e.proposedDeadline).put("note", note),
                    ExtensionApproved.of(t, AT, "wk-sup", a, u, e, LATER, note));
            same(LegacyEventData.of(t, AT, "wk-sup").assignment(a, u).put("stage", e.stage).put("extensionId", e.id)
                    .put("proposedDeadline", e.proposedDeadline).put("reason", e.reason).put("note", note),
                    ExtensionDenied.of(t, AT, "wk-sup", a, u, e, note));
        }
        same(LegacyEventData.of(t, AT, "u1-m1").assignment(a, u).put("extensionId", e.id).put("stage", e.stage)
                .put("reason", e.reason).put("proposedDeadline", e.proposedDeadline),
                ExtensionRequested.of(t, AT, "u1-m1", a, u, e));
    }

    @Test
    void escalationAction() {
        for (Assignment made : new Assignment[] {a, null}) {
            same(LegacyEventData.of(t, AT, "sla:level-2").put("action", "REDISPATCH").put("escalationEventId", "ev-1")
                    .put("stage", "ON_SCENE").put("level", 2).put("outcome", made == null ? "NO_UNIT" : "REDISPATCHED")
                    .put("assignmentId", made == null ? null : made.id).put("unitId", made == null ? null : made.unitId)
                    .put("role", made == null ? null : made.role),
                    EscalationActionTaken.of(t, AT, "sla:level-2", "REDISPATCH", "ev-1", "ON_SCENE", 2,
                            made == null ? "NO_UNIT" : "REDISPATCHED", made));
        }
    }

    @Test
    void fieldFlow() {
        for (Assignment next : new Assignment[] {bare, null}) {
            same(LegacyEventData.of(t, AT, "system:ack-timeout").assignment(a, u).put("lapsedAt", AT)
                    .put("ackDeadline", a.ackDeadline).put("nextUnitId", next == null ? null : next.unitId)
                    .put("nextAssignmentId", next == null ? null : next.id),
                    AssignmentAckLapsed.of(t, AT, "system:ack-timeout", a, u, next));
        }
        for (Assignment x : List.of(a, bare)) {
            same(LegacyEventData.of(t, AT, "u1-m1").assignment(x, u).put("summonId", x.summonId),
                    AssignmentAcknowledged.of(t, AT, "u1-m1", x, u));
            same(LegacyEventData.of(t, AT, "u1-m1").assignment(x, u).put("latitude", x == a ? 30.5 : null)
                    .put("longitude", x == a ? 119.9 : null)
                    .put("distanceMeters", x.arrivalDistanceMeters == null ? null : Math.round(x.arrivalDistanceMeters))
                    .put("flagged", x.arrivalFlagged).put("stageEnded", x == a ? SlaStage.ON_SCENE : null),
                    AssignmentArrived.of(t, AT, "u1-m1", x, u, x == a ? 30.5 : null, x == a ? 119.9 : null,
                            x == a ? SlaStage.ON_SCENE : null));
        }
        same(LegacyEventData.of(t, AT, "u1-m1").assignment(a, u).put("outcome", FieldOutcome.SOLVED)
                .put("note", "fixed").put("stageEnded", SlaStage.RESOLVE),
                AssignmentResolved.of(t, AT, "u1-m1", a, u, "SOLVED", "fixed", SlaStage.RESOLVE));
        same(LegacyEventData.of(t, AT, "u1-m1").assignment(a, u).put("reasonCode", FieldOutcome.WRONG_ADDRESS)
                .put("note", null).put("returnCount", t.returnCount),
                AssignmentReturned.of(t, AT, "u1-m1", a, u, "WRONG_ADDRESS", null));
        same(LegacyEventData.of(t, AT, "u1-m1").put("returnCount", t.returnCount).put("threshold", 2)
                .put("lastUnitId", a.unitId).put("reasonCode", FieldOutcome.WRONG_ADDRESS),
                TicketPingPong.of(t, AT, "u1-m1", 2, a.unitId, "WRONG_ADDRESS"));
    }

    /** Enum values as the services pass them to the old builder (written by name). */
    enum FieldOutcome {
        SOLVED, WRONG_ADDRESS
    }

    private void same(LegacyEventData before, Object after) {
        assertEquals(codec.toTree(before.map()).toString(), codec.encodeData(after));
    }

    private static DispatchTicket ticket() {
        DispatchTicket t = new DispatchTicket();
        t.id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        t.street = "wukang";
        t.category = "NOISE";
        t.address = "1 Wukang Rd";
        t.callerPhoneMasked = "138****0000";
        t.resolvedAt = Instant.parse("2026-03-04T09:00:00Z");
        t.returnCount = 3;
        return t;
    }

    private static Unit unit() {
        Unit u = new Unit();
        u.id = "wk-police";
        u.name = "武康派出所";
        u.type = UnitType.POLICE_STATION;
        return u;
    }

    /** Every optional field set. */
    private static Assignment assignment(DispatchTicket t, Unit u) {
        Assignment a = bareAssignment(t, u);
        a.summonId = UUID.fromString("00000000-0000-0000-0000-00000000000b");
        a.returnReasonCode = "NOT_OUR_JURISDICTION";
        a.arrivalDistanceMeters = 1234.56;
        a.arrivalFlagged = true;
        return a;
    }

    /** Every optional field left null. */
    private static Assignment bareAssignment(DispatchTicket t, Unit u) {
        Assignment a = new Assignment();
        a.id = UUID.randomUUID();
        a.ticketId = t.id;
        a.unitId = u.id;
        a.role = AssignmentRole.LEAD;
        a.ackDeadline = Instant.parse("2026-03-04T05:11:07Z");
        return a;
    }

    private static ExtensionRequest extension(DispatchTicket t, Assignment a) {
        ExtensionRequest e = new ExtensionRequest();
        e.id = UUID.fromString("00000000-0000-0000-0000-00000000000c");
        e.ticketId = t.id;
        e.assignmentId = a.id;
        e.stage = "RESOLVE";
        e.reason = "parts on order";
        e.proposedDeadline = LATER;
        e.requestedBy = "u1-m1";
        return e;
    }
}
