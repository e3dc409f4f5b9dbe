package org.hotline.intake.model;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A report, as an operator posts it or as an upstream record is mapped to it: the one shape the
 * intake rules take (TicketIntake, TicketService), whatever the channel.
 */
public record CreateTicketRequest(
        @NotNull Source source,
        @NotNull @Valid Caller caller,
        @NotNull @Valid Location location,
        @NotBlank @Size(max = 64) String category,
        /* null: the catalogue's default complexity for the category */
        Complexity complexity,
        @NotBlank @Size(max = 4000) String description,
        @Size(max = 128) @Pattern(regexp = "^[\\p{Alnum}_.:/-]*$", message = "may contain only letters, digits and _ . : / -") String upstreamRef,
        Instant reportedAt) {

    /** Mainland mobile (1[3-9] + 9 digits) or landline with area code (0 + 2-3 digits, optional '-', 7-8 digits). */
    public static final String PHONE = "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$";

    public record Caller(
            @NotBlank @Size(max = 64) String name,
            @NotBlank @Pattern(regexp = PHONE, message = "must be a mainland mobile (11 digits) or landline number with area code") String phone) {
    }

    public record Location(
            @NotBlank @Size(max = 256) String address,
            @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude,
            @NotBlank @Size(max = 64) String street,
            @Size(max = 64) String grid) {
    }
}
