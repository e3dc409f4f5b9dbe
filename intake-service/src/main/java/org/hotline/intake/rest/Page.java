package org.hotline.intake.rest;

import java.util.List;

/** One page of a search, newest first; {@code total} counts every match. */
public record Page<T>(List<T> items, int page, int size, long total) {
}
