package com.onemusic.privacy.dsr.calendar;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calendar in force, reloaded from the schedule files on demand. A file that fails to
 * load leaves the previous calendar in force (and is logged): a typo in next year's file
 * must not stop the service.
 */
public class CalendarHolder implements Supplier<WorkingDayCalendar> {

	private static final Logger logger = LoggerFactory.getLogger(CalendarHolder.class);

	private final Path directory;

	private final AtomicReference<WorkingDayCalendar> current;

	/**
	 * Loads the calendar; fails at start-up if a file is invalid.
	 * @param directory the directory of added schedules, or null
	 */
	public CalendarHolder(Path directory) {
		this.directory = directory;
		this.current = new AtomicReference<>(ScheduleFiles.load(directory));
		logger.info("Holiday schedules loaded for {}", this.current.get().knownYears());
	}

	@Override
	public WorkingDayCalendar get() {
		return this.current.get();
	}

	/**
	 * Reads the files again.
	 * @return whether a year was added
	 */
	public boolean reload() {
		try {
			WorkingDayCalendar loaded = ScheduleFiles.load(this.directory);
			WorkingDayCalendar previous = this.current.getAndSet(loaded);
			boolean added = !previous.knownYears().containsAll(loaded.knownYears());
			if (added) {
				logger.info("Holiday schedules now known for {}", loaded.knownYears());
			}
			return added;
		}
		catch (RuntimeException ex) {
			logger.error("Holiday schedules not reloaded, the previous ones stay in force: {}", ex.getMessage());
			return false;
		}
	}

}
