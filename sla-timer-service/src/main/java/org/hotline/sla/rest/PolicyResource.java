package org.hotline.sla.rest;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.RequestBodies;
import org.hotline.sla.model.Policy;
import org.hotline.sla.model.CalendarDay;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.PolicyRule;
import org.hotline.sla.service.CalendarService;
import org.hotline.sla.service.PolicyService;
import org.hotline.sla.model.WorkingDays;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/sla")
@Tag(name = "Policies", description = "SLA policies, their selection rules and the working-day calendar, as data")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING, Roles.ADMIN }) // reads; changes: admin only
public class PolicyResource {

    private final PolicyService policies;
    private final CalendarService calendar;
    private final RequestBodies bodies;

    public PolicyResource(PolicyService policies, CalendarService calendar, RequestBodies bodies) {
        this.policies = policies;
        this.calendar = calendar;
        this.bodies = bodies;
    }

    public record PolicyView(String code, int version, Instant createdAt, PolicyDefinition definition) {
        static PolicyView of(Policy p) {
            return new PolicyView(p.code, p.version, p.createdAt, p.definition);
        }
    }

    public record DayRequest(@NotNull WorkingDays.Kind kind, String name) {
    }

    @GET
    @Path("/policies")
    @Operation(summary = "The newest version of every policy")
    public List<PolicyView> policies() {
        return policies.currentAll().stream().map(PolicyView::of).toList();
    }

    @GET
    @Path("/policies/{code}")
    @Operation(summary = "The newest version of one policy")
    public PolicyView policy(@PathParam("code") String code) {
        return PolicyView.of(policies.current(code));
    }

    @GET
    @Path("/policies/{code}/versions")
    @Operation(summary = "Every version of one policy, oldest first")
    public List<PolicyView> versions(@PathParam("code") String code) {
        List<Policy> found = policies.versions(code);
        if (found.isEmpty()) {
            policies.current(code); // 404 problem
        }
        return found.stream().map(PolicyView::of).toList();
    }

    @PUT
    @Path("/policies/{code}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Publish a new version of a policy (tickets already running keep theirs)")
    public Response publish(@PathParam("code") String code,
            @RequestBody(content = @Content(schema = @Schema(implementation = PolicyDefinition.class))) String body)
            throws JsonProcessingException {
        Policy p = policies.publish(code, bodies.required(body, PolicyDefinition.class));
        return Response.created(URI.create("/api/sla/policies/" + code)).entity(PolicyView.of(p)).build();
    }

    @GET
    @Path("/policy-rules")
    @Operation(summary = "Which policy a ticket gets: first matching rule by ordinal; empty fields match anything")
    public List<PolicyRule> rules() {
        return policies.rules();
    }

    @PUT
    @Path("/policy-rules")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the selection rules (a default rule is required)")
    public List<PolicyRule> replaceRules(@RequestBody(content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = PolicyRule.class))) String body) throws JsonProcessingException {
        return policies.replaceRules(bodies.requiredList(body, PolicyRule.class));
    }

    @GET
    @Path("/calendar")
    @Operation(summary = "Listed days: public holidays and make-up working days (调休)")
    public List<CalendarDay> calendar(@QueryParam("year") Integer year) {
        return calendar.list(year);
    }

    @PUT
    @Path("/calendar/{day}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List a day as HOLIDAY or WORKDAY")
    public CalendarDay putDay(@PathParam("day") LocalDate day,
            @RequestBody(content = @Content(schema = @Schema(implementation = DayRequest.class))) String body)
            throws JsonProcessingException {
        DayRequest request = bodies.required(body, DayRequest.class);
        return calendar.put(day, request.kind(), request.name());
    }

    @DELETE
    @Path("/calendar/{day}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Unlist a day (it follows the weekday rule again)")
    public Response removeDay(@PathParam("day") LocalDate day) {
        calendar.remove(day);
        return Response.noContent().build();
    }
}
