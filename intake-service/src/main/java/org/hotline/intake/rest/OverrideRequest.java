package org.hotline.intake.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** "Not a repeat", and why; who says so is the token's user. */
public record OverrideRequest(@NotBlank @Size(max = 500) String reason) {
}
