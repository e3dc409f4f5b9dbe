package org.hotline.backbone.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hotline.backbone.web.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The person behind a request, from the verified token: who, which roles, and the scope claims
 * ({@code street}, {@code area}, {@code unit}, {@code member}). The scope and personal-data rules
 * live here, once, so every service applies the same ones:
 * <ul>
 * <li>a dispatcher works his own street only;
 * <li>a supervisor works his area: one street, or the whole county;
 * <li>a field member acts for his own unit only;
 * <li>admin and monitoring read across every street (what they may do at all is the endpoint's
 * role list);
 * <li>a caller's name and phone are shown in full to operators and to dispatchers of the
 * ticket's street, masked to everyone else.
 * </ul>
 */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken jwt;

    /** The user id (the token's {@code upn}, {@code preferred_username} or {@code sub}). */
    public String user() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    public boolean authenticated() {
        return !identity.isAnonymous();
    }

    public boolean has(String role) {
        return identity.hasRole(role);
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    /**
     * How long the token stays valid from now. A console stream ends then, so it never outlives
     * the token that opened it (the console reconnects with a fresh one). System time, as the
     * token's verifier uses, not the application's Clock.
     */
    public Duration tokenValidity() {
        if (identity.isAnonymous() || jwt == null || jwt.getRawToken() == null) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.max(0, jwt.getExpirationTime() - Instant.now().getEpochSecond()));
    }

    public Optional<String> street() {
        return claim("street");
    }

    public Optional<String> area() {
        return claim("area");
    }

    public Optional<String> unit() {
        return claim("unit");
    }

    public Optional<String> member() {
        return claim("member");
    }

    /**
     * May this caller read the given street: admin and monitoring read every street, everyone else
     * as {@link #actsOn}. {@code null} asks for every street at once.
     */
    public boolean coversStreet(String street) {
        return has(Roles.ADMIN) || has(Roles.MONITORING) || actsOn(street);
    }

    /**
     * May this caller act on the given street: as its dispatcher or as a supervisor of its area
     * ({@code null}: every street, a county supervisor). Admin and monitoring read everywhere but
     * never act through this, so a token that also holds one of them (a command-room login that
     * drives the wall screen too) acts only on its own street.
     */
    public boolean actsOn(String street) {
        if (street == null) {
            return has(Roles.SUPERVISOR) && area().filter(Roles.COUNTY::equals).isPresent();
        }
        return has(Roles.DISPATCHER) && street().filter(street::equals).isPresent()
                || has(Roles.SUPERVISOR) && area().filter(a -> Roles.COUNTY.equals(a) || street.equals(a)).isPresent();
    }

    /** 403 unless {@link #coversStreet}: before a read. */
    public void requireStreet(String street) {
        if (!coversStreet(street)) {
            throw ProblemException.forbidden("street " + street + " is outside your area");
        }
    }

    /** 403 unless {@link #actsOn}: before an action. */
    public void requireActOn(String street) {
        if (!actsOn(street)) {
            throw ProblemException.forbidden("street " + street + " is outside your area");
        }
    }

    /**
     * The street a street-scoped read (a list, a queue, a stream) is limited to: the one asked for
     * (403 if outside the caller's area), else the caller's own (a dispatcher's street, a street
     * supervisor's area); {@code null} means every street (admin, monitoring, a county supervisor).
     */
    public String scopeStreet(String asked) {
        if (asked != null && !asked.isBlank()) {
            requireStreet(asked);
            return asked;
        }
        if (coversStreet(null)) {
            return null;
        }
        String own = has(Roles.DISPATCHER) ? street().orElse(null) : area().orElse(null);
        if (own == null) {
            throw ProblemException.forbidden("your token names no street or area");
        }
        requireStreet(own);
        return own;
    }

    /** Is this caller a member of the given unit (the field role, bound to one unit)? */
    public boolean isOfUnit(String unitId) {
        return has(Roles.FIELD) && unitId != null && unit().filter(unitId::equals).isPresent();
    }

    /** Name and phone in full: operators, and dispatchers of the ticket's own street. */
    public boolean seesPersonalDataOf(String street) {
        return seesPersonalData(identity.getRoles(), street().orElse(null), street);
    }

    /**
     * The one rule of who sees a caller's personal data (and free text that may hold it) in full,
     * for a holder of {@code roles} bound to {@code ownStreet} (null: none), about a ticket of
     * {@code street}: operators, and dispatchers of that street. Also for receivers that are not
     * callers of an API (notification's webhook receivers).
     */
    public static boolean seesPersonalData(java.util.Set<String> roles, String ownStreet, String street) {
        return roles.contains(Roles.OPERATOR)
                || roles.contains(Roles.DISPATCHER) && street != null && street.equals(ownStreet);
    }

    private Optional<String> claim(String name) {
        if (identity.isAnonymous() || jwt == null || jwt.getRawToken() == null) {
            return Optional.empty();
        }
        Object value = jwt.getClaim(name);
        return value == null ? Optional.empty() : Optional.of(value.toString().replace("\"", "")).filter(s -> !s.isBlank());
    }
}
