package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.List;

import org.hotline.dispatch.model.AssignmentRole;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The command room's request bodies ({@link DispatchResource}), validated records; each {@code EMPTY}
 * is what an optional body that was left out reads as. The acting person is never a field: the
 * token's user acts.
 */
public final class CommandRoomRequests {

    private CommandRoomRequests() {
    }

    /** The body of an action that needs none: nothing, {} or null. */
    public record NoBody() {
        static final NoBody EMPTY = new NoBody();
    }

    public record UnitOrderRequest(@NotBlank @Size(max = 64) String unitId, @NotNull AssignmentRole role) {
    }

    public record DispatchRequest(@NotEmpty @Size(max = 20) List<@NotNull @Valid UnitOrderRequest> units) {
        static final DispatchRequest EMPTY = new DispatchRequest(null);
    }

    public record RedispatchRequest(@Size(max = 64) String unitId, @Size(max = 500) String reason) {
        static final RedispatchRequest EMPTY = new RedispatchRequest(null, null);
    }

    public record ReturnDecision(@Size(max = 64) String unitId, @Size(max = 500) String note) {
        static final ReturnDecision EMPTY = new ReturnDecision(null, null);
    }

    public record ExtensionDecision(Instant newDeadline, @Size(max = 500) String note) {
        static final ExtensionDecision EMPTY = new ExtensionDecision(null, null);
    }
}
