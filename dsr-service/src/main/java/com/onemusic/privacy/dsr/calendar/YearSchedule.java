package com.onemusic.privacy.dsr.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One year of the official holiday schedule: statutory holidays (days off, whatever the
 * weekday) and adjusted working days (weekend days that are worked).
 *
 * @param year the year
 * @param source the notice that set it
 * @param holidays days off, each with the holiday's name
 * @param workingWeekendDays weekend days that are working days
 */
public record YearSchedule(int year, String source, Map<LocalDate, String> holidays,
		Set<LocalDate> workingWeekendDays) {

	public YearSchedule {
		holidays = new TreeMap<>(holidays);
		workingWeekendDays = new TreeSet<>(workingWeekendDays);
		for (LocalDate day : holidays.keySet()) {
			if (day.getYear() != year) {
				throw new IllegalArgumentException("Holiday " + day + " is not in " + year);
			}
		}
		for (LocalDate day : workingWeekendDays) {
			if (day.getYear() != year) {
				throw new IllegalArgumentException("Working day " + day + " is not in " + year);
			}
			if (!isWeekend(day)) {
				throw new IllegalArgumentException(
						"Working weekend day " + day + " is a " + day.getDayOfWeek() + ", not a weekend day");
			}
			if (holidays.containsKey(day)) {
				throw new IllegalArgumentException(day + " is listed both as a holiday and as a working day");
			}
		}
	}

	/**
	 * Whether a day of this year is a working day.
	 * @param day a day of this year
	 * @return true for a working day
	 */
	public boolean isWorkingDay(LocalDate day) {
		if (this.holidays.containsKey(day)) {
			return false;
		}
		return !isWeekend(day) || this.workingWeekendDays.contains(day);
	}

	static boolean isWeekend(LocalDate day) {
		return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
	}

}
