package org.hotline.intake.rest;

import java.time.Instant;

import org.hotline.intake.model.Complexity;
import org.hotline.intake.model.Source;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What an operator posts on a caller's behalf. */
public record CreateTicketRequest(
        @NotNull Source source,
        @NotNull @Valid Caller caller,
        @NotNull @Valid Location location,
        @NotBlank @Size(max = 64) String category,
        @NotNull Complexity complexity,
        @NotBlank @Size(max = 4000) String description,
        @Size(max = 128) String upstreamRef,
        Instant reportedAt) {

    public record Caller(
            @NotBlank @Size(max = 64) String name,
            /* mainland mobile or landline with area code */
            @NotBlank @Pattern(regexp = "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", message = "must be a mainland mobile (11 digits) or landline number") String phone) {
    }

    public record Location(
            @NotBlank @Size(max = 256) String address,
            @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude,
            @NotBlank @Size(max = 64) String street,
            @Size(max = 64) String grid) {
    }
}
