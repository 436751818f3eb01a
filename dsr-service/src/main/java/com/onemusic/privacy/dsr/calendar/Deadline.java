package com.onemusic.privacy.dsr.calendar;

import java.time.LocalDate;

/**
 * A due date counted in working days.
 *
 * @param dueDate the last day on which the answer is in time
 * @param provisional whether a day of the period fell in a year whose holiday schedule is
 * not loaded (counted with weekends only), so the date may still move
 */
public record Deadline(LocalDate dueDate, boolean provisional) {

}
