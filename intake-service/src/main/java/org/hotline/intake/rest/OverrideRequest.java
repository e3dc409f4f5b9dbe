package org.hotline.intake.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** "Not a repeat": who says so and why. */
public record OverrideRequest(@NotBlank @Size(max = 500) String reason, @NotBlank @Size(max = 64) String by) {
}
