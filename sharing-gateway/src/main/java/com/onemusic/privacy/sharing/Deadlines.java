package com.onemusic.privacy.sharing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Due dates are mainland-China calendar days. */
public final class Deadlines {

	/** The time zone of due dates. */
	public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

	private Deadlines() {
	}

	/**
	 * The end of a due date.
	 * @param day the day
	 * @return the first instant after it, in mainland-China time
	 */
	public static Instant endOf(LocalDate day) {
		return day.plusDays(1).atStartOfDay(CHINA).toInstant();
	}

}
