package org.hotline.intake.rest;

import org.hotline.intake.model.Satisfaction;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** 回访: whether the caller was reached and, if so, how satisfied. */
public record FollowUpRequest(@NotNull Boolean reached, Satisfaction satisfaction, @Size(max = 2000) String comment) {
}
