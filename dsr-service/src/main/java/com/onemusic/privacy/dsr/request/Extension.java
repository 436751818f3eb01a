package com.onemusic.privacy.dsr.request;

import java.time.Instant;

/**
 * A recorded extension of a request's deadline.
 *
 * @param at when
 * @param by the operator who extended it
 * @param reason why
 * @param workingDays by how many working days
 * @param previousDueDate the due date before
 * @param dueDate the due date after
 */
public record Extension(Instant at, String by, String reason, int workingDays, String previousDueDate, String dueDate) {

}
