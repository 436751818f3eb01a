package com.onemusic.privacy.dsr.calendar;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The mainland-China working-day calendar: weekends and statutory holidays are off,
 * adjusted weekend working days are on. Each year's schedule is data
 * ({@link YearSchedule}); a year without one is counted with weekends only and what is
 * counted through it is provisional. Immutable; a reload makes a new calendar.
 */
public final class WorkingDayCalendar {

	/** A safety bound: no deadline counts more working days than this. */
	static final int MAX_WORKING_DAYS = 3650;

	private final Map<Integer, YearSchedule> years;

	public WorkingDayCalendar(Collection<YearSchedule> years) {
		Map<Integer, YearSchedule> byYear = new TreeMap<>();
		for (YearSchedule year : years) {
			if (byYear.putIfAbsent(year.year(), year) != null) {
				throw new IllegalArgumentException("Two holiday schedules for " + year.year());
			}
		}
		this.years = Map.copyOf(byYear);
	}

	/**
	 * The years whose schedule is known.
	 * @return the years, ascending
	 */
	public Set<Integer> knownYears() {
		return this.years.keySet().stream().sorted().collect(Collectors.toCollection(java.util.LinkedHashSet::new));
	}

	/**
	 * Whether a day's year has a loaded schedule.
	 * @param day the day
	 * @return true when its holidays are known
	 */
	public boolean isKnown(LocalDate day) {
		return this.years.containsKey(day.getYear());
	}

	/**
	 * Whether a day is a working day; for a year without a schedule, whether it is a
	 * weekday.
	 * @param day the day
	 * @return true for a working day
	 */
	public boolean isWorkingDay(LocalDate day) {
		YearSchedule year = this.years.get(day.getYear());
		return (year != null) ? year.isWorkingDay(day) : !YearSchedule.isWeekend(day);
	}

	/**
	 * The day on which {@code workingDays} working days after {@code start} have passed;
	 * the start day itself does not count, whatever it is.
	 * @param start e.g. the day identity was verified
	 * @param workingDays how many working days
	 * @return the due date, provisional if any counted day's year has no schedule
	 */
	public Deadline addWorkingDays(LocalDate start, int workingDays) {
		if (workingDays < 0 || workingDays > MAX_WORKING_DAYS) {
			throw new IllegalArgumentException("Working days must be 0 to " + MAX_WORKING_DAYS + ": " + workingDays);
		}
		LocalDate day = start;
		boolean provisional = false;
		for (int counted = 0; counted < workingDays;) {
			day = day.plusDays(1);
			provisional |= !isKnown(day);
			if (isWorkingDay(day)) {
				counted++;
			}
		}
		return new Deadline(day, provisional);
	}

	/**
	 * Working days from the day after {@code today} up to and including {@code dueDate}:
	 * 0 when the due date is today or the next working day is after it; negative (minus
	 * the working days since it) when the due date has passed.
	 * @param today today
	 * @param dueDate the due date
	 * @return the working days left
	 */
	public int workingDaysLeft(LocalDate today, LocalDate dueDate) {
		if (dueDate.isBefore(today)) {
			return -countWorkingDays(dueDate, today);
		}
		return countWorkingDays(today, dueDate);
	}

	/** Working days in (from, to]. */
	private int countWorkingDays(LocalDate from, LocalDate to) {
		int count = 0;
		for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
			if (isWorkingDay(day)) {
				count++;
			}
		}
		return count;
	}

}
